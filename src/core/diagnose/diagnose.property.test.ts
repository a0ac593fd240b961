import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb, lockStateArb, modelArb } from '../../../test/helpers/lock-arbitrary.js';
import type { ModelProfile } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';
import { batteryCondition, checkCode } from '../codes/rules.js';
import { diagnose, shares } from './diagnose.js';
import { type DiagnoseContext, type StateField, SYMPTOMS } from './types.js';

const FIELDS: StateField[] = ['slots', 'deleted', 'programmingCode', 'voltsPerCell', 'programmingSwitch'];

/** Whatever a caller may add: anything but "I was unlocking", which asks a different question. */
const contextArb: fc.Arbitrary<DiagnoseContext> = fc.record(
  {
    doing: fc.constant('programming' as const),
    wrongAttempts: fc.integer({ min: 0, max: 5 }),
    redFlashes: fc.constantFrom(1, 3, 15),
    batteriesReplaced: fc.boolean(),
    unknown: fc.subarray(FIELDS),
  },
  { requiredKeys: [] },
);

const caseArb = modelArb.chain((model) =>
  fc.record({
    model: fc.constant(model),
    state: lockStateArb(model),
    code: codeArb(4, model.userCodeLength.max),
    slot: fc.option(fc.integer({ min: 1, max: model.slots }), { nil: undefined }),
    context: contextArb,
  }),
);

/**
 * A lock with at least one code and an attempted code built on one of them: its first four
 * digits (on a 5-button pad, any digits of the same buttons) and a tail of its own, so most
 * cases collide and the rest test the near misses.
 */
const conflictArb = modelArb.chain((model) =>
  lockStateArb(model)
    .filter((state) => Object.keys(state.slots).length > 0)
    .chain((state) => {
      const held = Object.values(state.slots);
      return fc.record({
        model: fc.constant(model),
        state: fc.constant(state),
        code: fc
          .tuple(
            fc.constantFrom(...held),
            fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
            codeArb(0, model.userCodeLength.max - 4),
          )
          .map(([base, swaps, tail]) => {
            const head = [...base.slice(0, 4)].map((d, i) => {
              const button = model.buttons.find((b) => b.includes(d as never))!;
              return swaps[i] ? button[button.length - 1]! : d;
            });
            return head.join('') + tail;
          }),
        slot: fc.option(fc.integer({ min: 1, max: model.slots }), { nil: undefined }),
        context: contextArb,
      });
    }),
);

/** Known-weak cells: from the dead level up to where programming starts failing. */
const weakArb = modelArb.chain((model) =>
  fc.tuple(
    fc.constant(model),
    fc
      .tuple(
        lockStateArb(model),
        fc.integer({
          min: Math.round(model.battery.deadBelow * 100),
          max: Math.round(model.battery.programmingFailsAtOrBelow * 100),
        }),
      )
      .map(([state, centivolts]) => ({ ...state, voltsPerCell: centivolts / 100 })),
  ),
);

interface Case {
  model: ModelProfile;
  state: LockState;
  code: string;
  slot: number | undefined;
  context: DiagnoseContext;
}

function candidate(c: Case) {
  return { code: c.code, ...(c.slot !== undefined ? { slot: c.slot } : {}) };
}

