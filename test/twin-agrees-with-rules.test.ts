import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Key, ModelProfile, Signal } from '../src/core/catalog/types.js';
import type { LockState } from '../src/core/codes/lock-state.js';
import { checkCode } from '../src/core/codes/rules.js';
import { createTwin, type Input, slotOpenedBy, step } from '../src/core/twin/index.js';
import { codeArb, lockStateArb, modelArb } from './helpers/lock-arbitrary.js';

const press = (k: string): Input => ({ press: k as Key });

/** The model's own add-user keypresses, written out from the guide, not from the guide module. */
function addUserInputs(model: ModelProfile, slot: number, code: string): Input[] {
  const menu = model.programmingCode?.style === 'menu' ? [press('program'), press('1')] : [];
  return [
    ...menu,
    ...Array.from({ length: slot }, () => press('program')),
    ...code.split('').map(press),
    press('lock'),
  ];
}

function programmingInputs(model: ModelProfile, state: LockState, code: string): Input[] | null {
  const p = model.programmingCode;
  if (!p) return null;
  const digits = code.split('').map(press);
  if (p.style === 'menu')
    return [press('program'), press('3'), ...digits, press('kwikset'), ...digits, press('kwikset')];
  // 888: a master code equal to a user code unlocks instead of opening programming.
  if (state.programmingCode === null || slotOpenedBy(state, model, state.programmingCode) !== null)
    return null;
  const c = model.confirmKey;
  return [...state.programmingCode.split('').map(press), press(c), press('4'), press(c), ...digits, press(c)];
}

/**
 * What the lock said about the attempt: the first answer that ends the dialogue (the keypad back
 * at rest with a signal), or silence. Keys after an early refusal would be read as a new entry.
 */
function answer(
  state: LockState,
  model: ModelProfile,
  inputs: Input[],
): { signals: Signal[]; lock: LockState } {
  let twin = createTwin(state);
  for (const input of inputs) {
    const r = step(twin, input, model);
    twin = r.state;
    if (twin.mode.kind === 'idle' && r.signals.length > 0)
      return { signals: [...r.signals], lock: twin.lock };
  }
  return { signals: [], lock: twin.lock };
}

/**
 * The 5-button pad written out here, from the catalog's description (buttons 1-2, 3-4, 5-6, 7-8,
 * 9-0), not from the keypad module the rules and the twin share: a fold both got wrong the same
 * way would otherwise pass.
 */
const BUTTON: Record<string, string> = {
  1: 'A',
  2: 'A',
  3: 'B',
  4: 'B',
  5: 'C',
  6: 'C',
  7: 'D',
  8: 'D',
  9: 'E',
  0: 'E',
};
const PARTNER: Record<string, string> = {
  1: '2',
  2: '1',
  3: '4',
  4: '3',
  5: '6',
  6: '5',
  7: '8',
  8: '7',
  9: '0',
  0: '9',
};
const fiveButton = (model: ModelProfile) => model.keypad === '5-button';

/** The first four digits as the lock compares them: digits, or buttons on a 5-button pad. */
function head(code: string, model: ModelProfile): string {
  const four = code.slice(0, 4);
  return fiveButton(model) ? [...four].map((d) => BUTTON[d]).join('') : four;
}

/** The same first four presses typed with other digits where the pad allows (bit i: digit i). */
function sameButtons(code: string, model: ModelProfile, flips: number): string {
  if (!fiveButton(model)) return code;
  return [...code].map((d, i) => (i < 4 && flips & (1 << i) ? PARTNER[d] : d)).join('');
}

/** Every code the lock compares a new user code with, by the lock's own description. */
function clashes(state: LockState, model: ModelProfile, code: string): boolean {
  if (!/^[0-9]+$/.test(code) || code.length < 4) return false;
  const h = head(code, model);
  const others = [...Object.values(state.slots)];
  if (state.programmingCode && !model.programmingCode?.mayShareUserPrefix) others.push(state.programmingCode);
  if (model.quirks.deletedCodeMemory) others.push(...state.deleted);
  return others.some((c) => c.length >= 4 && head(c, model) === h);
}

type Aim = 'fresh' | 'slot' | 'programming' | 'deleted';

