import type { ModelProfile } from '../catalog/types.js';
import { KeywardError } from '../errors.js';
import { keyspace } from './keypad.js';
import type { LockState } from './lock-state.js';
import { type PrefixGroup, prefixOf } from './prefix-space.js';
import { batteryCondition } from './rules.js';
import { formatHours, SEVERE_HOURS, triesPerHour } from './strength.js';

/** Longer than any model's longest code (10), as an array bound. */
export const MAX_LENGTH = 16;
const MAX_LISTED = 3;

export function noCode(message: string, details?: Record<string, unknown>): never {
  throw new KeywardError('NO_CODE_POSSIBLE', message, details);
}

export function labeller(states: readonly LockState[]): (i: number) => string {
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

export interface ModelFigures {
  /** Digit to the first label of its button on 5-button pads; null on 10-key pads. */
  fold: Uint8Array | null;
  keyspace: Float64Array;
  rate: Float64Array;
  /** The most codes of each length on any one lock of this model, and which lock. */
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

export interface Survey {
  /** Per model: the most codes of each length on any one lock (exposure only grows with that count). */
  perModel: Map<ModelProfile, ModelFigures>;
  /** Blocked prefixes, one bitmap per keypad mapping. */
  groups: Map<string, PrefixGroup>;
  warnings: string[];
}

/**
 * One walk over every lock: the prefixes each blocks (codes, programming code, deleted-code
 * memory), the figures an exposure needs, and what stops or should worry the person asking. A
 * lock without room for `count` codes ends the request; batteries, the programming switch and
 * existing brute-force exposure come back as warnings.
 */
export function surveyLocks(
  states: readonly LockState[],
  models: readonly ModelProfile[],
  count: number,
  label: (i: number) => string,
): Survey {
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
    // Stryker disable next-line ConditionalExpression: equivalent, looking the group up again finds the same bitmap
    if (!blocked) {
      // Stryker disable next-line ArrowFunction,StringLiteral: equivalent, every 5-button pad has the same buttons, so any key that tells 5-button from 10-key finds the same groups
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
  return { perModel, groups, warnings };
}
