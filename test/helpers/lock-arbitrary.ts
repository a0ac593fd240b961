import fc from 'fast-check';
import { MODELS } from '../../src/core/catalog/index.js';
import type { ModelProfile } from '../../src/core/catalog/types.js';
import { pressSequence } from '../../src/core/codes/keypad.js';
import { factoryState, type LockState } from '../../src/core/codes/lock-state.js';

export const modelArb = fc.constantFrom(...MODELS);

export function codeArb(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), {
      minLength: min,
      maxLength: max,
    })
    .map((d) => d.join(''));
}

/**
 * A lock state a real lock could be in: codes added one by one under the lock's own rules, so
 * no two share a prefix and none collides with the programming code or the deleted memory.
 */
export function lockStateArb(model: ModelProfile, opts: { maxCodes?: number } = {}): fc.Arbitrary<LockState> {
  const { min, max } = model.userCodeLength;
  const pc = model.programmingCode;
  return fc
    .record({
      codes: fc.array(fc.tuple(fc.integer({ min: 1, max: model.slots }), codeArb(min, max)), {
        maxLength: opts.maxCodes ?? 40,
      }),
      deleted: fc.array(codeArb(4, max), { maxLength: 4 }),
      programming: pc
        ? fc.option(codeArb(pc.length.min, pc.length.max), { nil: undefined })
        : fc.constant(undefined),
      volts: fc.oneof(
        { weight: 6, arbitrary: fc.constant(1.5) },
        { weight: 1, arbitrary: fc.double({ min: 0.9, max: 1.6, noNaN: true }) },
      ),
      programmingSwitch: fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    })
    .map(({ codes, deleted, programming, volts, programmingSwitch }) => {
      const state = factoryState(model);
      const head = (c: string) => pressSequence(c.slice(0, 4), model);
      const taken = new Set<string>();
      if (programming !== undefined) state.programmingCode = programming;
      const pcHead = state.programmingCode && !pc?.mayShareUserPrefix ? head(state.programmingCode) : null;
      if (model.quirks.deletedCodeMemory) {
        for (const d of deleted) {
          if (d.length >= 4 && head(d) !== pcHead) {
            state.deleted.push(d);
            taken.add(head(d));
          }
        }
      }
      for (const [slot, code] of codes) {
        const h = head(code);
        if (taken.has(h) || h === pcHead || state.slots[String(slot)] !== undefined) continue;
        taken.add(h);
        state.slots[String(slot)] = code;
      }
      state.voltsPerCell = Math.round(volts * 100) / 100;
      state.programmingSwitch = programmingSwitch;
      return state;
    });
}

export const modelAndStateArb = modelArb.chain((model) =>
  lockStateArb(model).map((state) => ({ model, state })),
);
