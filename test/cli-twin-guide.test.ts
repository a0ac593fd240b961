import { describe, expect, it } from 'vitest';
import { cli } from './support/fake-io.js';

const addScript = JSON.stringify([
  { press: 'program' },
  { press: 'program' },
  ...'29476'.split('').map((d) => ({ press: d })),
  { press: 'lock' },
]);

describe('keyward twin run', () => {
  it('prints one JSON line per input and then the final state', async () => {
    const r = await cli(['twin', 'run', '--model', '264', '--slots', '1=29475', '--script', 's.json'], {
      's.json': addScript,
    });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(9);
    expect(lines[0]).toEqual({
      at: 0,
      input: { press: 'program' },
      signals: [{ led: 'green', count: 1 }],
      mode: 'slot-select',
    });
    expect(lines[7].signals).toEqual([
      { led: 'red', count: 1 },
      { beep: 'short', count: 3 },
    ]);
    expect(lines[8].final.slots).toEqual({ '1': '29475' });
  });

  it('reads JSON lines from standard input', async () => {
    const r = await cli(
      ['twin', 'run', '--model', '910', '--script', '-'],
      {},
      '{"press":"kwikset"}\n{"wait":100}\n',
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('ends with a final state that --state takes back, with the twin facts beside it', async () => {
    const guide = await cli([
      'guide',
      '--op',
      'add-user',
      '--slot',
      '2',
      '--code',
      '8163',
      '--model',
      '264',
      '--json',
    ]);
    const inputs = JSON.parse(guide.stdout).steps.flatMap((s: { inputs: unknown[] }) => s.inputs);
    const run = await cli(
      ['twin', 'run', '--model', '264', '--volts', '1.4', '--script', '-'],
      {},
      JSON.stringify(inputs),
    );
    expect(run.code).toBe(0);
    const end = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(end).toEqual({
      final: expect.any(Object),
      bolt: expect.any(String),
      mode: expect.any(String),
      at: expect.any(Number),
    });
    expect(end.final).toEqual({
      model: '264',
      programmingCode: '0000',
      slots: { '2': '8163' },
      deleted: [],
      voltsPerCell: 1.4,
      programmingSwitch: true,
    });

    const again = await cli(
      ['twin', 'run', '--state', 'final.json', '--script', '-'],
      { 'final.json': JSON.stringify(end.final) },
      '[]',
    );
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout.trim()).final).toEqual(end.final);
  });

  it.each([
    ['{"press":"enter"}', 'line 1: model 264 has no key "enter"'],
    ['{"press":"1"}\n{"wait":-5}', 'line 2: "wait" cannot be negative'],
    ['{"jump":true}', 'line 1: unknown input'],
    ['{"press":"1"}\nnot json', 'line 2: is not valid JSON'],
    ['{"switch":"programming","on":true}', 'model 264 has no programming switch'],
  ])('refuses the script %j with exit 2 and names the line', async (script, message) => {
    const r = await cli(['twin', 'run', '--model', '264', '--script', '-'], {}, script);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('keyward guide', () => {
  it('prints the steps as JSON with twin inputs and expected signals', async () => {
    const r = await cli([
      'guide',
      '--op',
      'add-user',
      '--slot',
      '2',
      '--code',
      '8163',
      '--model',
      '264',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const guide = JSON.parse(r.stdout);
    expect(guide).toMatchObject({ model: '264', op: 'add-user' });
    expect(guide.preconditions[0]).toContain('Door fully open');
    expect(guide.steps[0]).toMatchObject({ n: 1, inputs: [{ press: 'program' }, { press: 'program' }] });
  });

  it('refuses with exit 1, the reason and the fix when the lock would refuse', async () => {
    const r = await cli([
      'guide',
      '--op',
      'add-user',
      '--slot',
      '3',
      '--code',
      '29476',
      '--model',
      '910',
      '--slots',
      '1=29475',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.accepted).toBe(false);
    expect(out.reasons[0]).toMatchObject({ rule: 'prefix', conflictsWith: 1 });
    expect(out.fixes[0]).toContain('delete slot 1 first');
  });

  it('gives a markdown guide and a printable html card', async () => {
    const md = await cli(['guide', '--op', 'factory-reset', '--model', '275', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^# SmartCode 275/);
    const html = await cli(['guide', '--op', 'factory-reset', '--model', '275', '--format', 'html']);
    expect(html.stdout).toContain('<!doctype html>');
  });

  it.each([
    [['guide', '--op', 'fly', '--model', '264'], 'unknown --op "fly"'],
    [['guide', '--op', 'add-user', '--model', '264', '--code', '8163'], '--op add-user needs --slot N'],
    [
      ['guide', '--op', 'add-user', '--model', '264', '--slot', '31', '--code', '8163'],
      '--slot 31 is out of range',
    ],
    [['guide', '--op', 'add-user', '--model', '264', '--slot', '1', '--code', '123'], '--code has 3 digits'],
    [['guide', '--op', 'delete-all', '--model', '264'], 'model 264 has no delete-all procedure'],
    [
      ['guide', '--op', 'set-programming-code', '--model', '910', '--code', '8163'],
      'model 910 has no programming code',
    ],
  ])('refuses bad input %j with exit 2 and one line', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
