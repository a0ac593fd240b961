import { describe, expect, it } from 'vitest';
import { cli } from './support/fake-io.js';

const fullSlots = Array.from({ length: 30 }, (_, i) => `${i + 1}=${String(1000 + (i + 1) * 97)}59`).join(',');

describe('keyward check', () => {
  it('accepts 2947 on a new 264 with no advice, exit 0, in the contract JSON', async () => {
    const r = await cli(['check', '2947', '--model', '264', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ accepted: true, reasons: [], advice: [], feedback: { led: 'green' } });
    expect(out.strength).toMatchObject({ keyspace: 10_000, codesOnLock: 1, severe: false });
    expect(typeof out.strength.guessesExpected).toBe('number');
    expect(typeof out.strength.expectedHoursToCompromise).toBe('number');
  });

  it('rejects 29476 next to 29475 with exit 1 and names slot 1', async () => {
    const r = await cli(['check', '29476', '--model', '264', '--slots', '1=29475', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.accepted).toBe(false);
    expect(out.reasons).toEqual([expect.objectContaining({ rule: 'prefix', conflictsWith: 1 })]);
    expect(out.feedback).toMatchObject({ led: 'red', flashes: 1, beeps: 3 });
  });

  it('accepts 1234 but flags it, in JSON and in words', async () => {
    const json = JSON.parse((await cli(['check', '1234', '--model', '264', '--json'])).stdout);
    expect(json.accepted).toBe(true);
    expect(json.advice.map((a: { rule: string }) => a.rule)).toEqual(
      expect.arrayContaining(['sequence', 'common']),
    );
    const text = await cli(['check', '1234', '--model', '264']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ACCEPTED/);
    expect(text.stdout).toMatch(/ADVICE/);
    expect(text.stdout).toMatch(/most common PINs/);
    expect(text.stdout).toMatch(/Brute force: .* guesses/);
  });

  it('flags the birth date it is given', async () => {
    const r = await cli(['check', '19850715', '--model', '264', '--birthdate', '1985-07-15', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).advice).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'personal' })]),
    );
  });

  it('reports brute-force exposure of a crowded 5-button lock', async () => {
    const slots = Array.from({ length: 25 }, (_, i) => {
      const a = '13579'[Math.floor(i / 5) % 5]!;
      const b = '13579'[i % 5]!;
      return `${i + 1}=${a}${b}97`;
    }).join(',');
    const r = await cli(['check', '73159', '--model', '910', '--slots', slots, '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.strength.severe).toBe(true);
    expect(out.advice).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'brute-force' })]));
  });

  it('exits 2 with one line on stderr for bad input', async () => {
    for (const argv of [
      ['check', '12a4', '--model', '264'],
      ['check', '1234', '--model', 'nope'],
      ['check', '2947', '--model', '264', '--birthdate', '1985-13-01'],
      ['check', '2947', '--model', '264', '--phone', '12'],
      ['check', '2947', '--model', '264', '--house', 'none'],
      ['check', '2947', '--model', '264', '--slot', '31'],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});

describe('keyward generate', () => {
  it('gives a 6-digit code for a new 264 that check accepts with no advice', async () => {
    const r = await cli(['generate', '--model', '264', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ length: 6, keyspace: 1_000_000, floorReached: true });
    expect(out.codes).toHaveLength(1);
    expect(out.why).toMatch(/30 days/);
    const check = JSON.parse((await cli(['check', out.codes[0], '--model', '264', '--json'])).stdout);
    expect(check).toMatchObject({ accepted: true, advice: [] });
  });

  it('gives codes that go in together, one after the other', async () => {
    const r = await cli(['generate', '--model', '910', '--slots', '1=13579', '--count', '3', '--json']);
    expect(r.code).toBe(0);
    const { codes, length } = JSON.parse(r.stdout);
    expect(codes).toHaveLength(3);
    expect(length).toBe(8);
    const slots = ['1=13579'];
    for (const code of codes) {
      const check = await cli(['check', code, '--model', '910', '--slots', slots.join(','), '--json']);
      expect(check.code).toBe(0);
      slots.push(`${slots.length + 1}=${code}`);
    }
  });

  it('gives one code for all the locks in --locks FILE', async () => {
    const locks = [
      { model: '264', slots: { '1': '29475' }, deleted: ['81634'] },
      { model: '910', slots: { '3': '1357' } },
      { model: '275', programmingCode: '4321' },
    ];
    const r = await cli(['generate', '--locks', 'locks.json', '--json'], {
      'locks.json': JSON.stringify(locks),
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.locks).toBe(3);
    for (const lock of locks) {
      const check = await cli(['check', out.codes[0], '--state', 's.json', '--json'], {
        's.json': JSON.stringify(lock),
      });
      expect(check.code).toBe(0);
    }
  });

  it('explains in words why it chose the length', async () => {
    const r = await cli(['generate', '--model', '910', '--count', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 codes for the 910 \(8 digits\)/);
    expect(r.stdout).toMatch(
      /Length: 8 digits, the longest every lock takes: the floor of 30 days is out of reach/,
    );
  });

  it('exits 1 and says which lock is full when no code can exist', async () => {
    const json = await cli(['generate', '--model', '264', '--slots', fullSlots, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ codes: [], possible: false });
    expect(JSON.parse(json.stdout).reason).toMatch(/all 30 slots of the 264 are full/);
    const text = await cli(['generate', '--model', '264', '--slots', fullSlots]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/NO CODE POSSIBLE/);
  });

  it('exits 1 for a length the lock does not take', async () => {
    const r = await cli(['generate', '--model', '264', '--length', '12', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).reason).toMatch(/12 digits is too long: the 264 takes 4-8/);
  });

  it('exits 2 with one line on stderr for bad input', async () => {
    const files = {
      'bad.json': '{"model": ',
      'object.json': '{"model": "264"}',
      'twice.json': JSON.stringify([
        { model: '264' },
        { model: '264', slots: { '1': '29475', '2': '29475' } },
      ]),
    };
    for (const argv of [
      ['generate', '--model', '264', '--count', '0'],
      ['generate', '--model', '264', '--length', 'six'],
      ['generate', '--locks', 'bad.json'],
      ['generate', '--locks', 'object.json'],
      ['generate', '--locks', 'twice.json'],
      ['generate', '--model', '264', '--locks', 'object.json'],
      ['generate'],
    ]) {
      const r = await cli(argv, files);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
    const twice = await cli(['generate', '--locks', 'twice.json'], files);
    expect(twice.stderr).toMatch(/twice\.json\[1\]: slots 1 and 2 hold the same code/);
  });
});
