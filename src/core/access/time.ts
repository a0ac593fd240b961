/**
 * One rule for every time Keyward is given (a stay's start and end, a status "at", a lock view
 * "at"): milliseconds since 1970 as a whole number, or an ISO 8601 date or date-time, between
 * 2000-01-01 and 2199-12-31. A lock's schedule outside those years is a typing slip, never a
 * booking, and an error that says so beats a code that never reaches the lock.
 */
export const EARLIEST_TIME = Date.UTC(2000, 0, 1);
export const LATEST_TIME = Date.UTC(2200, 0, 1);

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const TIME_RULE =
  'must be a date from 2000-01-01 to 2199-12-31, such as 2026-07-01 or 2026-07-01T15:00:00Z, or milliseconds since 1970';

export type TimeReading = { ok: true; t: number } | { ok: false; message: string };

/** Reads a time from JSON or a command line; the message completes "<field> ...". */
export function readTime(value: unknown): TimeReading {
  let t: number;
  if (typeof value === 'number') t = value;
  else if (typeof value === 'string' && ISO.test(value.trim())) t = Date.parse(value.trim());
  else return { ok: false, message: TIME_RULE };
  return timeProblem(t) === null ? { ok: true, t } : { ok: false, message: TIME_RULE };
}

/** Why a time is refused, or null: a whole number of ms inside the years above. */
export function timeProblem(t: number): string | null {
  return Number.isInteger(t) && t >= EARLIEST_TIME && t < LATEST_TIME ? null : TIME_RULE;
}
