import { getModel } from '../catalog/index.js';
import type { ModelProfile } from '../catalog/types.js';
import { KeywardError } from '../errors.js';
import { isDigits, prefixKey, prefixText, samePresses } from './keypad.js';

/** What is known of one lock: the lock state every lock command takes (docs/contracts.md). */
export interface LockState {
  model: string;
  programmingCode: string | null;
  /** Slot number (as a JSON key) to code. */
  slots: Record<string, string>;
  /** Codes deleted since the last factory reset; their prefixes stay reserved on some models. */
  deleted: string[];
  voltsPerCell: number;
  programmingSwitch: boolean;
}

export const FRESH_VOLTS_PER_CELL = 1.5;

export function factoryState(model: ModelProfile): LockState {
  return {
    model: model.id,
    programmingCode: model.programmingCode?.default ?? null,
    slots: {},
    deleted: [],
    voltsPerCell: FRESH_VOLTS_PER_CELL,
    programmingSwitch: true,
  };
}

/** Occupied slots in slot order. */
export function occupiedSlots(state: LockState): Array<[slot: number, code: string]> {
  return Object.entries(state.slots)
    .map(([slot, code]) => [Number(slot), code] as [number, string])
    .sort((a, b) => a[0] - b[0]);
}

function bad(where: string, message: string): never {
  throw new KeywardError('BAD_STATE', `${where}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a lock state from untrusted JSON and refuses anything a real lock could not be in: codes
 * that are not digits or break the model's lengths, slots beyond its capacity, two slots with one
 * code or one prefix, a programming code sharing a user code's prefix.
 */
export function parseLockState(input: unknown, where = 'state'): LockState {
  if (!isRecord(input)) bad(where, 'must be a JSON object with at least "model"');
  const known = new Set([
    'model',
    'programmingCode',
    'slots',
    'deleted',
    'voltsPerCell',
    'programmingSwitch',
  ]);
  for (const k of Object.keys(input)) {
    if (!known.has(k)) bad(where, `unknown field "${k}" (known: ${[...known].join(', ')})`);
  }
  if (typeof input.model !== 'string' || input.model === '')
    bad(where, '"model" must be a model id such as "264"');
  const model = getModel(input.model);
  const state = factoryState(model);

  if (input.programmingCode !== undefined) {
    const pc = input.programmingCode;
    if (pc === null) state.programmingCode = null;
    else {
      if (typeof pc !== 'string' || !isDigits(pc))
        bad(where, '"programmingCode" must be a string of digits or null');
      if (!model.programmingCode) bad(where, `model ${model.id} has no programming code`);
      const { min, max } = model.programmingCode.length;
      if (pc.length < min || pc.length > max) {
        bad(where, `programming code has ${pc.length} digits; model ${model.id} takes ${min}-${max}`);
      }
      state.programmingCode = pc;
    }
  }

  if (input.slots !== undefined) {
    if (!isRecord(input.slots)) bad(where, '"slots" must be an object such as {"1": "29475"}');
    for (const [slotText, code] of Object.entries(input.slots)) {
      const slot = Number(slotText);
      if (!/^[0-9]+$/.test(slotText) || !Number.isInteger(slot) || slot < 1 || slot > model.slots) {
        bad(where, `slot "${slotText}" is out of range: model ${model.id} has slots 1-${model.slots}`);
      }
      if (typeof code !== 'string' || !isDigits(code))
        bad(where, `slot ${slot} must hold a string of digits`);
      const { min, max } = model.userCodeLength;
      if (code.length < min || code.length > max) {
        bad(where, `slot ${slot} holds ${code.length} digits; model ${model.id} takes ${min}-${max}`);
      }
      state.slots[String(slot)] = code;
    }
  }

  if (input.deleted !== undefined) {
    if (!Array.isArray(input.deleted)) bad(where, '"deleted" must be an array of codes');
    state.deleted = input.deleted.map((code, i) => {
      if (typeof code !== 'string' || !isDigits(code) || code.length < 4) {
        bad(where, `deleted[${i}] must be a string of at least 4 digits`);
      }
      return code;
    });
  }

  if (input.voltsPerCell !== undefined) {
    const v = input.voltsPerCell;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 2) {
      bad(where, '"voltsPerCell" must be a number of volts per AA cell between 0 and 2');
    }
    state.voltsPerCell = v;
  }

  if (input.programmingSwitch !== undefined) {
    if (typeof input.programmingSwitch !== 'boolean') bad(where, '"programmingSwitch" must be true or false');
    state.programmingSwitch = input.programmingSwitch;
  }

  assertConsistent(state, model, where);
  return state;
}

/** A lock enforces its rules on every code it takes, so no real lock holds a state that breaks them. */
export function assertConsistent(state: LockState, model: ModelProfile, where = 'state'): void {
  const seen = new Map<number, number>();
  for (const [slot, code] of occupiedSlots(state)) {
    const key = prefixKey(code, model);
    const other = seen.get(key);
    if (other !== undefined) {
      const same = samePresses(code, state.slots[String(other)]!, model);
      bad(
        where,
        same
          ? `slots ${other} and ${slot} hold the same code: a lock cannot hold both`
          : `slots ${other} and ${slot} share the first four digits ${prefixText(key)}: a lock cannot hold both`,
      );
    }
    seen.set(key, slot);
  }
  const pc = state.programmingCode;
  if (pc && model.programmingCode && !model.programmingCode.mayShareUserPrefix) {
    const other = seen.get(prefixKey(pc, model));
    if (other !== undefined) {
      bad(
        where,
        `the programming code shares its first four digits with slot ${other}: a lock cannot hold both`,
      );
    }
  }
  if (model.quirks.deletedCodeMemory) {
    for (const code of state.deleted) {
      const other = seen.get(prefixKey(code, model));
      if (other !== undefined) {
        bad(
          where,
          `deleted code ${code.slice(0, 4)}... still reserves its prefix, so slot ${other} could not have been added`,
        );
      }
    }
  }
}

export function stateModel(state: LockState): ModelProfile {
  return getModel(state.model);
}
