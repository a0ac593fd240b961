import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, EARLIEST_TIME, LATEST_TIME, readTime, TIME_RULE, timeProblem } from './time.js';

describe('one rule for every time field', () => {
  it('takes dates, date-times with a zone, and milliseconds inside the years 2000-2199', () => {
    expect(readTime('2026-07-01')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1) });
    expect(readTime('2026-07-01T15:00:00Z')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1, 15) });
    expect(readTime('2026-07-01T15:00:00+02:00')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1, 13) });
    expect(readTime(Date.UTC(2026, 6, 1))).toEqual({ ok: true, t: Date.UTC(2026, 6, 1) });
  });

  it('refuses 1900-01-01 as it refuses -5, and says what it takes', () => {
    for (const v of ['1900-01-01', -5, 0, '2200-01-01', 'tomorrow', '5', 1.5, null, true, '']) {
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

  it('refuses a date-time without a zone, with or without seconds, and says to add Z or an offset', () => {
    for (const v of [
      '2026-07-01T15:00',
      '2026-07-01 15:00',
      '2026-07-01T15:00:00',
      '2026-07-01T15:00:00.250',
    ]) {
      expect(readTime(v)).toEqual({
        ok: false,
        message: `${v} has no time zone, so it would mean a different instant on each machine: add Z for UTC (${v}Z) or an offset such as +02:00 (${v}+02:00)`,
      });
      // The fix the message gives is taken.
      expect(readTime(`${v}Z`).ok, `${v}Z`).toBe(true);
      expect(readTime(`${v}+02:00`).ok, `${v}+02:00`).toBe(true);
    }
  });

  it('takes a space instead of T, and an offset with or without its colon, once the zone is there', () => {
    const t = Date.UTC(2026, 6, 1, 13);
    for (const v of [
      '2026-07-01 15:00+02:00',
      '2026-07-01T15:00+0200',
      '2026-07-01 13:00Z',
      '2026-07-01T12:00-01:00',
    ])
      expect(readTime(v), v).toEqual({ ok: true, t });
  });

  it('names a day that does not exist instead of rolling it into the next month', () => {
    expect(readTime('2026-02-30')).toEqual({
      ok: false,
      message: '2026-02-30 is not a real date (February 2026 has 28 days)',
    });
    expect(readTime('2025-02-29T10:00:00Z')).toEqual({
      ok: false,
      message: '2025-02-29 is not a real date (February 2025 has 28 days)',
    });
    expect(readTime('2026-04-31')).toEqual({
      ok: false,
      message: '2026-04-31 is not a real date (April has 30 days)',
    });
    expect(readTime('2026-13-45')).toEqual({
      ok: false,
      message: '2026-13-45 is not a real date (months run 01 to 12)',
    });
    expect(readTime('2026-00-10')).toEqual({
      ok: false,
      message: '2026-00-10 is not a real date (months run 01 to 12)',
    });
    expect(readTime('2026-07-00')).toEqual({
      ok: false,
      message: '2026-07-00 is not a real date (days run from 01)',
    });
    expect(readTime('2024-02-29')).toEqual({ ok: true, t: Date.UTC(2024, 1, 29) });
    expect(readTime('2000-02-29')).toEqual({ ok: true, t: Date.UTC(2000, 1, 29) });
    expect(readTime('2100-02-29').ok).toBe(false);
  });

  it('names a time of day or an offset that does not exist instead of rolling it into the next day', () => {
    for (const v of ['2026-07-01T24:00:00Z', '2026-07-01T23:60Z', '2026-07-01T23:59:60Z'])
      expect(readTime(v)).toEqual({
        ok: false,
        message: `${v} is not a real time of day (hours run 00 to 23, minutes and seconds 00 to 59)`,
      });
    for (const v of ['2026-12-05T12:00:00-99:99', '2026-12-05T12:00:00+24:00', '2026-12-05T12:00:00+05:60'])
      expect(readTime(v)).toEqual({
        ok: false,
        message: `${v} has an offset that does not exist (hours run 00 to 23, minutes 00 to 59)`,
      });
  });

  it('reads one or two decimals of a second as tenths and hundredths', () => {
    expect(readTime('2026-07-01T15:00:00.5Z')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1, 15, 0, 0, 500) });
    expect(readTime('2026-07-01T15:00:00.05Z')).toEqual({ ok: true, t: Date.UTC(2026, 6, 1, 15, 0, 0, 50) });
  });

  it('holds a date-time whose offset carries it outside 2000-2199 to the years, like a number', () => {
    expect(readTime('2000-01-01T00:30:00+01:00')).toEqual({ ok: false, message: TIME_RULE });
    expect(readTime('2199-12-31T23:30:00-01:00')).toEqual({ ok: false, message: TIME_RULE });
    expect(readTime('1999-12-31T23:30:00-01:00')).toEqual({ ok: true, t: Date.UTC(2000, 0, 1, 0, 30) });
  });

  const instant = fc.integer({ min: EARLIEST_TIME, max: LATEST_TIME - 1 });
  const offset = fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 });
  const hhmm = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

  it('reads any instant back to the same ms from its ISO text with Z and with any equivalent offset', () => {
    fc.assert(
      fc.property(instant, offset, fc.boolean(), (t, minutes, colon) => {
        const z = new Date(t).toISOString();
        expect(readTime(z)).toEqual({ ok: true, t });
        // The same instant as a clock at that offset reads it: local wall time, then +hh:mm.
        const wall = new Date(t + minutes * 60_000).toISOString().slice(0, 23);
        const sign = minutes < 0 ? '-' : '+';
        const zone = hhmm(Math.abs(minutes));
        const text = `${wall}${sign}${colon ? zone : zone.replace(':', '')}`;
        expect(readTime(text), text).toEqual({ ok: true, t });
      }),
    );
  });

  it('refuses any date-time without a zone, whatever the day and time', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom('T', ' '), fc.constantFrom(16, 19, 23), (t, sep, length) => {
        const text = new Date(t).toISOString().slice(0, length).replace('T', sep);
        const r = readTime(text);
        expect(r.ok, text).toBe(false);
        if (!r.ok) expect(r.message).toContain(`${text} has no time zone`);
      }),
    );
  });

  it('takes every day that exists in 2000-2199 and refuses every day past the end of its month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2199 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, mo, d) => {
          const date = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
          const exists = d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
          expect(daysInMonth(y, mo) >= d).toBe(exists);
          for (const text of [date, `${date}T12:00:00Z`]) {
            const r = readTime(text);
            if (exists)
              expect(r, text).toEqual({ ok: true, t: Date.UTC(y, mo - 1, d, text === date ? 0 : 12) });
            else
              expect(r, text).toEqual({
                ok: false,
                message: expect.stringContaining(`${date} is not a real date`),
              });
          }
        },
      ),
    );
  });
});
