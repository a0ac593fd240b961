import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge, parseRetryAfter, RETRY_DELAYS_MS, retryDelay } from './retry.js';

describe('retries', () => {
  it('spread over about three days, then give up', () => {
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(total).toBeGreaterThan(70);
    expect(total).toBeLessThan(80);
    expect(retryDelay(RETRY_DELAYS_MS.length + 1, null)).toBeNull();
  });

  it('never retry sooner than the schedule nor later than a day, whatever Retry-After says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: RETRY_DELAYS_MS.length }), fc.option(fc.nat()), (n, after) => {
        const d = retryDelay(n, after)!;
        expect(d).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[n - 1]!);
        expect(d).toBeLessThanOrEqual(Math.max(RETRY_DELAYS_MS[n - 1]!, 86_400_000));
      }),
    );
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });

  it('counts 2xx as delivered and 410 as gone', () => {
    expect([judge(200), judge(204), judge(410), judge(301), judge(500)]).toEqual([
      'delivered',
      'delivered',
      'gone',
      'retry',
      'retry',
    ]);
  });
});
