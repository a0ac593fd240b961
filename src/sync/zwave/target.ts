import { describeRadioTarget, type RadioTarget } from '../../core/radio/address.js';

/** Where a network is reached: Keyward's own stick, or someone else's zwave-js-server. */
export type ZWaveTarget = RadioTarget;

/** Its port, or its address without credentials (src/core/radio/address.ts). */
export const describeTarget = describeRadioTarget;
