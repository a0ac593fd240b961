import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/ports.js';
import { backoffDelay, DEFAULT_BACKOFF, nextHealth, Reachability, storeRetryDelay } from './reach.js';

const b = { baseMs: 1_000, maxMs: 60_000, suspendAfter: 3 };
const noJitter = { int: () => 0 };

describe('back-off', () => {
  const delays: Array<[number, number]> = [
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [7, 60_000],
    [30, 60_000],
  ];
  for (const [failures, ms] of delays)
    it(`waits ${ms} ms after ${failures} failure(s) in a row, before jitter`, () => {
      expect(backoffDelay(b, failures, noJitter)).toBe(ms);
    });

  it('adds at most a quarter of jitter', () => {
    const r = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(b, 3, r);
      expect(d).toBeGreaterThanOrEqual(4_000);
      expect(d).toBeLessThan(5_000);
    }
  });

  it('suspends a slot after suspendAfter failures, or at once when the refusal cannot change', () => {
    const first = nextHealth(b, undefined, 'unconfirmed', true, 0, noJitter);
    expect(first).toMatchObject({
      failures: 1,
      nextAttemptAt: 1_000,
      suspended: false,
      lastError: 'unconfirmed',
    });
    const third = nextHealth(b, { ...first, failures: 2 }, 'unconfirmed', true, 0, noJitter);
    expect(third).toMatchObject({ failures: 3, suspended: true });
    expect(nextHealth(b, undefined, 'duplicate_on_device', false, 0, noJitter).suspended).toBe(true);
  });

  it('retries a pass the store failed after eight base delays, doubling, without drawing a number', () => {
    expect([1, 2, 3].map((n) => storeRetryDelay(DEFAULT_BACKOFF, n))).toEqual([16_000, 32_000, 64_000]);
    expect(storeRetryDelay(DEFAULT_BACKOFF, 40)).toBe(DEFAULT_BACKOFF.maxMs);
  });
});

describe('reachability', () => {
  it('backs a lock off once per back-off however often it is told, and forgets it once it answers', () => {
    const reach = new Reachability(b, noJitter);
    expect(reach.unreached('l', 0)).toEqual({ failures: 1, nextAttemptAt: 1_000, counted: true });
    expect(reach.unreached('l', 500)).toEqual({ failures: 1, nextAttemptAt: 1_000, counted: false });
    expect(reach.unreached('l', 1_000)).toEqual({ failures: 2, nextAttemptAt: 3_000, counted: true });
    expect(reach.until('l')).toBe(3_000);
    expect(reach.reached('l')).toBe(true);
    expect(reach.reached('l')).toBe(false);
    expect(reach.until('l')).toBeUndefined();
  });
});
