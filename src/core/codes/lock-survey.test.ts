import { describe, expect, it } from 'vitest';
import { lock } from '../../../test/helpers/lock-states.js';
import { getModel } from '../catalog/index.js';
import type { LockState } from './lock-state.js';
import { labeller, MAX_LENGTH, surveyLocks } from './lock-survey.js';
import { PrefixSpace } from './prefix-space.js';
import { triesPerHour } from './strength.js';

const m264 = getModel('264');
const m910 = getModel('910');
const m914 = getModel('914');
const m955 = getModel('955');

/** Codes in slots 1, 2, ...: `n` codes of `length` digits with different first four presses. */
function codes(n: number, length: number, from = 1): Record<string, string> {
  const slots: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    // Odd digits only, so the prefixes differ on a 5-button pad too (1|2, 3|4, ... fold to odd).
    const prefix = [0, 1, 2, 3].map((p) => '13579'[Math.floor(i / 5 ** p) % 5]).join('');
    slots[String(from + i)] = `${prefix}${'8'.repeat(length - 4)}`;
  }
  return slots;
}

/** Surveys the locks for `count` new codes, each with its catalog model. */
function survey(states: LockState[], count = 1) {
  return surveyLocks(
    states,
    states.map((s) => getModel(s.model)),
    count,
    labeller(states),
  );
}

function refusal(states: LockState[], count: number): unknown {
  try {
    survey(states, count);
  } catch (e) {
    return e;
  }
  return null;
}

describe('naming the locks in a finding', () => {
  it('calls a single lock by its model, and each of several locks by its place and model', () => {
    expect(labeller([lock('264')])(0)).toBe('the 264');
    const two = labeller([lock('264'), lock('910')]);
    expect(two(0)).toBe('lock 1 (model 264)');
    expect(two(1)).toBe('lock 2 (model 910)');
  });
});

describe('what stops a request', () => {
  it('refuses a lock with fewer free slots than codes asked, in the singular and the plural', () => {
    expect(refusal([lock('264', { slots: codes(29, 6) })], 2)).toMatchObject({
      code: 'NO_CODE_POSSIBLE',
      message: 'no room: the 264 has 1 free slot for 2 codes',
    });
    expect(refusal([lock('264', { slots: codes(28, 6) })], 3)).toMatchObject({
      message: 'no room: the 264 has 2 free slots for 3 codes',
    });
    expect(refusal([lock('264', { slots: codes(30, 6) })], 1)).toMatchObject({
      message: 'no room: all 30 slots of the 264 are full (delete a code first)',
    });
    expect(refusal([lock('264', { slots: codes(28, 6) })], 2)).toBeNull();
  });
});