describe('diagnose, for every lock and attempted code', () => {
  it('ranks first the cause naming the slot checkCode finds in conflict with the attempted code', () => {
    fc.assert(
      fc.property(conflictArb, (c) => {
        const conflict = checkCode(c.state, c.model, candidate(c)).reasons.find((r) => r.rule === 'prefix');
        fc.pre(conflict !== undefined);
        const d = diagnose({
          symptom: 'red-3-beeps',
          state: c.state,
          model: c.model,
          attemptedCode: c.code,
          attemptedSlot: c.slot,
          context: c.context,
        });
        expect(d.causes[0]!.conflictsWith).toBe(conflict!.conflictsWith);
        expect(d.causes[0]!.explanation).toContain(`Slot ${conflict!.conflictsWith}`);
        expect(d.causes[0]!.likelihood).toBeGreaterThanOrEqual(0.9);
      }),
      { numRuns: 300 },
    );
  });

  it('claims a slot conflict as confirmed only when checkCode reports one with that slot', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...SYMPTOMS), (c, symptom) => {
        const reasons = checkCode(c.state, c.model, candidate(c)).reasons;
        const d = diagnose({
          symptom,
          state: c.state,
          model: c.model,
          attemptedCode: c.code,
          attemptedSlot: c.slot,
          context: c.context,
        });
        for (const cause of d.causes) {
          if (!['prefix-conflict', 'duplicate-code', 'same-presses'].includes(cause.id)) continue;
          if (cause.basis !== 'confirmed') continue;
          expect(reasons.some((r) => r.rule === 'prefix' && r.conflictsWith === cause.conflictsWith)).toBe(
            true,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('claims no refusal of a code the lock would accept', () => {
    const refusals = [
      'prefix-conflict',
      'duplicate-code',
      'same-presses',
      'deleted-code-memory',
      'lock-full',
      'code-length',
    ];
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...SYMPTOMS), (c, symptom) => {
        fc.pre(
          checkCode(c.state, c.model, candidate(c)).reasons.every(
            (r) => r.rule === 'battery' || r.rule === 'programming-disabled',
          ),
        );
        const d = diagnose({
          symptom,
          state: c.state,
          model: c.model,
          attemptedCode: c.code,
          attemptedSlot: c.slot,
        });
        const claimed = d.causes.filter((x) => x.basis === 'confirmed' && refusals.includes(x.id));
        expect(claimed).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('lists causes from the most likely down, each in 0..1, once, with a fix', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...SYMPTOMS), fc.boolean(), (c, symptom, withCode) => {
        const d = diagnose({
          symptom,
          state: c.state,
          model: c.model,
          ...(withCode ? { attemptedCode: c.code } : {}),
          context: c.context,
        });
        expect(d.causes.length).toBeGreaterThan(0);
        const keys = new Set<string>();
        d.causes.forEach((cause, i) => {
          expect(cause.likelihood).toBeGreaterThanOrEqual(0);
          expect(cause.likelihood).toBeLessThanOrEqual(1);
          if (i > 0) expect(cause.likelihood).toBeLessThanOrEqual(d.causes[i - 1]!.likelihood);
          expect(cause.fix.length).toBeGreaterThan(0);
          const key = `${cause.id}:${cause.conflictsWith ?? ''}`;
          expect(keys.has(key)).toBe(false);
          keys.add(key);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives likelihoods that add up to 100% at most, whatever is known or asked', () => {
    fc.assert(
      fc.property(
        fc.oneof(caseArb, conflictArb),
        fc.constantFrom(...SYMPTOMS),
        fc.boolean(),
        fc.constantFrom('programming' as const, 'unlocking' as const, undefined),
        (c, symptom, withCode, doing) => {
          const d = diagnose({
            symptom,
            state: c.state,
            model: c.model,
            ...(withCode ? { attemptedCode: c.code } : {}),
            context: { ...c.context, ...(doing ? { doing } : {}) },
          });
          const total = Math.round(d.causes.reduce((n, x) => n + x.likelihood * 100, 0));
          expect(total).toBeLessThanOrEqual(100);
          for (const x of d.causes) expect(x.likelihood).toBeGreaterThanOrEqual(0.01);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('shares whole percents that keep the order, never pass 100 and give every cause 1% or more', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (raw) => {
        const scores = [...raw].sort((a, b) => b - a);
        const p = shares(scores);
        expect(p).toHaveLength(scores.length);
        expect(p.reduce((n, x) => n + x, 0)).toBeLessThanOrEqual(100);
        p.forEach((x, i) => {
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(1);
          if (i > 0) expect(x).toBeLessThanOrEqual(p[i - 1]!);
        });
        // A cause alone (or first) keeps its own score, as far as the others' 1% each allow.
        if (scores.length > 0) {
          expect(p[0]).toBe(Math.min(Math.max(1, Math.round(scores[0]! * 100)), 101 - scores.length));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('puts known-weak batteries first for red flashes or 3 beeps when nothing else is known to be wrong', () => {
    fc.assert(
      fc.property(weakArb, ([model, state]) => {
        expect(batteryCondition(state, model)).toBe('weak');
        for (const symptom of ['red-flashes', 'red-3-beeps'] as const) {
          const d = diagnose({ symptom, state, model });
          expect(d.causes[0]!.id).toBe('weak-batteries');
        }
      }),
      { numRuns: 200 },
    );
  });
});
