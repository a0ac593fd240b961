/**
 * One rule for every time Keyward is given (a stay's start and end, a status "at", a lock view
 * "at", every date flag of the CLI): milliseconds since 1970 as a whole number, or an ISO 8601
 * date (YYYY-MM-DD, midnight UTC) or date-time with its zone (Z or an offset such as +02:00),
 * naming a day and time that exist, between 2000-01-01 and 2199-12-31. A date-time without a zone
 * is refused: each server would read it in its own zone, so one request would mean different
 * instants on different machines. Impossible dates are refused, not rolled over (Date.parse reads
 * 2026-02-30 as 2 March). A lock's schedule outside those years is a typing slip, never a
 * booking, and an error that says so beats a code that never reaches the lock.
 */
export const EARLIEST_TIME = Date.UTC(2000, 0, 1);
export const LATEST_TIME = Date.UTC(2200, 0, 1);

/** The shape of an ISO 8601 date or date-time; the zone is optional here so its absence can be named. */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?)?$/;

export const TIME_RULE =
  'must be a date from 2000-01-01 to 2199-12-31, such as 2026-07-01 or 2026-07-01T15:00:00Z, or milliseconds since 1970';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export type TimeReading = { ok: true; t: number } | { ok: false; message: string };

const refused = (message: string): TimeReading => ({ ok: false, message });

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The number of days in a month (1-12) of a year, by the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why a year-month-day does not exist, or null when it does. */
function dateProblem(date: string, y: number, mo: number, d: number): string | null {
  if (mo < 1 || mo > 12) return `${date} is not a real date (months run 01 to 12)`;
  const days = daysInMonth(y, mo);
  if (d < 1) return `${date} is not a real date (days run from 01)`;
  if (d > days) {
    const month = mo === 2 ? `February ${y}` : MONTHS[mo - 1];
    return `${date} is not a real date (${month} has ${days} days)`;
  }
  return null;
}

/**
 * Reads a time from JSON or a command line; the message completes "<field> ...". A refusal other
 * than TIME_RULE names the text it refuses: the text matched the date shape above, so it holds
 * digits, dashes, colons and a zone at most, never a code or anything else worth hiding.
 */
export function readTime(value: unknown): TimeReading {
  if (typeof value === 'number')
    return timeProblem(value) === null ? { ok: true, t: value } : refused(TIME_RULE);
  if (typeof value !== 'string') return refused(TIME_RULE);
  const text = value.trim();
  const m = ISO.exec(text);
  if (!m) return refused(TIME_RULE);
  const [, ys, mos, ds, hs, mis, ss, fs, z, sign, oh, om] = m;
  const [y, mo, d] = [Number(ys), Number(mos), Number(ds)];
  const date = dateProblem(text.slice(0, 10), y, mo, d);
  if (date) return refused(date);
  let t: number;
  if (hs === undefined) {
    t = utc(y, mo, d, 0, 0, 0, 0);
  } else {
    const [h, mi, s] = [Number(hs), Number(mis), Number(ss ?? 0)];
    if (h > 23 || mi > 59 || s > 59)
      return refused(`${text} is not a real time of day (hours run 00 to 23, minutes and seconds 00 to 59)`);
    if (z === undefined && sign === undefined)
      return refused(
        `${text} has no time zone, so it would mean a different instant on each machine: add Z for UTC (${text}Z) or an offset such as +02:00 (${text}+02:00)`,
      );
    let offset = 0;
    if (sign !== undefined) {
      const [ohn, omn] = [Number(oh), Number(om)];
      if (ohn > 23 || omn > 59)
        return refused(`${text} has an offset that does not exist (hours run 00 to 23, minutes 00 to 59)`);
      offset = (sign === '-' ? -1 : 1) * (ohn * 60 + omn) * 60_000;
    }
    t = utc(y, mo, d, h, mi, s, Number((fs ?? '0').padEnd(3, '0'))) - offset;
  }
  return timeProblem(t) === null ? { ok: true, t } : refused(TIME_RULE);
}

/** Date.UTC for any four-digit year (Date.UTC reads years 0-99 as 1900-1999). */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const at = new Date(0);
  at.setUTCFullYear(y, mo - 1, d);
  at.setUTCHours(h, mi, s, ms);
  return at.getTime();
}

/** Why a time is refused, or null: a whole number of ms inside the years above. */
export function timeProblem(t: number): string | null {
  return Number.isInteger(t) && t >= EARLIEST_TIME && t < LATEST_TIME ? null : TIME_RULE;
}
