import type { ModelProfile } from '../catalog/types.js';
import { occupiedSlots } from '../codes/lock-state.js';
import type { Evidence } from './evidence.js';

/** Likelihoods on one scale, so causes from different branches rank against each other. */
export const L = {
  /** The known state shows it: the lock would do exactly this. */
  confirmed: 0.95,
  /** Also shown by the state, behind the cause the symptom points at first. */
  alsoConfirmed: 0.9,
  likely: 0.7,
  even: 0.5,
  possible: 0.35,
  unlikely: 0.2,
  remote: 0.08,
} as const;

export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The key that ends a code at the keypad, as it is labelled on this model. */
export function confirmName(model: ModelProfile): string {
  return model.confirmKey === 'kwikset' ? 'the Kwikset button' : 'the enter arrow';
}

/** The key sequences a person most often gets out of order, for this model. */
export function sequenceHint(model: ModelProfile): string {
  const c = model.confirmKey === 'kwikset' ? 'Kwikset' : 'enter';
  const add =
    model.programmingCode?.style === 'menu'
      ? 'Program (2 beeps), 1, then Program once per slot number, the code, Lock'
      : 'Program once per slot number (one green flash each), the code, then Lock';
  const pc =
    model.programmingCode === null
      ? ''
      : model.programmingCode.style === 'menu'
        ? `; programming code: Program (2 beeps), 3, new code, Kwikset, the same code again, Kwikset`
        : `; programming code: current programming code, ${c}, 4, ${c}, new code, ${c}`;
  return `add a user code: ${add}${pc}`;
}

/** The lowest slot that has never been seen holding a code here, for the guide's "slot not used before". */
export function freshSlot(ev: Evidence): number | null {
  if (ev.unknown.has('slots')) return null;
  const used = new Set(occupiedSlots(ev.state).map(([slot]) => slot));
  for (let s = 1; s <= ev.model.slots; s++) if (!used.has(s)) return s;
  return null;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const BATTERY_FIX =
  'Fit four new alkaline AA cells (1.5 V each; rechargeables run low mid-programming), then try again.';
export const TEST_OPEN = 'Test the code with the door open before you close it.';
export const USE_KEY = 'Use the physical key to get in; keep it within reach while you work on the lock.';
