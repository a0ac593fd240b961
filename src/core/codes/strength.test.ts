import { describe, expect, it } from 'vitest';
import { getModel } from '../catalog/index.js';
import { seededRandom } from '../ports.js';
import { factoryState, type LockState } from './lock-state.js';
import { adviseCode, exposureOf, FLOOR_HOURS, SEVERE_HOURS, strengthOf, triesPerHour } from './strength.js';

const m264 = getModel('264');
const m910 = getModel('910');

function randomCode(random: ReturnType<typeof seededRandom>, length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(random.int(10));
  return code;
}

function withCodes(id: string, codes: string[]): LockState {
  const state = factoryState(getModel(id));
  codes.forEach((code, i) => {
    state.slots[String(i + 1)] = code;
  });
  return state;
}

describe('brute-force exposure', () => {
  it('lets a guesser try about 150 codes an hour through the 3-in-60-s lockout', () => {
    // Three 4-digit codes take 7.5 s to type, then the keypad sleeps 60 s: 3 per 67.5 s.
    expect(triesPerHour(m264, 4)).toBeCloseTo(160, 0);
    expect(triesPerHour(m264, 8)).toBeGreaterThan(140);
    expect(triesPerHour(m264, 8)).toBeLessThan(triesPerHour(m264, 4));
  });

  it('needs (N+1)/(k+1) guesses for k codes among N, with N = 5^L on a 5-button pad', () => {
    expect(exposureOf(m264, 4, 1).guessesExpected).toBeCloseTo(5000.5);
    expect(exposureOf(m910, 4, 1).keyspace).toBe(625);
    expect(exposureOf(m910, 4, 30).guessesExpected).toBeCloseTo(626 / 31);
  });

  it('lets the guesser pick the length that opens the door soonest', () => {
    const state = withCodes('264', ['29475831', '81634027', '3951']);
    const s = strengthOf('74029318', state, m264);
    expect(s.attackLength).toBe(4);
    expect(s.codesOnLock).toBe(4);
    expect(s.keyspace).toBe(100_000_000);
    expect(s.guessesExpected).toBe(Math.round(5000.5));
    expect(s.thisLength.codes).toBe(3);
  });

  it('finds 30 four-press codes on a 5-button pad open in minutes and says so', () => {
    const codes: string[] = [];
    const seen = new Set<string>();
    const r = seededRandom(7);
    while (codes.length < 29) {
      const c = randomCode(r, 4).replace(/[24680]/g, (d) => String((Number(d) + 9) % 10));
      if (!seen.has(c)) {
        seen.add(c);
        codes.push(c);
      }
    }
    const state = withCodes('910', codes);
    const { advice, strength } = adviseCode('73919', state, m910);
    expect(strength.severe).toBe(true);
    expect(strength.expectedHoursToCompromise).toBeLessThan(1);
    const brute = advice.find((a) => a.rule === 'brute-force');
    expect(brute?.message).toMatch(/minutes/);
    expect(brute?.message).toMatch(/5-button/);
  });

  it('keeps a lone random 6-digit code on a 10-key lock well clear of the severe line', () => {
    const s = strengthOf('749261', factoryState(m264), m264);
    expect(s.expectedHoursToCompromise).toBeGreaterThan(FLOOR_HOURS);
    expect(s.severe).toBe(false);
    expect(SEVERE_HOURS).toBe(24);
  });
});

describe('advice on the guide examples', () => {
  it('flags 1234 as a sequence and the most common PIN', () => {
    const rules = adviseCode('1234', factoryState(m264), m264).advice.map((a) => a.rule);
    expect(rules).toEqual(expect.arrayContaining(['sequence', 'common']));
  });

  it('gives 2947, 8163 and 7824 (the guide own good examples) no pattern advice', () => {
    for (const code of ['2947', '8163', '7824']) {
      expect(adviseCode(code, factoryState(m264), m264).advice).toEqual([]);
    }
  });

  it('flags 0815, the guide own example of a birthday to avoid', () => {
    expect(adviseCode('0815', factoryState(m264), m264).advice.map((a) => a.rule)).toContain('date');
  });
});

describe('how often a random code draws advice', () => {
  it('flags at most 10% of uniformly random 6-digit codes on an empty 10-key lock', () => {
    // Measured: 7.2% of 100,000 (seed 42): dates 6.2%, keypad walks 0.6%, repeats 0.5%.
    const random = seededRandom(42);
    const state = factoryState(m264);
    const n = 100_000;
    let flagged = 0;
    for (let i = 0; i < n; i++)
      if (adviseCode(randomCode(random, 6), state, m264).advice.length > 0) flagged++;
    const rate = flagged / n;
    expect(rate).toBeLessThanOrEqual(0.1);
    expect(rate).toBeGreaterThan(0.05);
  });
});
