import { describe, expect, it } from 'vitest';
import { lock, rules } from '../../../test/helpers/lock-states.js';
import { getModel } from '../catalog/index.js';
import type { ModelProfile } from '../catalog/types.js';
import { factoryState, type LockState } from './lock-state.js';
import { batteryCondition, checkCode, type Verdict } from './rules.js';

// The messages are what a host reads when the lock would refuse a code; rules.test.ts holds the
// rules themselves.
const m264 = getModel('264');
const m910 = getModel('910');
const m914 = getModel('914');
const m955 = getModel('955');

describe('what a host reads for each refusal', () => {
  const reasonsOf = (v: Verdict) => v.reasons.map(({ rule, message }) => ({ rule, message }));

  it('says how long a user code and a programming code must be, and whether the code is too short or too long', () => {
    expect(reasonsOf(checkCode(lock('264'), m264, { code: '294' }))).toEqual([
      { rule: 'length', message: '3 digits is too short: model 264 takes a user code of 4-8 digits' },
    ]);
    expect(reasonsOf(checkCode(lock('264'), m264, { code: '294712345' }))).toEqual([
      { rule: 'length', message: '9 digits is too long: model 264 takes a user code of 4-8 digits' },
    ]);
    expect(reasonsOf(checkCode(lock('264'), m264, { code: '987', kind: 'programming' }))).toEqual([
      { rule: 'length', message: '3 digits is too short: model 264 takes a programming code of 4-10 digits' },
    ]);
    expect(reasonsOf(checkCode(lock('955'), m955, { code: '2947112345', kind: 'programming' }))).toEqual([
      { rule: 'length', message: '10 digits is too long: model 955 takes a programming code of 4-8 digits' },
    ]);
  });

  it('refuses a code with a letter for the letter alone, never matching it against the stored codes', () => {
    // '29a7' read as digits would be prefix 3397 ('a' is 49 past '0'), the code in slot 1.
    expect(reasonsOf(checkCode(lock('264', { slots: { '1': '3397' } }), m264, { code: '29a7' }))).toEqual([
      { rule: 'digits', message: 'a code is digits 0-9 only' },
    ]);
  });

  it('refuses a code under four digits for its length alone, even beside a short code a hand-written state holds', () => {
    expect(reasonsOf(checkCode(lock('264', { slots: { '1': '123' } }), m264, { code: '456' }))).toEqual([
      { rule: 'length', message: '3 digits is too short: model 264 takes a user code of 4-8 digits' },
    ]);
  });

  it('takes slots 1 and 30 and refuses slot 0, a negative slot, a fraction and slot 31 by name', () => {
    expect(checkCode(lock('264'), m264, { code: '2947', slot: 1 })).toMatchObject({
      accepted: true,
      slot: 1,
    });
    expect(checkCode(lock('264'), m264, { code: '2947', slot: 30 })).toMatchObject({
      accepted: true,
      slot: 30,
    });
    for (const slot of [0, -1, 1.5, 31]) {
      const v = checkCode(lock('264'), m264, { code: '2947', slot });
      expect(v.slot).toBeNull();
      expect(reasonsOf(v)).toEqual([
        { rule: 'slot', message: `slot ${slot} does not exist: model 264 has slots 1-30` },
      ]);
    }
  });

  it('says a full lock refuses a 31st code, yet still takes a new programming code, which needs no slot', () => {
    const slots: Record<string, string> = {};
    for (let s = 1; s <= 30; s++) slots[String(s)] = String(1000 + s * 37);
    expect(reasonsOf(checkCode(lock('264', { slots }), m264, { code: '2947' }))).toEqual([
      { rule: 'capacity', message: 'all 30 slots are full: the lock refuses a 31st code; delete one first' },
    ]);
    const programming = checkCode(lock('264', { slots }), m264, { code: '98765', kind: 'programming' });
    expect(programming).toMatchObject({ accepted: true, reasons: [], slot: null });
    expect(checkCode(lock('264'), m264, { code: '98765', kind: 'programming' }).slot).toBeNull();
  });

  it('names the voltage on weak and dead batteries, and calls fresh ones ok', () => {
    expect(reasonsOf(checkCode(lock('264', { voltsPerCell: 0.9 }), m264, { code: '2947' }))).toEqual([
      {
        rule: 'battery',
        message: 'the batteries are dead (0.9 V per cell): the lock gives no response at all',
      },
    ]);
    expect(reasonsOf(checkCode(lock('264', { voltsPerCell: 1.2 }), m264, { code: '2947' }))).toEqual([
      {
        rule: 'battery',
        message:
          'the batteries are weak (1.2 V per cell, at or below 1.2 V): programming fails with red flashes; fit four new alkaline AA cells',
      },
    ]);
    expect(batteryCondition(lock('264'), m264)).toBe('ok');
    expect(batteryCondition(lock('264', { voltsPerCell: 1.21 }), m264)).toBe('ok');
    expect(batteryCondition(lock('264', { voltsPerCell: 1.0 }), m264)).toBe('weak');
    expect(batteryCondition(lock('264', { voltsPerCell: 0.99 }), m264)).toBe('dead');
  });

  it('refuses to check a programming code on a model without one, as an unsupported feature', () => {
    let error: unknown;
    try {
      checkCode(lock('910'), m910, { code: '1234', kind: 'programming' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'UNSUPPORTED', message: 'model 910 has no programming code' });
  });

  it('says "already holds this code" or "also starts", and explains shared buttons only on a 5-button pad', () => {
    const said = (id: string, slots: Record<string, string>, code: string) =>
      checkCode(lock(id, { slots }), getModel(id), { code }).reasons.map((r) => r.message);
    expect(said('264', { '1': '2947' }, '2947')).toEqual(['slot 1 already holds this code']);
    expect(said('264', { '1': '29475' }, '29476')).toEqual([
      'slot 1 holds a code that also starts 2947: the first four digits of every code must differ',
    ]);
    expect(said('910', { '1': '1357' }, '2468')).toEqual([
      'slot 1 already holds this code (the same buttons on this 5-button keypad)',
    ]);
    expect(said('910', { '2': '13571' }, '24680')).toEqual([
      'slot 2 holds a code that also starts 1357: the first four digits of every code must differ (on this 5-button keypad 1|2, 3|4, 5|6, 7|8, 9|0 are one button each)',
    ]);
  });

  it('names every stored code a new code collides with, not only the last one found', () => {
    const v = checkCode(lock('264', { programmingCode: '12345', deleted: ['12349'] }), m264, {
      code: '12341',
    });
    expect(reasonsOf(v)).toEqual([
      {
        rule: 'programming-code',
        message:
          'the programming code also starts 1234: a user code must differ from it in the first four digits',
      },
      {
        rule: 'deleted-prefix',
        message:
          "a deleted code starting 1234 still occupies the lock's memory until a factory reset: choose a code with other first four digits",
      },
    ]);
  });

  it('judges one lock state by the model it is checked against, even right after checking it against another', () => {
    const state: LockState = { ...factoryState(m914), slots: { '1': '1357' } };
    expect(checkCode(state, m914, { code: '2468' }).accepted).toBe(true);
    expect(rules(checkCode(state, m910, { code: '2468' }))).toEqual(['prefix']);
  });

  it('reports the colour the LED shows first, and counts every flash and beep, when a lock answers in two colours', () => {
    const twoColours: ModelProfile = {
      ...m264,
      signals: {
        ...m264.signals,
        saved: [
          { led: 'green', count: 1 },
          { led: 'amber', count: 2 },
          { beep: 'short', count: 1 },
        ],
      },
    };
    expect(checkCode(lock('264'), twoColours, { code: '2947' }).feedback).toMatchObject({
      led: 'green',
      flashes: 3,
      beeps: 1,
    });
  });
});
