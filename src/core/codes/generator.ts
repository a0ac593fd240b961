import { getModel } from '../catalog/index.js';
import type { KeypadKind, ModelProfile } from '../catalog/types.js';
import { KeywardError } from '../errors.js';
import type { Random } from '../ports.js';
import { keyspace, prefixText } from './keypad.js';
import type { LockState } from './lock-state.js';
import { batteryCondition } from './rules.js';
import {
  codeAdvice,
  type Exposure,
  exposureOf,
  FLOOR_HOURS,
  formatHours,
  type PersonalData,
  SEVERE_HOURS,
  triesPerHour,
} from './strength.js';

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
  exposure: Exposure & { lock: number; model: string };
  /** First-four-digit prefixes still free on every lock (as typed digits), before these codes. */
  freePrefixes: number;
  warnings: string[];
}

/** Draws per code before concluding that the advice checks leave nothing. */
const MAX_DRAWS = 20_000;
const MAX_LISTED = 3;

function noCode(message: string, details?: Record<string, unknown>): never {
  throw new KeywardError('NO_CODE_POSSIBLE', message, details);
}

/**
 * Locks with the same digit-to-button mapping block the same prefixes; one bitmap per mapping,
 * indexed by the prefix as the lock sees it (on 5-button pads, the folded presses).
 */
interface PrefixGroup {
  model: ModelProfile;
  blocked: Uint8Array;
}

function labeller(states: readonly LockState[]): (i: number) => string {
  return states.length === 1
    ? () => `the ${states[0]!.model}`
    : (i) => `lock ${i + 1} (model ${states[i]!.model})`;
}

/**
 * The first few of many findings, counted in full: with 10,000 locks, building 10,000 sentences
 * nobody reads would cost more than the search itself.
 */
class Findings {
  readonly shown: string[] = [];
  total = 0;

  add(describe: () => string): void {
    if (this.shown.length < MAX_LISTED) this.shown.push(describe());
    this.total++;
  }

  get any(): boolean {
    return this.total > 0;
  }

