import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb, lockStateArb, modelArb } from '../../../test/helpers/lock-arbitrary.js';
import { getModel } from '../catalog/index.js';
import { factoryState } from '../codes/lock-state.js';
import { diagnose } from './diagnose.js';
import { hideCodes } from './redact.js';
import { SYMPTOMS } from './types.js';

describe('a diagnosis without the lock’s codes', () => {
  it('names the slot’s holder instead of the digits, and keeps what the person typed', () => {
    const model = getModel('264');
    const state = { ...factoryState(model), slots: { '3': '29475' } };
    const d = diagnose({
      symptom: 'red-3-beeps',
      state,
      model,
      attemptedCode: '29476',
      context: { doing: 'programming' },
    });
    const shown = hideCodes(d, model, [{ code: '29475', label: 'Ana’s code' }], '29476');
    const first = shown.causes[0]!;
    expect(first.explanation).toContain('Slot 3 holds Ana’s code');
    expect(first.explanation).toContain('29476');
    expect(JSON.stringify(shown)).not.toContain('29475');
  });

  it('keeps the guide’s own example, which is no one’s code', () => {
    const model = getModel('264');
    const state = { ...factoryState(model), slots: { '2': '58213' } };
    const d = diagnose({
      symptom: 'red-3-beeps',
      state,
      model,
      attemptedCode: '58214',
      context: { doing: 'programming' },
    });
    const text = hideCodes(d, model, [{ code: '58213', label: 'Kim’s code' }], '58214').causes[0]!
      .explanation;
    expect(text).toContain('Slot 2 holds Kim’s code');
    expect(text).toContain('29475 and 29476 cannot share a lock');
    expect(text).not.toContain('58213');
  });

  it('shows no stored or deleted code, nor the programming code, whatever the diagnosis', () => {
    fc.assert(
      fc.property(
        modelArb.chain((model) =>
          fc.record({
            model: fc.constant(model),
            state: lockStateArb(model),
            code: codeArb(4, model.userCodeLength.max),
          }),
        ),
        fc.constantFrom(...SYMPTOMS),
        fc.boolean(),
        (c, symptom, withCode) => {
          const typed = withCode ? c.code : undefined;
          const d = diagnose({
            symptom,
            state: c.state,
            model: c.model,
            ...(typed ? { attemptedCode: typed } : {}),
          });
          const named = Object.entries(c.state.slots).map(([slot, code]) => ({
            code,
            label: `slot ${slot}’s code`,
          }));
          const text = JSON.stringify(hideCodes(d, c.model, named, typed));
          const secrets = [
            ...Object.values(c.state.slots),
            ...c.state.deleted,
            c.state.programmingCode ?? '',
          ];
          for (const s of secrets) {
            if (s.length < 4 || s === typed || typed?.startsWith(s)) continue;
            expect(text).not.toMatch(new RegExp(`(?<![0-9])${s}(?![0-9])`));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
