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

const candidateArb = modelArb.chain((model) =>
  fc.record({
    model: fc.constant(model),
    state: lockStateArb(model),
    // Lengths straddle the model's limits so the length rule is exercised too.
    code: codeArb(Math.max(1, model.userCodeLength.min - 1), model.userCodeLength.max + 1),
    slot: fc.integer({ min: 1, max: model.slots }),
    reuse: fc.boolean(),
  }),
);

describe('the twin and the rules agree', () => {
  it('check accepts a user code exactly when adding it on the twin ends in the success signals', () => {
    fc.assert(
      fc.property(candidateArb, ({ model, state, code: fresh, slot, reuse }) => {
        // Half the time reuse an existing code's first digits, so prefix clashes are common.
        const existing = Object.values(state.slots);
        const code =
          reuse && existing.length ? existing[slot % existing.length]!.slice(0, 4) + fresh.slice(4) : fresh;
        const verdict = checkCode(state, model, { code, kind: 'user', slot });
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
