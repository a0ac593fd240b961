import { getModel } from '../catalog/index.js';
import type { KeypadKind, ModelProfile } from '../catalog/types.js';
import { KeywardError } from '../errors.js';
import type { Random } from '../ports.js';
import { chooseLength, type LockExposure, lengthBounds } from './code-length.js';
import { keyspace, prefixText } from './keypad.js';
import type { LockState } from './lock-state.js';
import { labeller, noCode, surveyLocks } from './lock-survey.js';
import { PrefixSpace } from './prefix-space.js';
import { codeAdvice, FLOOR_HOURS, type PersonalData } from './strength.js';

export { foldTable } from './prefix-space.js';

export interface GenerateRequest {
  /** One lock, or all the doors one person needs: every code must work on each of them. */
  locks: readonly LockState[];
  count?: number;
  /** Exact length; by default the shortest that keeps every lock above `floorHours`. */
  length?: number;
  personal?: PersonalData;
  floorHours?: number;
}

export interface GenerateResult {
  codes: string[];
  length: number;
  /** Different codes of that length on the weakest keypad among the locks (5^L on 5-button pads). */
  keyspace: number;
  /** Why this length, in words. */
  why: string;
  floorHours: number;
  floorReached: boolean;
  /** The lock most exposed to a random guesser of this length, with the new codes on it. */
  exposure: LockExposure;
  /** First-four-digit prefixes still free on every lock (as typed digits), before these codes. */
  freePrefixes: number;
  warnings: string[];
}

/** Draws per code before concluding that the advice checks leave nothing. */
const MAX_DRAWS = 20_000;

/**
 * Random codes that every given lock accepts together with its existing codes and with each
 * other (first-four-digit rule on digits or presses, programming code, deleted-code memory,
 * capacity), and that draw no hygiene advice. Battery and programming-switch conditions do not
 * change which codes are valid; they come back as warnings.
 */
export function generateCodes(request: GenerateRequest, random: Random): GenerateResult {
  const states = request.locks;
  if (states.length === 0)
    throw new KeywardError('BAD_INPUT', 'no lock given: a code is generated for at least one lock');
  const count = request.count ?? 1;
  if (!Number.isInteger(count) || count < 1)
    throw new KeywardError('BAD_INPUT', `count must be a whole number of at least 1, not ${count}`);
  const floorHours = request.floorHours ?? FLOOR_HOURS;
  // Thousands of locks share a handful of models: look each id up once.
  const byId = new Map<string, ModelProfile>();
  const models = states.map((s) => {
    let model = byId.get(s.model);
    if (!model) {
      model = getModel(s.model);
      byId.set(s.model, model);
    }
    return model;
  });
  const label = labeller(states);

  const bounds = lengthBounds(models, label, request.length);
  const { perModel, groups, warnings } = surveyLocks(states, models, count, label);
  const { length, why, exposure } = chooseLength(perModel, bounds, request.length, count, floorHours, label);

  const space = new PrefixSpace(groups.values());
  const freePrefixes = space.count;
  if (space.count < count) {
    const n = space.count;
    const kind = space.folded ? '625 press prefixes of a 5-button pad' : '10,000 four-digit prefixes';
    noCode(
      `prefixes exhausted: ${n === 0 ? 'none' : `only ${n}`} of the ${kind} ${n === 1 ? 'is' : 'are'} free on every lock, and the first four digits of every code must differ (codes, the programming code and deleted-code memory hold the rest; a factory reset frees deleted ones)`,
    );
  }

  const kinds = new Map<KeypadKind, ModelProfile>();
  for (const m of models) if (!kinds.has(m.keypad)) kinds.set(m.keypad, m);
  const judges = [...kinds.values()];
  const codes: string[] = [];
  for (let n = 0; n < count; n++) {
    // On a 5-button pad each code takes 16 typed prefixes at once, so room can run out mid-way.
    if (space.count === 0) {
      noCode(
        `prefixes exhausted: only ${n} of the ${count} codes fit, as the first four presses of every code must differ`,
      );
    }
    let code: string | null = null;
    for (let draw = 0; draw < MAX_DRAWS && space.count > 0; draw++) {
      let candidate = prefixText(space.pick(random));
      for (let i = 4; i < length; i++) candidate += String(random.int(10));
      if (judges.every((m) => codeAdvice(candidate, m, request.personal).length === 0)) {
        code = candidate;
        break;
      }
    }
    if (code === null) {
      noCode(
        `no ${length}-digit code free of hygiene advice was found in ${MAX_DRAWS} random draws over the ${space.count} free prefixes${space.count < 50 ? ' (nearly every prefix is taken)' : ''}: try another length`,
      );
    }
    codes.push(code);
    space.take(code);
  }

  let size = Number.POSITIVE_INFINITY;
  for (const m of judges) size = Math.min(size, keyspace(m, length));
  return {
    codes,
    length,
    keyspace: size,
    why,
    floorHours,
    floorReached: exposure.expectedHours >= floorHours,
    exposure: {
      ...exposure,
      guessesExpected: Math.round(exposure.guessesExpected),
      triesPerHour: Math.round(exposure.triesPerHour * 10) / 10,
      expectedHours: Math.round(exposure.expectedHours),
    },
    freePrefixes,
    warnings,
  };
}
