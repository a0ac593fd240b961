import type { ModelProfile } from '../catalog/types.js';
import { pressSequence } from '../codes/keypad.js';
import type { LockState } from '../codes/lock-state.js';

/**
 * The lock's own acceptance test, written as the firmware would run it: compare the first four
 * presses of the new code with every code in memory. It is deliberately independent of
 * src/core/codes/rules.ts so that the property tests comparing the two can catch a divergence.
 */
function firstFour(code: string, model: ModelProfile): string {
  return pressSequence(code.slice(0, 4), model);
}

function clashes(code: string, others: Iterable<string>, model: ModelProfile): boolean {
  const head = firstFour(code, model);
  for (const other of others) if (firstFour(other, model) === head) return true;
  return false;
}

function remembered(lock: LockState, model: ModelProfile): string[] {
  return model.quirks.deletedCodeMemory ? lock.deleted : [];
}

export function acceptsUserCode(lock: LockState, model: ModelProfile, code: string): boolean {
  const { min, max } = model.userCodeLength;
  if (code.length < min || code.length > max) return false;
  if (clashes(code, Object.values(lock.slots), model)) return false;
  const shares = model.programmingCode?.mayShareUserPrefix ?? false;
  if (lock.programmingCode && !shares && clashes(code, [lock.programmingCode], model)) return false;
  return !clashes(code, remembered(lock, model), model);
}

export function acceptsProgrammingCode(lock: LockState, model: ModelProfile, code: string): boolean {
  const profile = model.programmingCode;
  if (!profile) return false;
  if (code.length < profile.length.min || code.length > profile.length.max) return false;
  if (!profile.mayShareUserPrefix && clashes(code, Object.values(lock.slots), model)) return false;
  return !clashes(code, remembered(lock, model), model);
}

/** Which slot a code typed at the keypad opens, if any (same presses, whole code). */
export function slotOpenedBy(lock: LockState, model: ModelProfile, code: string): number | null {
  const presses = pressSequence(code, model);
  for (const [slot, stored] of Object.entries(lock.slots)) {
    if (stored.length === code.length && pressSequence(stored, model) === presses) return Number(slot);
  }
  return null;
}

export function isProgrammingCode(lock: LockState, model: ModelProfile, code: string): boolean {
  const pc = lock.programmingCode;
  return pc !== null && pc.length === code.length && pressSequence(pc, model) === pressSequence(code, model);
}
