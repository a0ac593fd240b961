import { describe, expect, it } from 'vitest';
import { cli } from './support/fake-io.js';

interface CauseJson {
  id: string;
  likelihood: number;
  explanation: string;
  fix: string[];
  conflictsWith?: number | 'programming';
}

describe('keyward diagnose', () => {
  it('names slot 7 first, in the contract JSON, with exit 0', async () => {
    const r = await cli([
      'diagnose',
      '--symptom',
      'red-3-beeps',
      '--model',
      '264',
      '--slots',
      '1=8163,7=29475',
      '--attempted-code',
      '29476',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { causes: CauseJson[]; quickFix: string[] };
    expect(out.causes.length).toBeGreaterThan(1);
    for (const c of out.causes) {
      expect(typeof c.id).toBe('string');
      expect(c.likelihood).toBeGreaterThanOrEqual(0);
      expect(c.likelihood).toBeLessThanOrEqual(1);
      expect(typeof c.explanation).toBe('string');
      expect(c.fix.every((f) => typeof f === 'string')).toBe(true);
    }
    expect(out.causes[0]).toMatchObject({ id: 'prefix-conflict', conflictsWith: 7 });
    expect(out.causes[0]!.explanation).toMatch(/Slot 7/);
    expect(out.quickFix).toHaveLength(5);
  });

  it('prints numbered causes with their fixes for a person at the door', async () => {
    const r = await cli(['diagnose', '--symptom', 'no-response', '--model', '264', '--volts', '0.9']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No light and no sound on the 264/);
    expect(r.stdout).toMatch(
      /\n1\. \[95%, shown by the lock state\] The batteries are dead \(0\.9 V per cell\)/,
    );
    expect(r.stdout).toMatch(/\n2\. /);
    expect(r.stdout).toMatch(/ {3}- Use the physical key/);
    expect(r.stdout).toMatch(/Quick fix/);
  });

  it('reads the lock state from a file and says what was not given', async () => {
    const state = JSON.stringify({ model: '955', programmingSwitch: false, slots: { '2': '1111' } });
    const r = await cli(['diagnose', '--symptom', 'red-3-beeps', '--state', 'lock.json', '--json'], {
      'lock.json': state,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.causes[0].id).toBe('programming-disabled');
    expect(out.unknown).toEqual(['deleted', 'programmingCode', 'voltsPerCell']);
  });

  it('reads the lock state from standard input', async () => {
    const r = await cli(
      ['diagnose', '--symptom', 'code-does-not-unlock', '--state', '-', '--attempted-code', '7824', '--json'],
      {},
      JSON.stringify({ model: '264', programmingCode: '7824' }),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).causes[0].id).toBe('programming-code-never-unlocks');
  });

  it('takes the red-flash count and the wrong attempts into account', async () => {
    const r = await cli([
      'diagnose',
      '--symptom',
      'red-flashes',
      '--model',
      '916',
      '--red-flashes',
      '15',
      '--json',
    ]);
    expect(JSON.parse(r.stdout).causes[0].id).toBe('wrong-code-lockout');
    const d = await cli([
      'diagnose',
      '--symptom',
      'code-does-not-unlock',
      '--model',
      '264',
      '--wrong-attempts',
      '3',
      '--json',
    ]);
    expect(JSON.parse(d.stdout).causes[0].id).toBe('wrong-code-lockout');
  });

  it('reports a code too long for the model as the cause, not as bad input', async () => {
    const r = await cli([
      'diagnose',
      '--symptom',
      'red-3-beeps',
      '--model',
      '264',
      '--attempted-code',
      '294761234',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).causes[0].id).toBe('code-length');
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['an unknown symptom', ['--symptom', 'smoke', '--model', '264'], /unknown symptom "smoke"/],
    ['a missing symptom', ['--model', '264'], /--symptom/],
    [
      'a non-digit attempted code',
      ['--symptom', 'red-3-beeps', '--model', '264', '--attempted-code', '29a7'],
      /digits/,
    ],
    ['an unknown model', ['--symptom', 'red-3-beeps', '--model', '999'], /unknown model/],
    ['no model', ['--symptom', 'red-3-beeps'], /no lock model/],
    [
      'a slot out of range',
      ['--symptom', 'red-3-beeps', '--model', '264', '--attempted-code', '2947', '--slot', '31'],
      /out of range/,
    ],
    [
      'a slot without a code',
      ['--symptom', 'red-3-beeps', '--model', '264', '--slot', '3'],
      /--attempted-code/,
    ],
    [
      'a programming code on a model without one',
      ['--symptom', 'red-3-beeps', '--model', '910', '--attempted-code', '2947', '--kind', 'programming'],
      /no programming code/,
    ],
    ['an unknown activity', ['--symptom', 'red-3-beeps', '--model', '264', '--doing', 'dancing'], /--doing/],
    [
      'a negative count',
      ['--symptom', 'red-flashes', '--model', '264', '--red-flashes', '-1'],
      /--red-flashes|unknown option|argument missing/,
    ],
    [
      'a broken state',
      ['--symptom', 'red-3-beeps', '--model', '264', '--slots', '1=29475,2=29476'],
      /first four/,
    ],
  ];
  for (const [what, argv, message] of bad) {
    it(`exits 2 with one line on stderr for ${what}`, async () => {
      const r = await cli(['diagnose', ...argv]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('keyward checklist', () => {
  const NOW = '2026-11-27T08:00:00Z';

  it('lists the monthly checks and the dated calendar in JSON, soonest first', async () => {
    const r = await cli([
      'checklist',
      '--model',
      '264',
      '--volts',
      '1.25',
      '--last-rotation',
      '2026-03-01',
      '--rotation',
      'quarterly',
      '--last-maintenance',
      '2026-11-01',
      '--guest',
      'Ana=2026-11-26T11:00:00Z',
      '--now',
      NOW,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: '264', now: '2026-11-27T08:00:00.000Z', rotation: 'quarterly' });
    expect(out.checklist.map((i: { id: string }) => i.id)).toEqual([
      'test-codes',
      'clean-keypad',
      'battery-voltage',
      'key-turns',
    ]);
    expect(out.checklist[2]).toMatchObject({ status: 'act' });
    const calendar = out.calendar as Array<{ id: string; kind: string; dueAt: string; overdue: boolean }>;
    const dues = calendar.map((i) => Date.parse(i.dueAt));
    expect([...dues].sort((a, b) => a - b)).toEqual(dues);
    expect(calendar.find((i) => i.id === 'rotation')).toMatchObject({
      dueAt: '2026-06-01T00:00:00.000Z',
      overdue: true,
    });
    expect(calendar.find((i) => i.id === 'guest:Ana')).toMatchObject({
      kind: 'guest-removal',
      dueAt: '2026-11-27T11:00:00.000Z',
      overdue: false,
    });
    expect(calendar.find((i) => i.id === 'battery')).toMatchObject({ dueAt: '2026-11-27T08:00:00.000Z' });
    expect(calendar.find((i) => i.id === 'maintenance')).toMatchObject({ dueAt: '2026-12-01T00:00:00.000Z' });
    expect(out.practices.length).toBeGreaterThan(0);
  });

  it('prints a checklist a person can tick, with overdue items marked', async () => {
    const r = await cli(['checklist', '--model', '275', '--last-rotation', '2025-01-01', '--now', NOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Monthly maintenance/);
    expect(r.stdout).toMatch(/1\. \[ \] Test every user code with the door open/);
    expect(r.stdout).toMatch(/enter arrow/);
    expect(r.stdout).toMatch(/OVERDUE {2}2026-01-01 {2}Change every code/);
  });

  it('reads the wall clock when --now is not given', async () => {
    const before = Date.now();
    const r = await cli(['checklist', '--model', '264', '--json']);
    expect(r.code).toBe(0);
    const now = Date.parse(JSON.parse(r.stdout).now);
    expect(now).toBeGreaterThanOrEqual(before - 1000);
    expect(now).toBeLessThanOrEqual(Date.now() + 1000);
  });

  const bad: Array<[string, string[], RegExp]> = [
    [
      'an impossible date',
      ['--last-rotation', '2026-02-30'],
      /^keyward: --last-rotation: 2026-02-30 is not a real date \(February 2026 has 28 days\)$/m,
    ],
    [
      'a date that is not one',
      ['--last-maintenance', 'last week'],
      /^keyward: --last-maintenance: "last week" must be a date from 2000-01-01 to 2199-12-31/m,
    ],
    [
      'a time without a zone',
      ['--now', '2026-11-27T08:00'],
      /^keyward: --now: 2026-11-27T08:00 has no time zone.*add Z for UTC \(2026-11-27T08:00Z\) or an offset such as \+02:00/m,
    ],
    [
      'a guest departure on a day that does not exist',
      ['--guest', 'Ana=2026-04-31'],
      /^keyward: --guest Ana: 2026-04-31 is not a real date/m,
    ],
    [
      'a date before 2000',
      ['--last-lubrication', '1999-12-31'],
      /^keyward: --last-lubrication: "1999-12-31" must be a date from 2000-01-01/m,
    ],
    ['a maintenance after now', ['--now', NOW, '--last-maintenance', '2026-12-01'], /after now/],
    ['an unknown rotation', ['--rotation', 'weekly'], /annual or quarterly/],
    ['a guest without a date', ['--guest', 'Ana'], /NAME=DATE/],
    ['a bad voltage', ['--volts', 'high'], /not a number/],
  ];
  for (const [what, argv, message] of bad) {
    it(`exits 2 with one line on stderr for ${what}`, async () => {
      const r = await cli(['checklist', '--model', '264', ...argv]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});
