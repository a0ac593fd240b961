import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb, lockStateArb } from '../../../test/helpers/lock-arbitrary.js';
import { getModel, MODELS } from '../catalog/index.js';
import type { ModelProfile } from '../catalog/types.js';
import { prefixKey, pressSequence, samePresses } from '../codes/keypad.js';
import { factoryState, type LockState } from '../codes/lock-state.js';
import { buildGuide, type GuideRequest } from '../guide/index.js';
import { createTwin, step, type TwinState } from '../twin/index.js';
import { type DesiredState, type PlanOp, planLock } from './plan.js';

/** Applies one op at the keypad through its proven guide; fails the test on any unexpected signal. */
function applyOnTwin(twin: TwinState, model: ModelProfile, req: GuideRequest): TwinState {
  const result = buildGuide(twin.lock, model, req);
  if (!result.ok)
    throw new Error(
      `guide refused ${JSON.stringify(req)}: ${result.reasons.map((r) => r.message).join('; ')}`,
    );
  let state = twin;
  for (const s of result.guide.steps) {
    const seen = [];
    for (const input of s.inputs) {
      const r = step(state, input, model);
      state = r.state;
      seen.push(...r.signals);
    }
    expect(seen, `${req.op} step ${s.n}`).toEqual(s.expect);
  }
  return state;
}

function requestFor(op: PlanOp): GuideRequest {
  if (op.op === 'delete') return { op: 'delete-user', slot: op.slot };
  if (op.op === 'add') return { op: 'add-user', slot: op.slot, code: op.code };
  return { op: 'set-programming-code', code: op.code };
}

/** A desired state a lock could hold: unique prefixes, clear of the programming code. */
function desiredArb(model: ModelProfile, current: LockState): fc.Arbitrary<DesiredState> {
  const { min, max } = model.userCodeLength;
  const existing = Object.values(current.slots);
  const code = existing.length
    ? fc.oneof(
        codeArb(min, max),
        fc.constantFrom(...existing),
        fc.constantFrom(...existing).map((c) => c.slice(0, 4) + '1'.repeat(Math.max(0, min - 4))),
      )
    : codeArb(min, max);
  return fc
    .array(fc.tuple(fc.integer({ min: 1, max: model.slots }), code), { maxLength: 12 })
    .map((pairs) => {
      const slots: Record<string, string> = {};
      const taken = new Set<number>();
      const pc = current.programmingCode;
      if (pc && !model.programmingCode?.mayShareUserPrefix) taken.add(prefixKey(pc, model));
      for (const [slot, c] of pairs) {
        const key = prefixKey(c, model);
        if (taken.has(key) || slots[String(slot)] !== undefined) continue;
        taken.add(key);
        slots[String(slot)] = c;
      }
      return { slots };
    });
}

const fresh = (model: ModelProfile) =>
  lockStateArb(model).map((s) => ({ ...s, voltsPerCell: 1.5, programmingSwitch: true }));

