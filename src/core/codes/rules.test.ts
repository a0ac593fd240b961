import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb, lockStateArb, modelAndStateArb, modelArb } from '../../../test/helpers/lock-arbitrary.js';
import { lock, rules } from '../../../test/helpers/lock-states.js';
import { getModel, MODELS } from '../catalog/index.js';
import { pressSequence } from './keypad.js';
import type { LockState } from './lock-state.js';
import { checkCode, type Verdict } from './rules.js';

const m264 = getModel('264');
const m888 = getModel('888');
const m910 = getModel('910');
const m914 = getModel('914');
const m955 = getModel('955');

describe('length and digits', () => {
  it('takes 4 to 8 digits for a user code on a button model and refuses 3 and 9', () => {
    expect(checkCode(lock('264'), m264, { code: '2947' }).accepted).toBe(true);
    expect(checkCode(lock('264'), m264, { code: '29471234' }).accepted).toBe(true);
    expect(rules(checkCode(lock('264'), m264, { code: '294' }))).toEqual(['length']);
    const long = checkCode(lock('264'), m264, { code: '294712345' });
    expect(rules(long)).toEqual(['length']);
    expect(long.reasons[0]!.message).toMatch(/too long.*4-8/);
  });

  it('takes a 10-digit user code on the 275 touchscreen and a 10-digit programming code on the 264', () => {
    expect(checkCode(lock('275'), getModel('275'), { code: '2947112345' }).accepted).toBe(true);
    expect(checkCode(lock('264'), m264, { code: '2947112345', kind: 'programming' }).accepted).toBe(true);
    expect(rules(checkCode(lock('955'), m955, { code: '2947112345', kind: 'programming' }))).toEqual([
      'length',
    ]);
  });

  it('refuses anything but the digits 0-9', () => {
    expect(rules(checkCode(lock('264'), m264, { code: '29a7' }))).toEqual(['digits']);
  });
});

describe('slots and capacity', () => {
  it('puts a code in the first free slot', () => {
    expect(checkCode(lock('264', { slots: { '1': '11223344' } }), m264, { code: '2947' }).slot).toBe(2);
  });

  it('refuses a 31st code and says so', () => {
    const slots: Record<string, string> = {};
    for (let s = 1; s <= 30; s++) slots[String(s)] = String(1000 + s * 37);
    const v = checkCode(lock('264', { slots }), m264, { code: '2947' });
    expect(rules(v)).toEqual(['capacity']);
    expect(v.reasons[0]!.message).toMatch(/all 30 slots are full/);
  });

  it('refuses a slot the model does not have', () => {
    const v = checkCode(lock('264'), m264, { code: '2947', slot: 31 });
    expect(rules(v)).toEqual(['slot']);
    expect(v.reasons[0]!.message).toMatch(/slots 1-30/);
  });
});

describe('the first-four-digit rule', () => {
  it('refuses 29476 after 29475 and names slot 1, as the guide says', () => {
    const v = checkCode(lock('264', { slots: { '1': '29475' } }), m264, { code: '29476' });
    expect(v.accepted).toBe(false);
    expect(v.reasons).toEqual([expect.objectContaining({ rule: 'prefix', conflictsWith: 1 })]);
    expect(v.feedback).toMatchObject({ led: 'red', flashes: 1, beeps: 3 });
  });

  it('takes 2947 and 8163 together, as the guide says', () => {
    expect(checkCode(lock('264', { slots: { '1': '2947' } }), m264, { code: '8163' }).accepted).toBe(true);
  });

  it('refuses 2947 next to 29475: the shorter code is the prefix', () => {
    const v = checkCode(lock('264', { slots: { '3': '29475' } }), m264, { code: '2947' });
    expect(v.reasons).toEqual([expect.objectContaining({ rule: 'prefix', conflictsWith: 3 })]);
  });

  it('compares presses on a 5-button pad: 2468 collides with 1357 and 24682 with 13571', () => {
    const same = checkCode(lock('910', { slots: { '1': '1357' } }), m910, { code: '2468' });
    expect(same.reasons).toEqual([expect.objectContaining({ rule: 'prefix', conflictsWith: 1 })]);
    expect(same.reasons[0]!.message).toMatch(/same buttons/);
    const prefix = checkCode(lock('910', { slots: { '2': '13571' } }), m910, { code: '24682' });
    expect(prefix.reasons).toEqual([expect.objectContaining({ rule: 'prefix', conflictsWith: 2 })]);
    // On a 10-key pad they are different codes.
    expect(checkCode(lock('914', { slots: { '1': '1357' } }), m914, { code: '2468' }).accepted).toBe(true);
  });
});

describe('deleted-code memory', () => {
  it('keeps a deleted prefix reserved on models with the quirk', () => {
    const v = checkCode(lock('264', { deleted: ['29475'] }), m264, { code: '29479' });
    expect(rules(v)).toEqual(['deleted-prefix']);
    expect(v.reasons[0]!.message).toMatch(/factory reset/);
  });

  it('ignores deleted codes on models without it', () => {
    expect(m914.quirks.deletedCodeMemory).toBe(false);
    expect(checkCode(lock('914', { deleted: ['29475'] }), m914, { code: '29479' }).accepted).toBe(true);
  });
});

