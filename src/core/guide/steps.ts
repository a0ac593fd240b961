import type { Key, ModelProfile, Signal } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';
import type { Reason } from '../codes/rules.js';
import { KeywardError } from '../errors.js';
import type { Input } from '../twin/types.js';
import { fixFor } from './fixes.js';
import type { GuideRequest, GuideResult, GuideStep } from './types.js';
import { describeSignals, keyName, spaced } from './words.js';

/** What one procedure works on: it adds steps and notes, and returns the final state or a refusal. */
export interface Procedure {
  steps: Steps;
  notes: string[];
  state: LockState;
  model: ModelProfile;
  req: GuideRequest;
}

export type Refusal = Extract<GuideResult, { ok: false }>;

export const press = (key: Key): Input => ({ press: key });
export const digits = (code: string): Input[] => code.split('').map((d) => press(d as Key));
const repeat = (signals: readonly Signal[], n: number): Signal[] =>
  Array.from({ length: n }, () => signals).flat();

export const SYMPTOM_HELP = {
  save: 'Red flash and 3 beeps: the lock refused the code (keyward diagnose --symptom red-3-beeps). Red flashes only: weak batteries (--symptom red-flashes). Nothing at all: dead batteries (--symptom no-response).',
  key: 'A red flash or 3 beeps instead: the lock left programming (a key came too late or out of order); start again from step 1 (keyward diagnose --symptom red-3-beeps).',
  unlock:
    'Red flash and 3 beeps, or the bolt stays out: the code is not on the lock (keyward diagnose --symptom code-does-not-unlock).',
};

export class Steps {
  readonly list: GuideStep[] = [];
  add(instruction: string, inputs: Input[], expect: readonly Signal[], extra: Partial<GuideStep> = {}): void {
    this.list.push({ n: this.list.length + 1, instruction, inputs, expect: [...expect], ...extra });
  }
}

export function refuse(model: ModelProfile, req: GuideRequest, reasons: Reason[], state: LockState): Refusal {
  return {
    ok: false,
    model: model.id,
    op: req.op,
    reasons,
    fixes: reasons.map((r) => fixFor(r, model, state, req)),
  };
}

export function need<T>(value: T | undefined, what: string, op: string): T {
  if (value === undefined) throw new KeywardError('BAD_INPUT', `--op ${op} needs ${what}`);
  return value;
}

export function unsupported(model: ModelProfile, what: string): never {
  throw new KeywardError('UNSUPPORTED', `model ${model.id} ${what}`);
}

/** Every model with an interior switch needs it on before any programming. */
export function switchOn(steps: Steps, state: LockState, model: ModelProfile): LockState {
  if (!model.quirks.programmingSwitch || state.programmingSwitch) return state;
  steps.add('Turn the interior programming switch ON.', [{ switch: 'programming', on: true }], []);
  return { ...state, programmingSwitch: true };
}

export function selectSlot(steps: Steps, model: ModelProfile, slot: number): void {
  const within = { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.key };
  if (model.programmingCode?.style === 'menu') {
    steps.add(
      `Press ${keyName('program', model)} once: expect ${describeSignals(model.signals.menuOpened)} (programming mode).`,
      [press('program')],
      model.signals.menuOpened,
      within,
    );
    steps.add(
      `Press 1 (add or clear a user code): expect ${describeSignals(model.signals.slotSelected)}.`,
      [press('1')],
      model.signals.slotSelected,
      within,
    );
  }
  steps.add(
    `Press ${keyName('program', model)} ${slot} time${slot === 1 ? '' : 's'} for slot ${slot}: the LED flashes green once per press.`,
    Array.from({ length: slot }, () => press('program')),
    repeat(model.signals.slotSelected, slot),
    within,
  );
}

export function testStep(steps: Steps, model: ModelProfile, code: string): void {
  steps.add(
    `With the door still open, test it: enter ${spaced(code)} and press ${keyName(model.confirmKey, model)}: expect ${describeSignals(model.signals.unlocked)} and the bolt retracts.`,
    [...digits(code), press(model.confirmKey)],
    model.signals.unlocked,
    { ifDifferent: SYMPTOM_HELP.unlock },
  );
}

export function withoutSlot(state: LockState, model: ModelProfile, slot: number): LockState {
  const slots = { ...state.slots };
  const old = slots[String(slot)];
  delete slots[String(slot)];
  const deleted =
    old !== undefined && model.quirks.deletedCodeMemory ? [...state.deleted, old] : state.deleted;
  return { ...state, slots, deleted };
}
