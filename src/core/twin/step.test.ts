import { describe, expect, it } from 'vitest';
import { getModel } from '../catalog/index.js';
import type { Key, Signal } from '../catalog/types.js';
import { factoryState, type LockState } from '../codes/lock-state.js';
import { runInputs } from './run.js';
import type { Input } from './types.js';

const keys = (...ks: string[]): Input[] =>
  ks.flatMap((k) => (k.length > 1 && /^\d+$/.test(k) ? k.split('') : [k])).map((k) => ({ press: k as Key }));
const green = (count: number): Signal => ({ led: 'green', count });
const red = (count: number): Signal => ({ led: 'red', count });
const short = (count: number): Signal => ({ beep: 'short', count });
const long = (count: number): Signal => ({ beep: 'long', count });

function lock(model: string, patch: Partial<LockState> = {}): LockState {
  return { ...factoryState(getModel(model)), ...patch };
}

function run(model: string, state: LockState, inputs: Input[]) {
  return runInputs(state, inputs, getModel(model));
}

const last = (trace: ReturnType<typeof run>) => trace.lines.at(-1)!.signals;

describe('the guide’s own examples on the twin', () => {
  it('adding 29476 after 29475 gives a red flash and three beeps', () => {
    const t = run(
      '264',
      lock('264', { slots: { '1': '29475' } }),
      keys('program', 'program', '29476', 'lock'),
    );
    expect(last(t)).toEqual([red(1), short(3)]);
    expect(t.state.lock.slots).toEqual({ '1': '29475' });
  });

  it('2947 in slot 1 and 8163 in slot 2 are both taken, with a green flash per Program press', () => {
    const t = run('264', lock('264'), [
      ...keys('program', '2947', 'lock'),
      ...keys('program', 'program', '8163', 'lock'),
    ]);
    expect(t.lines[0]!.signals).toEqual([green(1)]);
    expect(t.state.lock.slots).toEqual({ '1': '2947', '2': '8163' });
    expect(
      t.lines
        .filter((l) => Object.hasOwn(l.input, 'press') && (l.input as { press: string }).press === 'lock')
        .map((l) => l.signals),
    ).toEqual([
      [green(1), short(1)],
      [green(1), short(1)],
    ]);
  });

  it('7824 is taken as a new 264 programming code and the default 0000 stops working once changed', () => {
    const t = run('264', lock('264'), keys('0000', 'kwikset', '4', 'kwikset', '7824', 'kwikset'));
    expect(last(t)).toEqual([green(2), short(2)]);
    expect(t.state.lock.programmingCode).toBe('7824');
    const again = runInputs(t.state.lock, keys('0000', 'kwikset', '4', 'kwikset'), getModel('264'));
    expect(again.lines[4]!.signals).toEqual([red(1), short(3)]);
    expect(again.state.mode.kind).toBe('idle');
  });

  it('a 264 programming code whose first four digits duplicate a user code is refused with red flashes and three beeps', () => {
    const t = run(
      '264',
      lock('264', { slots: { '1': '78241' } }),
      keys('0000', 'kwikset', '4', 'kwikset', '7824', 'kwikset'),
    );
    expect(last(t)).toEqual([red(1), short(3)]);
    expect(t.state.lock.programmingCode).toBe('0000');
  });

  it('the 264 sequence times out when Kwikset, 4, Kwikset takes longer than 5 seconds', () => {
    const t = run('264', lock('264'), [...keys('0000', 'kwikset', '4'), { wait: 5_001 }, ...keys('kwikset')]);
    expect(t.lines[6]!.signals).toEqual([red(1)]);
    expect(t.lines[6]!.mode).toBe('idle');
  });

  it('the 275 answers each enter with a single beep, then 2 beeps and green, or 3 beeps on a prefix conflict', () => {
    const ok = run('275', lock('275'), keys('0000', 'enter', '4', 'enter', '5820', 'enter'));
    expect(ok.lines[4]!.signals).toEqual([short(1)]);
    expect(ok.lines[6]!.signals).toEqual([short(1)]);
    expect(last(ok)).toEqual([short(2), green(1)]);
    const clash = run(
      '275',
      lock('275', { slots: { '4': '5820111' } }),
      keys('0000', 'enter', '4', 'enter', '5820', 'enter'),
    );
    expect(last(clash)).toEqual([red(1), short(3)]);
  });

  it('the 955 sets its programming code through the hidden Program button with its own signals', () => {
    const t = run('955', lock('955'), keys('program', '3', '6180', 'kwikset', '6180', 'kwikset'));
    expect(t.lines[0]!.signals).toEqual([short(2)]);
    expect(t.lines[1]!.signals).toEqual([short(1), green(1)]);
    expect(last(t)).toEqual([long(1), green(1)]);
    expect(t.state.lock.programmingCode).toBe('6180');
  });

  it('the 955 deletes a user code without the programming code, ending in a long beep', () => {
    const t = run(
      '955',
      lock('955', { slots: { '3': '4071' } }),
      keys('program', '2', 'kwikset', '4071', 'kwikset', '4071', 'kwikset'),
    );
    expect(t.lines[1]!.signals).toEqual([green(1)]);
    expect(last(t)).toEqual([long(1)]);
    expect(t.state.lock.slots).toEqual({});
    expect(t.state.lock.deleted).toEqual(['4071']);
  });

  it('the 955 refuses programming with red and three beeps while its interior switch is off', () => {
    const t = run('955', lock('955', { programmingSwitch: false }), keys('program'));
    expect(last(t)).toEqual([red(1), short(3)]);
  });

  it('the programming code never unlocks the door', () => {
    const t = run('264', lock('264', { slots: { '1': '8163' } }), keys('0000', 'kwikset'));
    expect(t.state.bolt).toBe('locked');
    const user = run('264', lock('264', { slots: { '1': '8163' } }), keys('8163', 'kwikset'));
    expect(user.state.bolt).toBe('unlocked');
    expect(last(user)).toEqual([green(1)]);
  });

  it('a 31st Program press is refused, so no 31st code can be added', () => {
    const presses = Array.from({ length: 31 }, () => ({ press: 'program' as Key }));
    const t = run('910', lock('910'), presses);
    expect(t.lines[29]!.signals).toEqual([green(1)]);
    expect(t.lines[30]!.signals).toEqual([red(1), short(3)]);
  });

  it('three wrong codes within a minute disable the keypad for 60 s with 15 red flashes and 15 beeps', () => {
    const wrong = keys('1111', 'kwikset');
    const t = run('909', lock('909', { slots: { '1': '13579' } }), [
      ...wrong,
      { wait: 10_000 },
      ...wrong,
      { wait: 10_000 },
      ...wrong,
      ...keys('13579', 'kwikset'),
      { wait: 60_000 },
      ...keys('13579', 'kwikset'),
    ]);
    const kwiksets = t.lines
      .filter((l) => 'press' in l.input && l.input.press === 'kwikset')
      .map((l) => l.signals);
    expect(kwiksets[0]).toEqual([red(1), short(3)]);
    expect(kwiksets[2]).toEqual([red(15), short(15)]);
    expect(kwiksets[3]).toEqual([red(1)]);
    expect(kwiksets[4]).toEqual([green(1)]);
    expect(t.state.bolt).toBe('unlocked');
  });

  it('wrong codes spread over more than a minute do not lock the keypad out', () => {
    const wrong = keys('1111', 'kwikset');
    const t = run('909', lock('909'), [...wrong, { wait: 31_000 }, ...wrong, { wait: 31_000 }, ...wrong]);
    expect(last(t)).toEqual([red(1), short(3)]);
    expect(t.state.mode.kind).toBe('idle');
  });

  it('the factory reset erases every code and the deleted memory and answers green with one beep', () => {
    const start = lock('264', { slots: { '1': '29475' }, deleted: ['8163'], programmingCode: '7824' });
    const t = run('264', start, [
      { batteries: 'remove' },
      { down: 'program' },
      { batteries: 'insert' },
      { wait: 30_000 },
      { up: 'program' },
      { press: 'program' },
    ]);
    expect(t.lines[3]!.signals).toEqual([red(1), short(1)]);
    expect(last(t)).toEqual([green(1), short(1)]);
    expect(t.state.lock).toMatchObject({ slots: {}, deleted: [], programmingCode: '0000' });
  });

  it('a factory reset on dead batteries stays silent and changes nothing', () => {
    const start = lock('264', { slots: { '1': '29475' }, voltsPerCell: 0.8 });
    const t = run('264', start, [
      { batteries: 'remove' },
      { down: 'program' },
      { batteries: 'insert' },
      { wait: 30_000 },
      { up: 'program' },
      { press: 'program' },
    ]);
    expect(t.lines.flatMap((l) => l.signals)).toEqual([]);
    expect(t.state.lock.slots).toEqual({ '1': '29475' });
  });

  it('releasing Program before 30 s is an ordinary power-up, not a reset', () => {
    const t = run('264', lock('264', { slots: { '1': '29475' } }), [
      { batteries: 'remove' },
      { down: 'program' },
      { batteries: 'insert' },
      { wait: 10_000 },
      { up: 'program' },
    ]);
    expect(t.state.lock.slots).toEqual({ '1': '29475' });
    expect(t.state.mode.kind).toBe('idle');
  });
});

