import { UsageError } from '../exit.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A date (YYYY-MM-DD, midnight UTC) or an ISO date-time with its zone, as milliseconds since the
 * epoch. A time without a zone is refused: it would mean different instants on different
 * machines. Impossible dates such as 2026-02-30, which Date.parse rolls into March, are refused.
 */
export function parseInstant(text: string, flag: string): number {
  const m = DATE.exec(text) ?? DATE_TIME.exec(text);
  const t = m ? Date.parse(DATE.test(text) ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (!m || !Number.isFinite(t)) {
    throw new UsageError(`${flag}: "${text}" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z)`);
  }
  const [, y, mo, d, h, mi, s] = m;
  const valid =
    Number(mo) >= 1 &&
    Number(mo) <= 12 &&
    Number(d) >= 1 &&
    Number(d) <= new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate() &&
    (h === undefined || Number(h) <= 23) &&
    (mi === undefined || Number(mi) <= 59) &&
    (s === undefined || Number(s) <= 59);
  if (!valid) throw new UsageError(`${flag}: "${text}" is not a real date`);
  return t;
}

export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** The day, and the time too when it is not midnight UTC (guest departures have one). */
export function isoWhen(t: number): string {
  const iso = new Date(t).toISOString();
  return iso.slice(11, 16) === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