describe('warnings', () => {
  it('has nothing to say about fresh, empty locks of every keypad', () => {
    expect(survey([lock('264'), lock('910'), lock('955'), lock('275')]).warnings).toEqual([]);
  });

  it('names each lock with weak or dead batteries, its voltage and condition', () => {
    expect(survey([lock('264', { voltsPerCell: 1.2 })]).warnings).toEqual([
      'replace the batteries before programming: the 264 (1.2 V per cell, weak)',
    ]);
    const states = [
      lock('264', { voltsPerCell: 0.9 }),
      lock('264'),
      lock('910', { voltsPerCell: 1.1 }),
      lock('914', { voltsPerCell: 1.0 }),
    ];
    expect(survey(states).warnings).toEqual([
      'replace the batteries before programming: lock 1 (model 264) (0.9 V per cell, dead); lock 3 (model 910) (1.1 V per cell, weak); lock 4 (model 914) (1 V per cell, weak)',
    ]);
  });

  it('lists the first three locks of a finding and counts the rest', () => {
    const states = [1.2, 1.1, 1.0, 0.9, 0.8].map((v) => lock('264', { voltsPerCell: v }));
    expect(survey(states).warnings).toEqual([
      'replace the batteries before programming: lock 1 (model 264) (1.2 V per cell, weak); lock 2 (model 264) (1.1 V per cell, weak); lock 3 (model 264) (1 V per cell, weak); and 2 more',
    ]);
  });

  it('asks for the interior programming switch only on a 955 whose switch is off', () => {
    expect(survey([lock('955', { programmingSwitch: false })]).warnings).toEqual([
      'turn the interior programming switch on before programming: the 955',
    ]);
    expect(survey([lock('955'), lock('264', { programmingSwitch: false })]).warnings).toEqual([]);
    const states = [
      lock('955', { programmingSwitch: false }),
      lock('264'),
      lock('955', { programmingSwitch: false }),
    ];
    expect(survey(states).warnings).toEqual([
      'turn the interior programming switch on before programming: lock 1 (model 955); lock 3 (model 955)',
    ]);
  });

  it('warns of a lock whose codes a random guesser finds within a day, naming the weakest length', () => {
    // 264, four 4-digit codes: 10,001 / 5 guesses at 160 an hour, about 12.5 hours.
    const exposed =
      'already exposed to brute force whatever code is added (shorten the list of codes or lengthen them)';
    expect(survey([lock('264', { slots: codes(4, 4) })]).warnings).toEqual([
      `${exposed}: the 264: its 4 4-digit codes fall to a random guesser in about 13 hours`,
    ]);
    // A longer code beside them changes nothing: the 4-digit ones are the weakest.
    expect(survey([lock('264', { slots: { ...codes(4, 4), '5': '97531' } })]).warnings).toEqual([
      `${exposed}: the 264: its 4 4-digit codes fall to a random guesser in about 13 hours`,
    ]);
    // 910 (5 buttons): one 4-digit code (about 2 hours) beside twenty 5-digit ones (under one).
    const mixed = { ...codes(20, 5), '21': '1113' };
    expect(survey([lock('910', { slots: mixed })]).warnings).toEqual([
      `${exposed}: the 910: its 20 5-digit codes fall to a random guesser in about 57 minutes`,
    ]);
  });

  it('does not warn of a lock whose codes hold out for more than a day', () => {
    // 264, one 4-digit code: about 31 hours. An empty 910 would fall in 4 hours, but holds nothing.
    expect(survey([lock('264', { slots: codes(1, 4) }), lock('910')]).warnings).toEqual([]);
  });

  it('gives the battery, switch and exposure warnings in that order', () => {
    const states = [lock('955', { programmingSwitch: false, voltsPerCell: 1.2, slots: codes(4, 4) })];
    expect(survey(states).warnings.map((w) => w.slice(0, 20))).toEqual([
      'replace the batterie',
      'turn the interior pr',
      'already exposed to b',
    ]);
  });
});

describe('the figures for choosing a length', () => {
  it('keeps, per model, the most codes of each length on any one lock and the first lock holding that many', () => {
    const states = [
      lock('264', { slots: codes(3, 4) }),
      lock('264', { slots: { ...codes(3, 4), '4': '97531' } }),
      lock('264', { slots: codes(1, 4) }),
      lock('910', { slots: codes(2, 6) }),
    ];
    const { perModel } = survey(states);
    const f264 = perModel.get(m264)!;
    expect([f264.k[4], f264.lock[4], f264.k[5], f264.lock[5], f264.first]).toEqual([3, 0, 1, 1, 0]);
    const f910 = perModel.get(m910)!;
    expect([f910.k[6], f910.lock[6], f910.first]).toEqual([2, 3, 3]);
  });

  it('counts the keyspace and the guessing rate of every length a code may have, folded on a 5-button pad', () => {
    const { perModel } = survey([lock('264'), lock('910')]);
    for (let L = 4; L < MAX_LENGTH; L++) {
      expect(perModel.get(m264)!.keyspace[L]).toBe(10 ** L);
      expect(perModel.get(m910)!.keyspace[L]).toBe(5 ** L);
      expect(perModel.get(m264)!.rate[L]).toBe(triesPerHour(m264, L));
    }
    expect(perModel.get(m264)!.fold).toBeNull();
    expect([...perModel.get(m910)!.fold!]).toEqual([9, 1, 1, 3, 3, 5, 5, 7, 7, 9]);
  });
});

describe('the prefixes every lock leaves free', () => {
  const free = (states: LockState[]) => new PrefixSpace(survey(states).groups.values()).count;

  it('blocks the prefixes of stored codes, the programming code and remembered deleted codes', () => {
    // 264: slot 1 and the default programming code 0000, plus a deleted code it remembers.
    expect(free([lock('264', { slots: { '1': '81630' }, deleted: ['29470'] })])).toBe(10_000 - 3);
  });

  it('leaves a deleted code’s prefix free on a model without deleted-code memory', () => {
    expect(m914.quirks.deletedCodeMemory).toBe(false);
    expect(free([lock('914', { slots: { '1': '81630' }, deleted: ['29470'] })])).toBe(10_000 - 1);
  });

  it('lets locks of one keypad share one map of prefixes, and keeps a 5-button pad apart', () => {
    expect(survey([lock('264'), lock('914'), lock('955')]).groups.size).toBe(1);
    expect(survey([lock('910'), lock('888'), lock('264')]).groups.size).toBe(2);
    expect(m955.keypad).toBe('10-key');
  });
});
