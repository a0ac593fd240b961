import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../core/catalog/index.js';
import { factoryState } from '../core/codes/lock-state.js';
import { buildGuide, spaced } from '../core/guide/index.js';
import { maskDigits, maskStep } from './session-view.js';

describe('masking a guide session', () => {
  it('hides the code from every step of adding it, on every model, and keeps everything else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.integer({ min: 1, max: 30 }),
        fc.stringMatching(/^[0-9]{4,8}$/),
        (model, slot, code) => {
          const built = buildGuide(factoryState(model), model, { op: 'add-user', slot, code });
          if (!built.ok) return;
          for (const step of built.guide.steps) {
            const masked = maskStep(step);
            expect(masked.instruction).not.toContain(spaced(code));
            expect(masked.instruction).not.toContain(code);
            expect(masked.inputs).toEqual([]);
            expect(masked.expect).toEqual(step.expect);
            // Only the code's digits turn into dots: a step that types no code reads as before.
            if (!step.instruction.includes(spaced(code))) expect(masked.instruction).toBe(step.instruction);
          }
        },
      ),
    );
  });

  it('dots digit runs of four or more in diagnoses, spaced or not, and leaves slot numbers and times', () => {
    expect(maskDigits('Slot 7 holds 29475, which starts with 2947 as 2 9 4 7 6')).toBe(
      'Slot 7 holds •••••, which starts with •••• as • • • • •',
    );
    expect(maskDigits('More than 5 s passed; slot 12 of 30')).toBe('More than 5 s passed; slot 12 of 30');
  });
});
