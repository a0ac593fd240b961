import { KeywardError } from '../errors.js';
import { MODELS } from './models.js';
import type { ModelProfile } from './types.js';

export { MODELS } from './models.js';
export { SOURCES } from './sources.js';
export type * from './types.js';

const BY_ID = new Map(MODELS.map((m) => [m.id.toUpperCase(), m]));

export function findModel(id: string): ModelProfile | undefined {
  return BY_ID.get(id.trim().toUpperCase());
}

export function getModel(id: string): ModelProfile {
  const model = findModel(id);
  if (!model) {
    throw new KeywardError(
      'UNKNOWN_MODEL',
      `unknown model "${id}" (known: ${MODELS.map((m) => m.id).join(', ')})`,
    );
  }
  return model;
}

/** The public shape of `keyward models --json`, a stable interface (docs/contracts.md). */
export function describeModel(m: ModelProfile) {
  return {
    id: m.id,
    name: m.name,
    keypad: m.keypad,
    radio: m.radio,
    slots: m.slots,
    userCodeLength: m.userCodeLength,
    programmingCodeLength: m.programmingCode?.length ?? null,
    defaultProgrammingCode: m.programmingCode?.default ?? null,
    keys: [...m.keys],
    buttons: m.buttons.map((b) => b.join('|')),
    confirmKey: m.confirmKey,
    programmingTimeoutMs: m.programmingTimeoutMs,
    lockout: m.lockout,
    battery: m.battery,
    quirks: m.quirks,
    signals: m.signals,
    zwave: m.zwave,
    sources: [...new Set(Object.values(m.sources).flat())],
    factSources: m.sources,
    notes: [...m.notes],
  };
}
