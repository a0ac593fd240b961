import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isActive, nextActivityChange, parseWindows, validateSchedule } from './schedule.js';
import { zoneFromTransitions } from './zone.js';

const DAY = 86_400_000;

const MON = Date.UTC(2026, 0, 5);
const base = { startsAt: null, endsAt: null, useLimit: null, uses: 0, revokedAt: null };

describe('schedules', () => {
  it('reads weekday windows in the site time zone', () => {
    const windows = parseWindows('mon-fri 08:00-18:00');
    expect(windows).toEqual([{ days: [1, 2, 3, 4, 5], startMinute: 480, endMinute: 1080 }]);
    const s = { ...base, windows };
    expect(isActive(s, MON + 7 * 3_600_000, 0)).toBe(false);
    expect(isActive(s, MON + 7 * 3_600_000, 60)).toBe(true);
    expect(isActive(s, MON - 3_600_000, 0)).toBe(false);
  });

  it('steps over touching windows where nothing changes', () => {
    const s = { ...base, windows: parseWindows('mon 00:00-24:00; tue 00:00-12:00') };
    expect(nextActivityChange(s, MON + 1000, 0)).toBe(MON + 36 * 3_600_000);
  });

  it('refuses a guest whose end is before its start', () => {
    expect(() => validateSchedule({ ...base, windows: [], startsAt: MON, endsAt: MON - DAY })).toThrow(
      /end must come after the start/,
    );
    expect(() => parseWindows('funday 08:00-09:00')).toThrow(/not a day/);
    expect(() => parseWindows('mon 10:00-09:00')).toThrow(/start must come before/);
  });

  it('keeps a code revoked for later on the lock until that moment, and off it from then on', () => {
    const s = { ...base, windows: [], revokedAt: MON + DAY };
    expect(isActive(s, MON)).toBe(true);
    expect(isActive(s, MON + DAY - 1)).toBe(true);
    expect(isActive(s, MON + DAY)).toBe(false);
    expect(nextActivityChange(s, MON)).toBe(MON + DAY);
    expect(nextActivityChange(s, MON + DAY)).toBeNull();
  });

  it('takes a code off when its uses run out, and never brings it back', () => {
    const s = { ...base, windows: parseWindows('mon-fri 08:00-18:00'), useLimit: 2, uses: 1 };
    expect(isActive(s, MON + 9 * 3_600_000)).toBe(true);
    const used = { ...s, uses: 2 };
    expect(isActive(used, MON + 9 * 3_600_000)).toBe(false);
    expect(nextActivityChange(used, MON)).toBeNull();
  });
});