describe('keypads, batteries and memory', () => {
  it('on a 5-button pad 2468 opens the lock that holds 1357, and 24682 is refused after 13571', () => {
    const open = run('910', lock('910', { slots: { '1': '1357' } }), keys('2468', 'kwikset'));
    expect(open.state.bolt).toBe('unlocked');
    const add = run(
      '910',
      lock('910', { slots: { '1': '13571' } }),
      keys('program', 'program', '24682', 'lock'),
    );
    expect(last(add)).toEqual([red(1), short(3)]);
  });

  it('weak batteries make programming fail with red flashes while the code still unlocks', () => {
    const start = lock('264', { slots: { '1': '8163' }, voltsPerCell: 1.2 });
    const add = run('264', start, keys('program', 'program', '5820', 'lock'));
    expect(last(add)).toEqual([red(3)]);
    expect(add.state.lock.slots).toEqual({ '1': '8163' });
    expect(run('264', start, keys('8163', 'kwikset')).state.bolt).toBe('unlocked');
  });

  it('dead batteries give no response at all', () => {
    const t = run(
      '264',
      lock('264', { slots: { '1': '8163' }, voltsPerCell: 0.9 }),
      keys('8163', 'kwikset', 'program'),
    );
    expect(t.lines.flatMap((l) => l.signals)).toEqual([]);
    expect(t.state.bolt).toBe('locked');
  });

  it('a deleted code keeps its prefix reserved on the 264 but not on the field 910', () => {
    const del = [...keys('program', 'lock')];
    const readd = keys('program', '29475', 'lock');
    const on264 = run('264', lock('264', { slots: { '1': '29475' } }), [...del, ...readd]);
    expect(last(on264)).toEqual([red(1), short(3)]);
    expect(on264.state.lock.deleted).toEqual(['29475']);
    const on910 = run('910', lock('910', { slots: { '1': '29475' } }), [...del, ...readd]);
    expect(last(on910)).toEqual([green(1), short(1)]);
  });

  it('holding Program 3 s then Lock deletes every user code on the field models', () => {
    const t = run('914', lock('914', { slots: { '1': '8163', '2': '5820' } }), [
      { down: 'program' },
      { wait: 3_000 },
      { up: 'program' },
      { press: 'lock' },
    ]);
    expect(t.lines[1]!.signals).toEqual([{ led: 'amber', count: 2 }]);
    expect(last(t)).toEqual([green(1), short(1)]);
    expect(t.state.lock.slots).toEqual({});
  });

  it('time passes only through wait inputs', () => {
    const t = run('264', lock('264'), [
      ...keys('program'),
      { wait: 4_999 },
      ...keys('2947'),
      { wait: 4_999 },
      ...keys('lock'),
    ]);
    expect(t.state.at).toBe(9_998);
    expect(t.state.lock.slots).toEqual({ '1': '2947' });
  });
});