describe('the planner', () => {
  it('gives plans that succeed at every step on the twin and end in the desired slots', () => {
    let resets = 0;
    let plans = 0;
    fc.assert(
      fc.property(
        fc
          .constantFrom(...MODELS)
          .chain((model) =>
            fresh(model).chain((current) =>
              desiredArb(model, current).map((desired) => ({ model, current, desired })),
            ),
          ),
        ({ model, current, desired }) => {
          const plan = planLock(current, desired, model);
          let twin = createTwin(current);
          if (plan.requiresFactoryReset) {
            resets++;
            twin = applyOnTwin(twin, model, { op: 'factory-reset' });
          }
          for (const op of plan.ops) {
            if (
              op.op === 'set-programming' &&
              twin.lock.programmingCode === null &&
              model.programmingCode?.style === 'keypad'
            ) {
              return; // Only the controller can set a first master code on these models.
            }
            twin = applyOnTwin(twin, model, requestFor(op));
          }
          plans++;
          // On 5-button pads 1357 and 2468 are one code, so compare presses.
          const presses = (slots: Record<string, string>) =>
            Object.fromEntries(Object.entries(slots).map(([s, c]) => [s, pressSequence(c, model)]));
          expect(presses(twin.lock.slots)).toEqual(presses(desired.slots));
        },
      ),
      { numRuns: 800 },
    );
    expect(plans).toBeGreaterThan(500);
    expect(resets).toBeGreaterThan(10);
  });

  it('uses one op per changed slot plus one delete per blocking cycle, which is the minimum', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...MODELS.filter((m) => !m.quirks.deletedCodeMemory))
          .chain((model) =>
            fresh(model).chain((current) =>
              desiredArb(model, current).map((desired) => ({ model, current, desired })),
            ),
          ),
        ({ model, current, desired }) => {
          const plan = planLock(current, desired, model);
          const same = (a?: string, b?: string) =>
            a !== undefined && b !== undefined && samePresses(a, b, model);
          const slots = new Set([...Object.keys(current.slots), ...Object.keys(desired.slots)]);
          const changed = [...slots].filter((s) => !same(current.slots[s], desired.slots[s]));
          // A change waits for the changing slot that holds its prefix now; count the cycles of that graph.
          const waitsOn = new Map<string, string>();
          for (const s of changed) {
            const want = desired.slots[s];
            if (want === undefined) continue;
            const holder = Object.keys(current.slots).find(
              (t) =>
                prefixKey(current.slots[t]!, model) === prefixKey(want, model) &&
                desired.slots[t] !== undefined &&
                changed.includes(t),
            );
            if (holder !== undefined) waitsOn.set(s, holder);
          }
          let cycles = 0;
          const done = new Set<string>();
          for (const start of waitsOn.keys()) {
            const path: string[] = [];
            let node: string | undefined = start;
            while (node !== undefined && !done.has(node) && !path.includes(node)) {
              path.push(node);
              node = waitsOn.get(node);
            }
            if (node !== undefined && path.includes(node)) cycles++;
            for (const n of path) done.add(n);
          }
          expect(plan.ops.length).toBe(changed.length + cycles);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('swaps two codes on a 910 with a delete, an add and an add', () => {
    const model = getModel('910');
    const current = { ...factoryState(model), slots: { '1': '13579', '2': '24680' } };
    // 24680 and 13579 are the same presses on a 5-button pad, so use truly different codes.
    current.slots = { '1': '13579', '2': '35791' };
    const plan = planLock(current, { slots: { '1': '35791', '2': '13579' } }, model);
    expect(plan.ops).toHaveLength(3);
    expect(plan.ops[0]).toMatchObject({ op: 'delete' });
    expect(plan.requiresFactoryReset).toBe(false);
  });

  it('replacing a code with one of the same prefix on a 910 deletes first', () => {
    const model = getModel('910');
    const plan = planLock(
      { ...factoryState(model), slots: { '3': '29475' } },
      { slots: { '3': '29477' } },
      model,
    );
    expect(plan.ops).toEqual([
      { op: 'delete', slot: 3 },
      { op: 'add', slot: 3, code: '29477' },
    ]);
  });

  it('on a 264 a desired prefix held by deleted-code memory needs a factory reset and says so', () => {
    const model = getModel('264');
    const current = { ...factoryState(model), slots: { '1': '8163' }, deleted: ['29475'] };
    const plan = planLock(current, { slots: { '1': '8163', '2': '29476' } }, model);
    expect(plan.requiresFactoryReset).toBe(true);
    expect(plan.reasons[0]).toMatchObject({ rule: 'deleted-prefix', slot: 2 });
    expect(plan.alternatives[0]!.message).toContain('2947');
    expect(plan.ops).toEqual([
      { op: 'add', slot: 1, code: '8163' },
      { op: 'add', slot: 2, code: '29476' },
    ]);
  });

  it('leaves an unchanged lock alone', () => {
    const model = getModel('914');
    const current = { ...factoryState(model), slots: { '1': '8163', '7': '5820' } };
    expect(planLock(current, { slots: { '1': '8163', '7': '5820' } }, model).ops).toEqual([]);
  });

  it('refuses a desired state whose codes share a prefix, as bad input', () => {
    const model = getModel('914');
    expect(() => planLock(factoryState(model), { slots: { '1': '29475', '2': '29476' } }, model)).toThrow(
      /share the first four digits 2947/,
    );
  });
});
