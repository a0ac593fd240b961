import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb, lockStateArb, modelArb } from '../../../test/helpers/lock-arbitrary.js';
import { diagnose } from './diagnose.js';
import { fixStep } from './fix-steps.js';
import { SYMPTOMS } from './types.js';

describe('fix steps for the web', () => {
  it('turns a guide command into a button for that operation and slot', () => {
    expect(
      fixStep(
        'Delete the newest code first: conflicts often occur there (keyward guide --op delete-user --slot 3).',
      ),
    ).toEqual({
      text: 'Delete the newest code first: conflicts often occur there.',
      guide: { op: 'delete-user', slot: 3 },
    });
    expect(
      fixStep(
        'Or factory reset (keyward guide --op factory-reset), which clears the memory, and re-add every code.',
      ),
    ).toEqual({
      text: 'Or factory reset, which clears the memory, and re-add every code.',
      guide: { op: 'factory-reset' },
    });
  });

  it('offers the guide for fixes the protocol words without a command', () => {
    expect(fixStep('Delete the newest code (conflicts often occur there).').guide).toEqual({
      op: 'delete-user',
    });
    expect(fixStep('Re-add the code using a slot not previously used (slot 2 is free).').guide).toEqual({
      op: 'add-user',
      slot: 2,
    });
  });

  it('words a command inside a sentence as "the guide"', () => {
    expect(fixStep('keyward guide lists each key and the signal to expect.').text).toBe(
      'The guide lists each key and the signal to expect.',
    );
    expect(
      fixStep(
        'Start again from the first step, following keyward guide --op add-user --slot N --code C (each key and the signal to expect).',
      ),
    ).toEqual({
      text: 'Start again from the first step, following the guide (each key and the signal to expect).',
      guide: { op: 'add-user' },
    });
  });

  it('leaves no command line in any fix of any diagnosis', () => {
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
        fc.constantFrom('programming' as const, 'unlocking' as const),
        (c, symptom, withCode, doing) => {
          const d = diagnose({
            symptom,
            state: c.state,
            model: c.model,
            ...(withCode ? { attemptedCode: c.code } : {}),
            context: { doing, unknown: ['slots'] },
          });
          for (const text of [...d.causes.flatMap((x) => x.fix), ...d.quickFix]) {
            const step = fixStep(text);
            expect(step.text).not.toMatch(/keyward|--[a-z]/);
            expect(step.text.length).toBeGreaterThan(3);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
