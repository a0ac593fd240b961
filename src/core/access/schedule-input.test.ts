import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALWAYS } from '../../../test/support/sync-picture.js';
import { KeywardError } from '../errors.js';
import { parseDays, parseWindows, validateSchedule, validateWindows } from './schedule.js';
import { TIME_RULE } from './time.js';

const JULY = Date.UTC(2026, 6, 1);
const DAY = 86_400_000;
const open = ALWAYS;

/** The refusal a host reads, or null when the schedule is taken. */
function refusal(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(KeywardError);
    expect((e as KeywardError).code).toBe('BAD_INPUT');
    return (e as KeywardError).message;
  }
}

describe('checking a schedule before it is stored', () => {
  it('takes a stay with a start before its end, a use limit of one or more, and no limit at all', () => {
    expect(refusal(() => validateSchedule({ ...open, startsAt: JULY, endsAt: JULY + DAY }))).toBeNull();
    expect(refusal(() => validateSchedule({ ...open, startsAt: JULY }))).toBeNull();
    expect(refusal(() => validateSchedule({ ...open, endsAt: JULY }))).toBeNull();
    expect(refusal(() => validateSchedule({ ...open, useLimit: 1 }))).toBeNull();
    expect(refusal(() => validateSchedule(open))).toBeNull();
  });

  it('refuses an end that is not after the start, naming it', () => {
    for (const endsAt of [JULY - DAY, JULY]) {
      expect(refusal(() => validateSchedule({ ...open, startsAt: JULY, endsAt }))).toBe(
        'the end must come after the start',
      );
    }
  });

  it('says which of start and end is outside the years a booking can have', () => {
    expect(refusal(() => validateSchedule({ ...open, startsAt: 10, endsAt: JULY }))).toBe(
      `the start ${TIME_RULE}`,
    );
    expect(refusal(() => validateSchedule({ ...open, startsAt: JULY, endsAt: JULY + 0.5 }))).toBe(
      `the end ${TIME_RULE}`,
    );
    expect(refusal(() => validateSchedule({ ...open, endsAt: Date.UTC(2300, 0, 1) }))).toBe(
      `the end ${TIME_RULE}`,
    );
  });

  it('refuses a use limit below one or not a whole number', () => {
    for (const useLimit of [0, -1, 1.5]) {
      expect(refusal(() => validateSchedule({ ...open, useLimit }))).toBe(
        'a use limit must be a whole number of at least 1',
      );
    }
  });

  it('checks the weekly windows too', () => {
    const windows = [{ days: [8], startMinute: 0, endMinute: 60 }];
    expect(refusal(() => validateSchedule({ ...open, windows }))).toBe(
      'window 1: days must be 0 (Sunday) to 6',
    );
  });
});

describe('checking weekly windows', () => {
  const ok = { days: [1], startMinute: 540, endMinute: 1020 };

  it('takes any days from Sunday (0) to Saturday (6) and minutes from midnight to midnight', () => {
    expect(refusal(() => validateWindows([{ days: [0, 6], startMinute: 0, endMinute: 1440 }]))).toBeNull();
    expect(
      refusal(() => validateWindows([ok, { days: [3], startMinute: 1439, endMinute: 1440 }])),
    ).toBeNull();
  });

  it('names the window whose days are missing or out of the week', () => {
    for (const days of [[], [7], [-1], [2.5], [1, 7]]) {
      expect(
        refusal(() => validateWindows([ok, { ...ok, days }])),
        JSON.stringify(days),
      ).toBe('window 2: days must be 0 (Sunday) to 6');
    }
  });

  it('names the window whose hours are backwards, empty or outside one day', () => {
    for (const [startMinute, endMinute] of [
      [600, 540],
      [540, 540],
      [-30, 60],
      [60, 1441],
      [60.5, 120],
      [60, 120.5],
    ] as const) {
      expect(
        refusal(() => validateWindows([{ ...ok, startMinute, endMinute }])),
        `${startMinute}-${endMinute}`,
      ).toBe('window 1: the start must come before the end within one day');
    }
  });
});

describe('reading days as a host writes them', () => {
  it('knows every day by its first three letters, in any case, and with its full name', () => {
    expect(parseDays('sun,mon,tue,wed,thu,fri,sat')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(parseDays('Sunday, Wednesday, SATURDAY')).toEqual([0, 3, 6]);
    for (const [i, name] of ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].entries())
      expect(parseDays(name)).toEqual([i]);
  });

  it('reads ranges, also across the weekend and with spaces around the dash, and lists days in order', () => {
    expect(parseDays('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays('fri-mon')).toEqual([0, 1, 5, 6]);
    expect(parseDays(' sat - sun ')).toEqual([0, 6]);
    expect(parseDays('thu,tue')).toEqual([2, 4]);
    expect(parseDays('sat,mon-tue,sun')).toEqual([0, 1, 2, 6]);
  });

  it('refuses a word that is not a day, and a range of three, quoting it', () => {
    expect(refusal(() => parseDays('mon,funday'))).toBe(
      '"funday" is not a day or range of days such as mon-fri',
    );
    expect(refusal(() => parseDays('mon-funday'))).toBe(
      '"mon-funday" is not a day or range of days such as mon-fri',
    );
    expect(refusal(() => parseDays('mon-wed-fri'))).toBe(
      '"mon-wed-fri" is not a day or range of days such as mon-fri',
    );
  });

  it('gives each day once, sorted, for any list of day names and ranges', () => {
    const names = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const part = fc.oneof(
      fc.integer({ min: 0, max: 6 }).map((d) => ({ text: names[d]!, days: [d] })),
      fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).map(([a, b]) => {
        const days: number[] = [];
        for (let d = a; ; d = (d + 1) % 7) {
          days.push(d);
          if (d === b) break;
        }
        return { text: `${names[a]}-${names[b]}`, days };
      }),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const want = [...new Set(parts.flatMap((p) => p.days))].sort((a, b) => a - b);
        expect(parseDays(parts.map((p) => p.text).join(','))).toEqual(want);
      }),
    );
  });
});

describe('reading weekly windows as a host writes them', () => {
  it('reads hours and minutes, several windows split by semicolons, blank parts ignored', () => {
    expect(parseWindows('mon 08:05-09:30;  ; sat-sun   7:00-23:59 ;')).toEqual([
      { days: [1], startMinute: 485, endMinute: 570 },
      { days: [0, 6], startMinute: 420, endMinute: 1439 },
    ]);
    expect(parseWindows('')).toEqual([]);
  });

  it('refuses a window written any other way, quoting it', () => {
    for (const text of [
      'mon 08:00-09:00 daily',
      'every mon 08:00-09:00',
      'mon 8-9',
      'mon08:00-09:00',
      'mon 08:00',
    ]) {
      expect(
        refusal(() => parseWindows(text)),
        text,
      ).toBe(`window "${text}" is not like "mon-fri 08:00-18:00"`);
    }
    expect(refusal(() => parseWindows('mon 08:00-09:00; tue 10:00'))).toBe(
      'window "tue 10:00" is not like "mon-fri 08:00-18:00"',
    );
  });

  it('checks the windows it read', () => {
    expect(refusal(() => parseWindows('mon 10:00-09:00'))).toBe(
      'window 1: the start must come before the end within one day',
    );
    expect(refusal(() => parseWindows('mon 09:00-24:01'))).toBe(
      'window 1: the start must come before the end within one day',
    );
  });
});
