import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../src/core/catalog/index.js';
import type { ModelProfile, Signal } from '../src/core/catalog/types.js';
import { factoryState, type LockState } from '../src/core/codes/lock-state.js';
import { buildGuide, type Guide, type GuideRequest } from '../src/core/guide/index.js';
import { createTwin, step, type TwinState } from '../src/core/twin/index.js';
import { codeArb, lockStateArb, modelArb } from './helpers/lock-arbitrary.js';

/** Replays a guide on the twin and returns the signals of each step and the final lock. */
function replay(
  start: LockState,
  model: ModelProfile,
  guide: Guide,
): { perStep: Signal[][]; end: TwinState } {
  let twin = createTwin(start);
  const perStep: Signal[][] = [];
  for (const s of guide.steps) {
    const seen: Signal[] = [];
    for (const input of s.inputs) {
      const r = step(twin, input, model);
      twin = r.state;
      seen.push(...r.signals);
    }
    perStep.push(seen);
  }
  return { perStep, end: twin };
}

function expectProven(start: LockState, model: ModelProfile, req: GuideRequest): boolean {
  const result = buildGuide(start, model, req);
  if (!result.ok) return false;
  const { perStep, end } = replay(start, model, result.guide);
  for (const [i, s] of result.guide.steps.entries()) {
    expect(perStep[i], `step ${s.n}: ${s.instruction}`).toEqual(s.expect);
  }
  expect(end.lock.slots).toEqual(result.guide.final.slots);
  expect(end.lock.programmingCode).toEqual(result.guide.final.programmingCode);
  expect([...end.lock.deleted].sort()).toEqual([...result.guide.final.deleted].sort());
  expect(end.lock.programmingSwitch).toEqual(result.guide.final.programmingSwitch);
  return true;
}

describe('every guide is proven on the twin', () => {
  it('adding a user code shows exactly the promised signals on every model and many random locks', () => {
    let proven = 0;
    fc.assert(
      fc.property(
        modelArb.chain((model) =>
          fc.record({
            model: fc.constant(model),
            state: lockStateArb(model),
            code: codeArb(model.userCodeLength.min, model.userCodeLength.max),
            slot: fc.integer({ min: 1, max: model.slots }),
          }),
        ),
        ({ model, state, code, slot }) => {
          if (expectProven(state, model, { op: 'add-user', code, slot })) proven++;
        },
      ),
      { numRuns: 600 },
    );
    expect(proven).toBeGreaterThan(100);
  });

  it('deleting a user code by slot is proven for every model and every occupied slot of random locks', () => {
    fc.assert(
      fc.property(
        modelArb.chain((model) => fc.record({ model: fc.constant(model), state: lockStateArb(model) })),
        ({ model, state }) => {
          for (const slot of Object.keys(state.slots)) {
            expectProven(state, model, { op: 'delete-user', slot: Number(slot) });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('changing the programming code is proven wherever the keypad allows it', () => {
    const models = MODELS.filter((m) => m.programmingCode);
    let proven = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...models).chain((model) =>
          fc.record({
            model: fc.constant(model),
            state: lockStateArb(model),
            code: codeArb(model.programmingCode!.length.min, model.programmingCode!.length.max),
          }),
        ),
        ({ model, state, code }) => {
          if (expectProven(state, model, { op: 'set-programming-code', code })) proven++;
        },
      ),
      { numRuns: 400 },
    );
    expect(proven).toBeGreaterThan(50);
  });

  it('factory reset, delete-all, delete-by-code, test-code and the 955 switch are proven on every model that has them', () => {
    fc.assert(
      fc.property(
        modelArb.chain((model) => fc.record({ model: fc.constant(model), state: lockStateArb(model) })),
        ({ model, state }) => {
          expectProven(state, model, { op: 'factory-reset' });
          if (model.quirks.deleteAllCodes) expectProven(state, model, { op: 'delete-all' });
          for (const code of Object.values(state.slots)) {
            expectProven(state, model, { op: 'test-code', code });
            if (model.programmingCode?.style === 'menu')
              expectProven(state, model, { op: 'delete-user-by-code', code });
          }
          if (model.quirks.programmingSwitch) {
            expectProven(state, model, { op: 'programming-switch', on: false });
            expectProven(state, model, { op: 'programming-switch', on: true });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a guide for a factory-new lock of every model adds slot 1 and opens the door', () => {
    for (const model of MODELS) {
      const code = model.keypad === '5-button' ? '13579' : '8163';
      expect(expectProven(factoryState(model), model, { op: 'add-user', slot: 1, code }), model.id).toBe(
        true,
      );
    }
  });
});