describe('the programming code', () => {
  it('refuses a user code that shares its first four digits with the programming code', () => {
    const v = checkCode(lock('264', { programmingCode: '12345' }), m264, { code: '12349' });
    expect(v.reasons).toEqual([
      expect.objectContaining({ rule: 'programming-code', conflictsWith: 'programming' }),
    ]);
  });

  it('refuses the programming code itself as a user code, and the default 0000 counts', () => {
    const v = checkCode(lock('264'), m264, { code: '0000' });
    expect(v.reasons).toEqual([
      expect.objectContaining({ rule: 'programming-code', conflictsWith: 'programming' }),
    ]);
    expect(v.reasons[0]!.message).toMatch(/never unlocks/);
  });

  it('refuses a programming code that shares its prefix with a user code, naming the slot', () => {
    const v = checkCode(lock('264', { slots: { '4': '12345' } }), m264, {
      code: '1234',
      kind: 'programming',
    });
    expect(v.reasons).toEqual([expect.objectContaining({ rule: 'programming-code', conflictsWith: 4 })]);
  });

  it('lets the 888 master code share a user code prefix, as its manual permits', () => {
    expect(m888.programmingCode?.mayShareUserPrefix).toBe(true);
    expect(
      checkCode(lock('888', { slots: { '1': '1357' } }), m888, { code: '2468', kind: 'programming' })
        .accepted,
    ).toBe(true);
    expect(checkCode(lock('888', { programmingCode: '1357' }), m888, { code: '1357' }).accepted).toBe(true);
  });

  it('is a fault to check a programming code on a model without one', () => {
    expect(() => checkCode(lock('910'), m910, { code: '1234', kind: 'programming' })).toThrow(
      /no programming code/,
    );
  });
});

describe('batteries and the 955 switch', () => {
  it('answers weak batteries with red flashes and no beeps', () => {
    const v = checkCode(lock('264', { voltsPerCell: 1.2 }), m264, { code: '2947' });
    expect(rules(v)).toEqual(['battery']);
    expect(v.feedback).toMatchObject({ led: 'red', flashes: 3, beeps: 0 });
  });

  it('gives no response at all on dead batteries', () => {
    const v = checkCode(lock('264', { voltsPerCell: 0.9 }), m264, { code: '2947' });
    expect(rules(v)).toEqual(['battery']);
    expect(v.feedback).toMatchObject({ led: 'none', flashes: 0, beeps: 0 });
    expect(v.feedback.signals).toEqual([]);
  });

  it('takes codes on batteries just above the weak threshold', () => {
    expect(checkCode(lock('264', { voltsPerCell: 1.21 }), m264, { code: '2947' }).accepted).toBe(true);
  });

  it('refuses programming on a 955 with its interior switch off, and only on the 955', () => {
    const v = checkCode(lock('955', { programmingSwitch: false }), m955, { code: '2947' });
    expect(rules(v)).toEqual(['programming-disabled']);
    expect(v.reasons[0]!.message).toMatch(/switch/);
    expect(checkCode(lock('264', { programmingSwitch: false }), m264, { code: '2947' }).accepted).toBe(true);
  });
});

describe('properties', () => {
  it('gives the same verdict whichever order the existing codes are listed in', () => {
    fc.assert(
      fc.property(
        modelAndStateArb,
        fc.integer({ min: 0, max: 1000 }),
        codeArb(3, 11),
        ({ model, state }, seed, code) => {
          const entries = Object.entries(state.slots);
          const shuffled = entries
            .map((e, i) => [e, (i * 7919 + seed) % (entries.length + 13)] as const)
            .sort((a, b) => a[1] - b[1])
            .map(([e]) => e);
          const reordered: LockState = {
            ...state,
            slots: Object.fromEntries(shuffled.reverse()),
            deleted: [...state.deleted].reverse(),
          };
          const a = checkCode(state, model, { code });
          const b = checkCode(reordered, model, { code });
          const key = (v: Verdict) =>
            v.reasons
              .map((r) => JSON.stringify(r))
              .sort()
              .join('\n');
          expect(b.accepted).toBe(a.accepted);
          expect(key(b)).toBe(key(a));
          expect(b.feedback).toEqual(a.feedback);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives every code on a 5-button pad the verdict of the code with the same presses', () => {
    const fiveButton = MODELS.filter((m) => m.keypad === '5-button');
    fc.assert(
      fc.property(
        fc.constantFrom(...fiveButton).chain((model) => fc.tuple(fc.constant(model), lockStateArb(model))),
        codeArb(4, 8),
        ([model, state], code) => {
          const presses = pressSequence(code, model);
          const a = checkCode(state, model, { code });
          const b = checkCode(state, model, { code: presses });
          expect(b.accepted).toBe(a.accepted);
          expect(b.reasons.map((r) => [r.rule, r.conflictsWith])).toEqual(
            a.reasons.map((r) => [r.rule, r.conflictsWith]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the conflicting slot or the programming code in every prefix and programming-code rejection', () => {
    fc.assert(
      fc.property(
        modelArb.chain((model) => fc.tuple(fc.constant(model), lockStateArb(model))),
        ([model, state]) => {
          // Codes that share a prefix with what is stored, so conflicts are common.
          const stored = [
            ...Object.values(state.slots),
            ...(state.programmingCode ? [state.programmingCode] : []),
          ];
          for (const base of stored) {
            for (const kind of model.programmingCode
              ? (['user', 'programming'] as const)
              : (['user'] as const)) {
              const v = checkCode(state, model, { code: `${base.slice(0, 4)}9`, kind });
              for (const r of v.reasons) {
                if (r.rule === 'prefix' || r.rule === 'programming-code') {
                  expect(r.conflictsWith).toBeDefined();
                  const named =
                    r.conflictsWith === 'programming'
                      ? state.programmingCode
                      : state.slots[String(r.conflictsWith)];
                  expect(named).toBeDefined();
                  expect(pressSequence(named!.slice(0, 4), model)).toBe(
                    pressSequence(base.slice(0, 4), model),
                  );
                  expect(r.message).toMatch(
                    r.conflictsWith === 'programming' ? /programming code/ : `slot ${r.conflictsWith}`,
                  );
                }
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