describe('schedules across clock changes', () => {
  // America/New_York in 2026, written out: EST (-300) until 8 March 07:00 UTC, then EDT (-240)
  // until 1 November 06:00 UTC.
  const newYork = zoneFromTransitions(-300, [
    { at: Date.UTC(2026, 2, 8, 7), offset: -240 },
    { at: Date.UTC(2026, 10, 1, 6), offset: -300 },
  ]);
  const cleaner = { ...base, windows: parseWindows('mon-fri 09:00-17:00') };

  it('opens a weekday window at 09:00 wall-clock time before and after the clocks go forward', () => {
    const before = Date.UTC(2026, 2, 2, 12); // Monday 2 March, 07:00 EST
    expect(nextActivityChange(cleaner, before, newYork)).toBe(Date.UTC(2026, 2, 2, 14));
    const after = Date.UTC(2026, 2, 9, 11); // Monday 9 March, 07:00 EDT
    expect(nextActivityChange(cleaner, after, newYork)).toBe(Date.UTC(2026, 2, 9, 13));
    expect(isActive(cleaner, Date.UTC(2026, 2, 9, 13, 30), newYork)).toBe(true);
    expect(isActive(cleaner, Date.UTC(2026, 2, 9, 13, 30), -300)).toBe(false);
  });

  it('finds the next opening across the weekend the clocks change', () => {
    const fridayEvening = Date.UTC(2026, 2, 6, 23); // Friday 6 March, 18:00 EST
    expect(nextActivityChange(cleaner, fridayEvening, newYork)).toBe(Date.UTC(2026, 2, 9, 13));
  });

  it('treats the instant the clock jumps into a window as the change', () => {
    // 02:30-04:00 local on Sundays: on 8 March local time jumps from 02:00 straight to 03:00.
    const night = { ...base, windows: parseWindows('sun 02:30-04:00') };
    const saturday = Date.UTC(2026, 2, 7, 12);
    expect(nextActivityChange(night, saturday, newYork)).toBe(Date.UTC(2026, 2, 8, 7));
  });

  it('finds a closing the clock change skipped, in the week after', () => {
    // Shut only 02:00-03:00 on Sundays. On 8 March that hour does not exist in New York, so the
    // lock is open all that week; the next change is the Sunday after, more than a week away.
    const allButOneHour = {
      ...base,
      windows: parseWindows('mon-sat 00:00-24:00; sun 00:00-02:00; sun 03:00-24:00'),
    };
    const lastSunday = Date.UTC(2026, 2, 1, 9); // Sunday 1 March, 04:00 EST
    expect(isActive(allButOneHour, lastSunday, newYork)).toBe(true);
    expect(nextActivityChange(allButOneHour, lastSunday, newYork)).toBe(Date.UTC(2026, 2, 15, 6)); // 02:00 EDT
  });

  it('gives the first instant at which activity changes, for any schedule and zone', () => {
    const MIN = 60_000;
    const arbWindow = fc
      .record({
        days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
        start: fc.integer({ min: 0, max: 47 }),
        length: fc.integer({ min: 1, max: 24 }),
      })
      .map(({ days, start, length }) => ({
        days,
        startMinute: start * 30,
        endMinute: Math.min(1440, start * 30 + length * 30),
      }));
    const arbZone = fc
      .tuple(
        fc.integer({ min: -12, max: 14 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 21 * 48 }), fc.integer({ min: -12, max: 14 })), {
          maxLength: 3,
        }),
      )
      .map(([initial, changes]) => {
        const transitions = changes.map(([halfHours, hours]) => ({
          at: MON + halfHours * 30 * MIN,
          offset: hours * 60,
        }));
        return { rule: zoneFromTransitions(initial * 60, transitions), initial: initial * 60, transitions };
      });
    const arbFixed = fc.option(fc.integer({ min: 0, max: 14 * 48 }).map((h) => MON + h * 30 * MIN));
    fc.assert(
      fc.property(
        fc.array(arbWindow, { minLength: 1, maxLength: 3 }),
        arbZone,
        arbFixed,
        arbFixed,
        fc.integer({ min: 0, max: 7 * 48 }),
        (windows, { rule: zone, initial, transitions }, startsAt, endsAt, at) => {
          fc.pre(startsAt === null || endsAt === null || startsAt < endsAt);
          const s = { ...base, windows, startsAt, endsAt };
          // The oracle shares no code with schedule.ts or zone.ts: the offset by scanning the
          // transitions (a later one wins a tie, as it does in the rule), wall-clock day and
          // minute from Date.
          const oracle = (m: number): boolean => {
            if (startsAt !== null && m < startsAt) return false;
            if (endsAt !== null && m >= endsAt) return false;
            let offset = initial;
            let since = Number.NEGATIVE_INFINITY;
            for (const tr of transitions)
              if (tr.at <= m && tr.at >= since) {
                offset = tr.offset;
                since = tr.at;
              }
            const wall = new Date(m + offset * MIN);
            const day = wall.getUTCDay();
            const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
            return windows.some(
              (w) => w.days.includes(day) && minute >= w.startMinute && minute < w.endMinute,
            );
          };
          const t = MON + at * 30 * MIN;
          const next = nextActivityChange(s, t, zone);
          const now = oracle(t);
          expect(isActive(s, t, zone)).toBe(now);
          // Brute force, a minute at a time (every edge here falls on a whole minute).
          let first: number | null = null;
          for (let m = t + MIN; m <= t + 35 * DAY; m += MIN) {
            if (oracle(m) !== now) {
              first = m;
              break;
            }
          }
          if (next === null) expect(first).toBeNull();
          else if (next <= t + 35 * DAY) expect(next).toBe(first);
        },
      ),
      { numRuns: 60 },
    );
  });
});
