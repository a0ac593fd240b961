import { randomInt } from 'node:crypto';
import type { Random } from '../core/ports.js';

/** The Random port on the operating system's CSPRNG: codes people will use come only from here. */
export const cryptoRandom: Random = {
  int: (maxExclusive) => randomInt(maxExclusive),
};
