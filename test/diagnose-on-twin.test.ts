import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getModel, MODELS } from '../src/core/catalog/index.js';
import type { Key, ModelProfile, Signal } from '../src/core/catalog/types.js';
import { factoryState, type LockState } from '../src/core/codes/lock-state.js';
import { type DiagnoseContext, diagnose, type Symptom } from '../src/core/diagnose/index.js';
import { runInputs } from '../src/core/twin/index.js';
import type { Input } from '../src/core/twin/types.js';
import { codeArb, lockStateArb } from './helpers/lock-arbitrary.js';

/** What a person at the door would report for the signals the twin gave. */
function report(signals: readonly Signal[]): { symptom: Symptom; redFlashes?: number } | null {
  if (signals.length === 0) return { symptom: 'no-response' };
  let red = 0;
  let beeps = 0;
  for (const s of signals) {
    if ('led' in s && s.led === 'red') red += s.count;
    if ('beep' in s) beeps += s.count;
  }
  if (red === 0) return null;
  if (beeps === 3) return { symptom: 'red-3-beeps' };
  return { symptom: 'red-flashes', redFlashes: red };
}

const press = (key: Key): Input => ({ press: key });

/** The guide's add-a-user-code keys on models whose first Program press selects slot 1. */
function addUser(slot: number, code: string): Input[] {
  return [
    ...Array.from({ length: slot }, () => press('program')),
    ...[...code].map((d) => press(d as Key)),
    press('lock'),
  ];
}

function lastSignals(lock: LockState, inputs: Input[], model: ModelProfile): Signal[] {
  const trace = runInputs(lock, inputs, model);
  return trace.lines.at(-1)!.signals;
}

function diagnoseReport(
  lock: LockState,
  model: ModelProfile,
  seen: { symptom: Symptom; redFlashes?: number },
  extra: { attemptedCode?: string; attemptedSlot?: number; context?: DiagnoseContext } = {},
) {
  return diagnose({
    symptom: seen.symptom,
    state: lock,
    model,
    ...extra,
    context: { ...extra.context, ...(seen.redFlashes !== undefined ? { redFlashes: seen.redFlashes } : {}) },
  });
}

describe('diagnose reads what the twin shows', () => {
  const m264 = getModel('264');

  it('names slot 7 after the twin refuses 29476 next to 29475', () => {
    const lock = { ...factoryState(m264), slots: { '7': '29475' } };
    const seen = report(lastSignals(lock, addUser(1, '29476'), m264))!;
    expect(seen.symptom).toBe('red-3-beeps');
    const d = diagnoseReport(lock, m264, seen, { attemptedCode: '29476', attemptedSlot: 1 });
    expect(d.causes[0]).toMatchObject({ id: 'prefix-conflict', conflictsWith: 7 });
  });

  it('reads the lockout after three wrong codes', () => {
    const lock = { ...factoryState(m264), slots: { '1': '29475' } };
    const wrong = [...'5555'].map((d) => press(d as Key)).concat(press('kwikset'));
    const seen = report(lastSignals(lock, [...wrong, ...wrong, ...wrong], m264))!;
    expect(seen).toEqual({ symptom: 'red-flashes', redFlashes: 15 });
    expect(diagnoseReport(lock, m264, seen).causes[0]!.id).toBe('wrong-code-lockout');
  });

  it('reads a programming time-out from its single red flash', () => {
    const lock = factoryState(m264);
    const inputs = [press('program'), press('2'), { wait: m264.programmingTimeoutMs + 1 }];
    const seen = report(lastSignals(lock, inputs, m264))!;
    expect(seen).toEqual({ symptom: 'red-flashes', redFlashes: 1 });
    const d = diagnoseReport(lock, m264, seen, { context: { doing: 'programming' } });
    expect(d.causes[0]!.id).toBe('programming-timeout');
  });

  it('reads the wrong code a person typed at the door', () => {
    const lock = { ...factoryState(m264), slots: { '1': '29475' } };
    const seen = report(
      lastSignals(lock, [...[...'8163'].map((d) => press(d as Key)), press('kwikset')], m264),
    )!;
    expect(seen.symptom).toBe('red-3-beeps');
    const d = diagnoseReport(lock, m264, seen, { attemptedCode: '8163', context: { doing: 'unlocking' } });
    expect(d.causes[0]!.id).toBe('code-not-on-lock');
  });

  // The 955 opens a menu on its first Program press, so the plain add-user keys do not apply to it.
  const slotSelectModels = MODELS.filter((m) => m.programmingCode?.style !== 'menu');

  it('puts first a cause the lock state confirms, whenever the twin refuses a new code', () => {
    const arb = fc.constantFrom(...slotSelectModels).chain((model) =>
      fc.record({
        model: fc.constant(model),
        lock: lockStateArb(model, { maxCodes: 12 }),
        code: codeArb(3, model.userCodeLength.max + 1),
        slot: fc.integer({ min: 1, max: model.slots }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ model, lock, code, slot }) => {
        const seen = report(lastSignals(lock, addUser(slot, code), model));
        fc.pre(seen !== null);
        const d = diagnoseReport(lock, model, seen!, {
          attemptedCode: code,
          attemptedSlot: slot,
          context: { doing: 'programming' },
        });
        expect(d.causes[0]!.basis).toBe('confirmed');
      }),
      { numRuns: 300 },
    );
  });
});