const candidateArb = modelArb.chain((model) =>
  fc.record({
    model: fc.constant(model),
    state: lockStateArb(model),
    // Lengths straddle the model's limits so the length rule is exercised too.
    code: codeArb(Math.max(1, model.userCodeLength.min - 1), model.userCodeLength.max + 1),
    slot: fc.integer({ min: 1, max: model.slots }),
    // Most candidates are aimed at a code the lock already compares against: a slot's code, the
    // programming code or a deleted code, with the same digits or (5-button) the same buttons.
    aim: fc.constantFrom<Aim>('fresh', 'slot', 'programming', 'programming', 'deleted', 'deleted'),
    flips: fc.integer({ min: 0, max: 15 }),
  }),
);

/** The candidate code: fresh, or the target's first four digits (or buttons) and fresh's tail. */
function aimed({
  model,
  state,
  code: fresh,
  slot,
  aim,
  flips,
}: {
  model: ModelProfile;
  state: LockState;
  code: string;
  slot: number;
  aim: Aim;
  flips: number;
}): string {
  const existing = Object.values(state.slots);
  const target =
    aim === 'slot' && existing.length
      ? existing[slot % existing.length]!
      : aim === 'programming' && state.programmingCode
        ? state.programmingCode
        : aim === 'deleted' && state.deleted.length
          ? state.deleted[slot % state.deleted.length]!
          : null;
  if (target === null || target.length < 4) return fresh;
  return sameButtons(target.slice(0, 4), model, flips) + fresh.slice(4);
}

describe('the twin and the rules agree', () => {
  it('check accepts a user code exactly when adding it on the twin ends in the success signals', () => {
    const clashed = { slot: 0, kept: 0 };
    fc.assert(
      fc.property(candidateArb, (c) => {
        const { model, state, slot } = c;
        const code = aimed(c);
        const verdict = checkCode(state, model, { code, kind: 'user', slot });
        if (clashes(state, model, code)) {
          expect(verdict.accepted).toBe(false);
          if (clashes({ ...state, slots: {} }, model, code)) clashed.kept++;
          else clashed.slot++;
        }
        const twin = answer(state, model, addUserInputs(model, slot, code));
        expect(twin.signals).toEqual(verdict.feedback.signals);
        expect(
          twin.signals.length > 0 && JSON.stringify(twin.signals) === JSON.stringify(model.signals.saved),
        ).toBe(verdict.accepted);
        if (verdict.accepted) expect(twin.lock.slots[String(slot)]).toBe(code);
        else expect(twin.lock.slots).toEqual(state.slots);
      }),
      { numRuns: 3000 },
    );
    // The aim must matter: a good share of candidates clash with the programming code or a
    // deleted code (the two the lock keeps out of sight), not only with a slot's code.
    expect(clashed.kept).toBeGreaterThan(3000 * 0.15);
    expect(clashed.slot).toBeGreaterThan(3000 * 0.05);
  });

  it('check accepts a programming code exactly when the model’s own sequence ends in its success signals', () => {
    fc.assert(
      fc.property(
        modelArb
          .filter((m) => m.programmingCode !== null)
          .chain((model) =>
            fc.record({
              model: fc.constant(model),
              state: lockStateArb(model),
              code: codeArb(3, model.programmingCode!.length.max + 1),
            }),
          ),
        ({ model, state, code }) => {
          const inputs = programmingInputs(model, state, code);
          if (!inputs) return;
          const verdict = checkCode(state, model, { code, kind: 'programming' });
          const twin = answer(state, model, inputs);
          expect(twin.signals).toEqual(verdict.feedback.signals);
          expect(twin.lock.programmingCode).toBe(verdict.accepted ? code : state.programmingCode);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('each rejection reason matches what the twin shows: red and 3 beeps, red flashes, or silence', () => {
    fc.assert(
      fc.property(candidateArb, ({ model, state, code, slot }) => {
        const verdict = checkCode(state, model, { code, kind: 'user', slot });
        if (verdict.accepted) return;
        const twin = answer(state, model, addUserInputs(model, slot, code));
        const rules = new Set(verdict.reasons.map((r) => r.rule));
        if (rules.has('battery') && state.voltsPerCell < model.battery.deadBelow)
          expect(twin.signals).toEqual([]);
        else if (rules.has('programming-disabled')) expect(twin.signals).toEqual(model.signals.failure);
        else if (rules.has('battery')) expect(twin.signals).toEqual(model.signals.lowBattery);
        else expect(twin.signals).toEqual(model.signals.failure);
      }),
      { numRuns: 2000 },
    );
  });
});
