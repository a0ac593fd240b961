import { describe, expect, it } from 'vitest';
import { KeywardError } from '../errors.js';
import { isActive, nextActivityChange, parseWindows, validateSchedule } from './schedule.js';

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
    expect(() => validateSchedule({ ...base, windows: [], startsAt: 10, endsAt: 5 })).toThrow(KeywardError);
    expect(() => parseWindows('funday 08:00-09:00')).toThrow(/not a day/);
    expect(() => parseWindows('mon 10:00-09:00')).toThrow(/start must come before/);
  });
});