  toString(): string {
    const more = this.total - this.shown.length;
    return more > 0 ? `${this.shown.join('; ')}; and ${more} more` : this.shown.join('; ');
  }
}

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

  // Lengths every lock takes.
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
  if (request.length !== undefined) {
    const L = request.length;
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

  // Per model: the most codes of each length on any one lock (exposure only grows with that
  // count), and the figures an exposure needs, computed once instead of once per lock.
  const perModel = new Map<ModelProfile, ModelFigures>();
  const perLock = new Int32Array(MAX_LENGTH);
  const warnings: string[] = [];
  const battery = new Findings();
  const switchOff = new Findings();
  const exposed = new Findings();
  const full = new Findings();
  const groups = new Map<string, PrefixGroup>();
  for (let i = 0; i < states.length; i++) {
    const state = states[i]!;
    const model = models[i]!;
    let figures = perModel.get(model);
    if (!figures) {
      figures = modelFigures(model, i);
      perModel.set(model, figures);
    }
    let blocked = figures.blocked;
    if (!blocked) {
      const groupKey = figures.fold ? model.buttons.map((b) => b.join('')).join('|') : '10';
      let group = groups.get(groupKey);
      if (!group) {
        group = { model, blocked: new Uint8Array(10_000) };
        groups.set(groupKey, group);
      }
      blocked = figures.blocked = group.blocked;
    }
    const fold = figures.fold;
    perLock.fill(0);
    let used = 0;
    // Object.values costs one read per code; probing slots 1..30 by index costs a slow miss per
    // empty slot, which on a fleet of sparse locks is most of the time.
    for (const code of Object.values(state.slots)) {
      used++;
      if (code.length < MAX_LENGTH) perLock[code.length]!++;
      blocked[prefixOf(code, fold)] = 1;
    }
    if (model.slots - used < count) {
      const free = model.slots - used;
      full.add(() =>
        free <= 0
          ? `all ${model.slots} slots of ${label(i)} are full (delete a code first)`
          : `${label(i)} has ${free} free slot${free === 1 ? '' : 's'} for ${count} codes`,
      );
    }
    if (state.programmingCode && model.programmingCode && !model.programmingCode.mayShareUserPrefix) {
      blocked[prefixOf(state.programmingCode, fold)] = 1;
    }
    if (model.quirks.deletedCodeMemory) for (const code of state.deleted) blocked[prefixOf(code, fold)] = 1;
    let weakest = Number.POSITIVE_INFINITY;
    let weakestLength = 0;
    for (let L = 4; L < MAX_LENGTH; L++) {
      const k = perLock[L]!;
      if (k === 0) continue;
      if (k > figures.k[L]!) {
        figures.k[L] = k;
        figures.lock[L] = i;
      }
      const hours = (figures.keyspace[L]! + 1) / (k + 1) / figures.rate[L]!;
      if (hours < weakest) {
        weakest = hours;
        weakestLength = L;
      }
    }
    if (weakest < SEVERE_HOURS) {
      exposed.add(
        () =>
          `${label(i)}: its ${perLock[weakestLength]} ${weakestLength}-digit codes fall to a random guesser in about ${formatHours(weakest)}`,
      );
    }
    const power = batteryCondition(state, model);
    if (power !== 'ok') battery.add(() => `${label(i)} (${state.voltsPerCell} V per cell, ${power})`);
    if (model.quirks.programmingSwitch && !state.programmingSwitch) switchOff.add(() => label(i));
  }
  // A full lock is the plainest reason of all, so it goes first.
  if (full.any) noCode(`no room: ${full}`);
  if (battery.any) warnings.push(`replace the batteries before programming: ${battery}`);
  if (switchOff.any)
    warnings.push(`turn the interior programming switch on before programming: ${switchOff}`);
  if (exposed.any) {
    warnings.push(
      `already exposed to brute force whatever code is added (shorten the list of codes or lengthen them): ${exposed}`,
    );
  }

  /** The weakest lock for codes of length L once `count` more are on it. */
  const worstAt = (L: number): Exposure & { lock: number; model: string } => {
    let worst: (Exposure & { lock: number; model: string }) | null = null;
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
  if (request.length !== undefined) {
    length = request.length;
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
  const exposure = worstAt(length);

  // Prefixes free on every lock, as typed digits.
  const blocked = new Uint8Array(10_000);
  const folds: Array<{ model: ModelProfile; blocked: Uint8Array }> = [];
  for (const group of groups.values()) {
    if (group.model.buttons.length === 10) {
      for (let p = 0; p < 10_000; p++) blocked[p]! |= group.blocked[p]!;
    } else folds.push(group);
  }
  const foldOf = folds.map(({ model }) => foldTable(model));
  for (let f = 0; f < folds.length; f++) {
    const table = foldOf[f]!;
    const folded = folds[f]!.blocked;
    for (let p = 0; p < 10_000; p++) if (folded[table[p]!]) blocked[p] = 1;
  }
  const free = new Uint16Array(10_000);
  let freeCount = 0;
  for (let p = 0; p < 10_000; p++) if (!blocked[p]) free[freeCount++] = p;
  const freePrefixes = freeCount;
  if (freeCount < count) {
    const space = folds.length > 0 ? '625 press prefixes of a 5-button pad' : '10,000 four-digit prefixes';
    noCode(
      `prefixes exhausted: ${freeCount === 0 ? 'none' : `only ${freeCount}`} of the ${space} ${freeCount === 1 ? 'is' : 'are'} free on every lock, and the first four digits of every code must differ (codes, the programming code and deleted-code memory hold the rest; a factory reset frees deleted ones)`,
    );
  }

  const kinds = new Map<KeypadKind, ModelProfile>();
  for (const m of models) if (!kinds.has(m.keypad)) kinds.set(m.keypad, m);
  const judges = [...kinds.values()];
  const codes: string[] = [];
  for (let n = 0; n < count; n++) {
    // On a 5-button pad each code takes 16 typed prefixes at once, so room can run out mid-way.
    if (freeCount === 0) {
      noCode(
        `prefixes exhausted: only ${n} of the ${count} codes fit, as the first four presses of every code must differ`,
      );
    }
    let code: string | null = null;
    for (let draw = 0; draw < MAX_DRAWS && freeCount > 0; draw++) {
      const p = free[random.int(freeCount)]!;
      let candidate = prefixText(p);
      for (let i = 4; i < length; i++) candidate += String(random.int(10));
      if (judges.every((m) => codeAdvice(candidate, m, request.personal).length === 0)) {
        code = candidate;
        break;
      }
    }
    if (code === null) {
      noCode(
        `no ${length}-digit code free of hygiene advice was found in ${MAX_DRAWS} random draws over the ${freeCount} free prefixes${freeCount < 50 ? ' (nearly every prefix is taken)' : ''}: try another length`,
      );
    }
    codes.push(code);
    // The new code takes its prefix on every lock, and on 5-button pads every prefix with the same presses.
    const p = Number(code.slice(0, 4));
    blocked[p] = 1;
    for (const table of foldOf) {
      const mine = table[p]!;
      for (let q = 0; q < 10_000; q++) if (table[q] === mine) blocked[q] = 1;
    }
    freeCount = 0;
    for (let q = 0; q < 10_000; q++) if (!blocked[q]) free[freeCount++] = q;
  }

  let space = Number.POSITIVE_INFINITY;
  for (const m of judges) space = Math.min(space, keyspace(m, length));
  return {
    codes,
    length,
    keyspace: space,
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

/** Longer than any model's longest code (10), as an array bound. */
const MAX_LENGTH = 16;

interface ModelFigures {
  /** Digit to the first label of its button on 5-button pads; null on 10-key pads. */
  fold: Uint8Array | null;
  keyspace: Float64Array;
  rate: Float64Array;
  k: Int32Array;
  lock: Int32Array;
  first: number;
  /** The prefix bitmap of this model's keypad group, shared with same-keypad models. */
  blocked: Uint8Array | null;
}

function modelFigures(model: ModelProfile, first: number): ModelFigures {
  const keyspaces = new Float64Array(MAX_LENGTH);
  const rate = new Float64Array(MAX_LENGTH);
  for (let L = 4; L < MAX_LENGTH; L++) {
    keyspaces[L] = keyspace(model, L);
    rate[L] = triesPerHour(model, L);
  }
  let fold: Uint8Array | null = null;
  if (model.buttons.length !== 10) {
    fold = new Uint8Array(10);
    for (const button of model.buttons) for (const d of button) fold[Number(d)] = Number(button[0]);
  }
  return {
    fold,
    keyspace: keyspaces,
    rate,
    k: new Int32Array(MAX_LENGTH),
    lock: new Int32Array(MAX_LENGTH),
    first,
    blocked: null,
  };
}

/** The first four digits (or presses) as the integer the prefix bitmaps are indexed by. */
function prefixOf(code: string, fold: Uint8Array | null): number {
  const a = code.charCodeAt(0) - 48;
  const b = code.charCodeAt(1) - 48;
  const c = code.charCodeAt(2) - 48;
  const d = code.charCodeAt(3) - 48;
  if (!fold) return a * 1000 + b * 100 + c * 10 + d;
  return fold[a]! * 1000 + fold[b]! * 100 + fold[c]! * 10 + fold[d]!;
}

const FOLDS = new Map<ModelProfile, Uint16Array>();

/**
 * Raw four-digit prefix to the prefix the model's lock sees, digit by digit as prefixKey does
 * (the equality is tested), without building 10,000 strings.
 */
export function foldTable(model: ModelProfile): Uint16Array {
  let table = FOLDS.get(model);
  if (!table) {
    const digit = new Uint16Array(10);
    for (const button of model.buttons) for (const d of button) digit[Number(d)] = Number(button[0]);
    table = new Uint16Array(10_000);
    for (let p = 0; p < 10_000; p++) {
      table[p] =
        digit[Math.floor(p / 1000)]! * 1000 +
        digit[Math.floor(p / 100) % 10]! * 100 +
        digit[Math.floor(p / 10) % 10]! * 10 +
        digit[p % 10]!;
    }
    FOLDS.set(model, table);
  }
  return table;
}
