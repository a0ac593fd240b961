import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EARLIEST_TIME, LATEST_TIME, readTime, TIME_RULE, timeProblem } from './time.js';

describe('one rule for every time field', () => {
  it('takes dates, date-times with a zone, and milliseconds inside the years 2000-2199', () => {
    expect(readTime('2026-07-01')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1) });
    expect(readTime('2026-07-01T15:00:00Z')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1, 15) });
    expect(readTime('2026-07-01T15:00:00+02:00')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1, 13) });
    expect(readTime(Date.UTC(2026, 6, 1))).toEqual({ ok: true, t: Date.UTC(2026, 6, 1) });
  });

  it('refuses 1900-01-01 as it refuses -5, and says what it takes', () => {
    for (const v of ['1900-01-01', -5, 0, '2200-01-01', '2026-13-45', 'tomorrow', '5', 1.5, null, true, '']) {
      const r = readTime(v);
      expect(r.ok, String(v)).toBe(false);
      if (!r.ok) expect(r.message).toContain('2000-01-01 to 2199-12-31');
    }
  });

  it('takes a date or date-time with spaces around it, as pasted from a spreadsheet, as the same instant', () => {
    expect(readTime(' 2026-07-01 ')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1) });
    expect(readTime(' 2026-07-01T15:00:00Z\n')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1, 15) });
    expect(readTime('\t2026-07-01T15:00:00.250+02:00 ')).toEqual({
      ok: true,
      t: Date.UTC(2026, 6, 1, 13, 0, 0, 250),
    });
  });

  it('takes the first millisecond of 2000 and the last of 2199, and refuses one millisecond either side', () => {
    expect(readTime(EARLIEST_TIME)).toEqual({ ok: true, t: EARLIEST_TIME });
    expect(readTime('2000-01-01')).toEqual({ ok: true, t: EARLIEST_TIME });
    expect(readTime(LATEST_TIME - 1)).toEqual({ ok: true, t: LATEST_TIME - 1 });
    expect(readTime('2199-12-31T23:59:59.999Z')).toEqual({ ok: true, t: LATEST_TIME - 1 });
    expect(readTime(EARLIEST_TIME - 1)).toEqual({ ok: false, message: TIME_RULE });
    expect(readTime(LATEST_TIME)).toEqual({ ok: false, message: TIME_RULE });
    expect(timeProblem(EARLIEST_TIME)).toBeNull();
    expect(timeProblem(LATEST_TIME)).toBe(TIME_RULE);
  });

  it('agrees with itself: a number is taken exactly when its ISO text is, for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: EARLIEST_TIME - 1e12, max: LATEST_TIME + 1e12 }), (t) => {
        const asNumber = readTime(t);
        const asText = readTime(new Date(t).toISOString());
        expect(asNumber.ok).toBe(timeProblem(t) === null);
        if (Math.abs(t) < 8.64e15 && new Date(t).getUTCFullYear() >= 0) expect(asText.ok).toBe(asNumber.ok);
      }),
    );
  });
});
