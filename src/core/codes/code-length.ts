import type { ModelProfile } from '../catalog/types.js';
import { KeywardError } from '../errors.js';
import { type ModelFigures, noCode } from './lock-survey.js';
import { type Exposure, exposureOf, formatHours, SEVERE_HOURS } from './strength.js';

export type LockExposure = Exposure & { lock: number; model: string };

/**
 * The lengths every lock takes, {lo, hi}. No overlap, or an asked length outside it, means no
 * code can exist; the message names the locks that set each bound.
 */
export function lengthBounds(
  models: readonly ModelProfile[],
  label: (i: number) => string,
  asked: number | undefined,
): { lo: number; hi: number } {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let loAt = 0;
  let hiAt = 0;
  models.forEach((m, i) => {
    if (m.userCodeLength.min > lo) [lo, loAt] = [m.userCodeLength.min, i];
    if (m.userCodeLength.max < hi) [hi, hiAt] = [m.userCodeLength.max, i];
  });
  if (lo > hi) {
    noCode(
      `the code lengths do not overlap: ${label(loAt)} needs at least ${lo} digits but ${label(hiAt)} takes at most ${hi}`,
    );
  }
  if (asked !== undefined) {
    const L = asked;
    if (!Number.isInteger(L)) throw new KeywardError('BAD_INPUT', `length must be a whole number, not ${L}`);
    if (L < lo)
      noCode(
        `${L} digits is too short: ${label(loAt)} takes ${lo}-${models[loAt]!.userCodeLength.max} digits`,
      );
    if (L > hi)
      noCode(
        `${L} digits is too long: ${label(hiAt)} takes ${models[hiAt]!.userCodeLength.min}-${hi} digits`,
      );
  }
  return { lo, hi };
}

export interface LengthChoice {
  length: number;
  /** Why this length, in words. */
  why: string;
  /** The lock most exposed to a random guesser at that length, with the new codes on it. */
  exposure: LockExposure;
}

/**
 * The length to generate: the one asked for (refused if every code of it draws brute-force
 * advice), else the shortest at which a random guesser needs at least `floorHours` on the
 * weakest lock, else the longest every lock takes if that is still above the severe threshold.
 */
export function chooseLength(
  perModel: ReadonlyMap<ModelProfile, ModelFigures>,
  bounds: { lo: number; hi: number },
  asked: number | undefined,
  count: number,
  floorHours: number,
  label: (i: number) => string,
): LengthChoice {
  const { lo, hi } = bounds;
  /** The weakest lock for codes of length L once `count` more are on it. */
  const worstAt = (L: number): LockExposure => {
    let worst: LockExposure | null = null;
    for (const [model, entry] of perModel) {
      const e = exposureOf(model, L, entry.k[L]! + count);
      if (!worst || e.expectedHours < worst.expectedHours) {
        const lock = entry.k[L]! > 0 ? entry.lock[L]! : entry.first;
        worst = { ...e, lock, model: model.id };
      }
    }
    return worst!;
  };

  let length: number;
  let why: string;
  const floorText = formatHours(floorHours);
  if (asked !== undefined) {
    length = asked;
    const worst = worstAt(length);
    if (worst.expectedHours < SEVERE_HOURS) {
      let better = 0;
      for (let L = length + 1; L <= hi && !better; L++)
        if (worstAt(L).expectedHours >= SEVERE_HOURS) better = L;
      noCode(
        `every ${length}-digit code draws brute-force advice: a stranger typing random codes would open ${label(worst.lock)} in about ${formatHours(worst.expectedHours)}${better ? `; use --length ${better} or more` : ''}`,
      );
    }
    why = `${length} digits, as asked: a random guesser needs about ${formatHours(worst.expectedHours)} to open ${label(worst.lock)}${worst.expectedHours < floorHours ? `, below the floor of ${floorText} Keyward would choose` : ''}`;
  } else {
    length = hi;
    for (let L = lo; L <= hi; L++) {
      if (worstAt(L).expectedHours >= floorHours) {
        length = L;
        break;
      }
    }
    const worst = worstAt(length);
    if (worst.expectedHours >= floorHours) {
      why = `${length} digits: the shortest length at which a stranger typing random codes needs at least ${floorText} to open ${label(worst.lock)} (about ${formatHours(worst.expectedHours)} at ${Math.round(worst.triesPerHour)} guesses an hour, the most its lockout allows, with ${worst.codes} code${worst.codes === 1 ? '' : 's'} of that length on it)`;
    } else if (worst.expectedHours >= SEVERE_HOURS) {
      why = `${length} digits, the longest every lock takes: the floor of ${floorText} is out of reach, as a random guesser could open ${label(worst.lock)} in about ${formatHours(worst.expectedHours)} with ${worst.codes} codes of that length on it (fewer codes would help)`;
    } else {
      noCode(
        `even at ${length} digits, the longest every lock takes, a random guesser would open ${label(worst.lock)} in about ${formatHours(worst.expectedHours)}: delete codes first`,
      );
    }
  }
  return { length, why, exposure: worstAt(length) };
}
