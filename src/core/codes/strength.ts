import type { ModelProfile } from '../catalog/types.js';
import { commonAdvice } from './common-pins.js';
import { keyspace } from './keypad.js';
import type { LockState } from './lock-state.js';
import { type Advice, patternAdvice } from './patterns.js';
import { type PersonalData, personalAdvice } from './personal.js';

export type { Advice, AdviceRule } from './patterns.js';
export type { PersonalData } from './personal.js';

/** Below this a lock is "severely" exposed: a patient stranger gets in within a day. */
export const SEVERE_HOURS = 24;
/** The generator's floor: a random guesser should need at least a month of keypad time. */
export const FLOOR_HOURS = 30 * 24;
/** A brisk guesser's pace: one key every half second, the code plus its confirm key. */
export const PRESS_MS = 500;

/**
 * Guesses an hour at the keypad for codes of this length, given the model's lockout. The guesser
 * either types `wrongAttempts` codes in a burst and waits out the lockout, or stays just under
 * the lockout by pacing; whichever is faster.
 */
export function triesPerHour(model: ModelProfile, length: number): number {
  const entryMs = (length + 1) * PRESS_MS;
  const { wrongAttempts, windowMs, durationMs } = model.lockout;
  const unlimited = 3_600_000 / entryMs;
  if ((wrongAttempts - 1) * entryMs >= windowMs) return unlimited;
  const burst = (wrongAttempts * 3_600_000) / (wrongAttempts * entryMs + durationMs);
  const paced = ((wrongAttempts - 1) * 3_600_000) / Math.max(windowMs, (wrongAttempts - 1) * entryMs);
  return Math.min(unlimited, Math.max(burst, paced));
}

/** How long a random guesser of one length needs to hit any of k codes of that length. */
export interface Exposure {
  length: number;
  keyspace: number;
  codes: number;
  /** (N + 1) / (k + 1): expected guesses without repeats until the first of k codes is hit. */
  guessesExpected: number;
  triesPerHour: number;
  expectedHours: number;
}

export function exposureOf(model: ModelProfile, length: number, codes: number): Exposure {
  const n = keyspace(model, length);
  const guessesExpected = (n + 1) / (codes + 1);
  const rate = triesPerHour(model, length);
  return {
    length,
    keyspace: n,
    codes,
    guessesExpected,
    triesPerHour: rate,
    expectedHours: guessesExpected / rate,
  };
}

/** User codes per length (the programming code never opens the door). */
export function codesByLength(codes: Iterable<string>): Map<number, number> {
  const byLength = new Map<number, number>();
  for (const code of codes) byLength.set(code.length, (byLength.get(code.length) ?? 0) + 1);
  return byLength;
}

/** The attacker picks the length that opens the door soonest. Null for a lock with no user code. */
export function weakestExposure(model: ModelProfile, byLength: Map<number, number>): Exposure | null {
  let worst: Exposure | null = null;
  for (const [length, k] of byLength) {
    const e = exposureOf(model, length, k);
    if (!worst || e.expectedHours < worst.expectedHours) worst = e;
  }
  return worst;
}

/** The `strength` object of `keyward check --json`, a stable interface (docs/contracts.md). */
export interface Strength {
  /** Different codes of this code's length the keypad can form (5^L on 5-button pads). */
  keyspace: number;
  /** Expected guesses until a random guesser opens the lock with any code, at the best length. */
  guessesExpected: number;
  /** User codes on the lock, this one included. */
  codesOnLock: number;
  /** The length a guesser would try (the one that opens the door soonest). */
  attackLength: number;
  triesPerHour: number;
  expectedHoursToCompromise: number;
  /** The same figures for this code's own length only. */
  thisLength: { codes: number; guessesExpected: number; expectedHours: number };
  severe: boolean;
  assumptions: string;
}

/**
 * Brute-force exposure of the whole lock once `code` is on it: a stranger typing random codes
 * needs about (N+1)/(k+1) tries to hit one of the k codes of the length they try, at the pace
 * the model's lockout allows.
 */
export function strengthOf(code: string, state: LockState, model: ModelProfile): Strength {
  const codes = [...Object.values(state.slots), code];
  const byLength = codesByLength(codes);
  const worst = weakestExposure(model, byLength)!;
  const own = exposureOf(model, code.length, byLength.get(code.length)!);
  const { wrongAttempts, durationMs } = model.lockout;
  return {
    keyspace: keyspace(model, code.length),
    guessesExpected: round(worst.guessesExpected),
    codesOnLock: codes.length,
    attackLength: worst.length,
    triesPerHour: round(worst.triesPerHour),
    expectedHoursToCompromise: round(worst.expectedHours),
    thisLength: {
      codes: own.codes,
      guessesExpected: round(own.guessesExpected),
      expectedHours: round(own.expectedHours),
    },
    severe: worst.expectedHours < SEVERE_HOURS,
    assumptions: `random guessing at one key per ${PRESS_MS / 1000} s; ${wrongAttempts} wrong codes lock the keypad for ${durationMs / 1000} s`,
  };
}

function round(x: number): number {
  return x >= 100 ? Math.round(x) : Math.round(x * 100) / 100;
}

export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} minutes`;
  if (hours < 48) return `${Math.round(hours)} hours`;
  if (hours < 24 * 365) return `${Math.round(hours / 24)} days`;
  return `${Math.round(hours / (24 * 365))} years`;
}

export function bruteForceAdvice(strength: Strength, model: ModelProfile): Advice[] {
  if (!strength.severe) return [];
  const pad =
    model.keypad === '5-button' ? ` (a 5-button pad has only ${model.buttons.length} choices per press)` : '';
  return [
    {
      rule: 'brute-force',
      message: `a stranger typing random ${strength.attackLength}-digit codes would open this lock in about ${formatHours(strength.expectedHoursToCompromise)}${pad}, despite the lockout: use longer codes and fewer of them`,
    },
  ];
}

/** Advice about the code itself, leaving out the lock-wide brute-force figure. */
export function codeAdvice(code: string, model: ModelProfile, personal?: PersonalData): Advice[] {
  return [
    ...patternAdvice(code, model),
    ...commonAdvice(code, model),
    ...personalAdvice(code, model, personal),
  ];
}

/** Every piece of hygiene advice for a candidate user code on this lock. */
export function adviseCode(
  code: string,
  state: LockState,
  model: ModelProfile,
  personal?: PersonalData,
): { advice: Advice[]; strength: Strength } {
  const strength = strengthOf(code, state, model);
  return { advice: [...codeAdvice(code, model, personal), ...bruteForceAdvice(strength, model)], strength };
}
