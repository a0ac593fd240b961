import { readTime, TIME_RULE } from '../../core/access/time.js';
import { UsageError } from '../exit.js';

/**
 * A time flag by the one time rule of src/core/access/time.ts: milliseconds since 1970, a date
 * (YYYY-MM-DD, midnight UTC) or an ISO date-time with its zone, a real day and time between
 * 2000-01-01 and 2199-12-31. A time without a zone is refused: it would mean different instants
 * on different machines. Impossible dates such as 2026-02-30, which Date.parse rolls into March,
 * are refused. One line naming the flag, exit 2.
 */
export function parseInstant(text: string, flag: string): number {
  const r = readTime(/^\d+$/.test(text.trim()) ? Number(text) : text);
  if (r.ok) return r.t;
  // The rule itself does not say what was given; every other refusal names the text it refuses.
  throw new UsageError(
    r.message === TIME_RULE ? `${flag}: ${JSON.stringify(text)} ${TIME_RULE}` : `${flag}: ${r.message}`,
  );
}

export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** The day, and the time too when it is not midnight UTC (guest departures have one). */
export function isoWhen(t: number): string {
  const iso = new Date(t).toISOString();
  return iso.slice(11, 16) === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
