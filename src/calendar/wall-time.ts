import { offsetAt, type Zone } from '../core/access/zone.js';

/**
 * Wall-clock dates and times of a zone, to and from instants. A calendar's all-day bookings are
 * days, and check-in is a time on the site's clock: "16:00 on 10 March" is an instant only once
 * the zone, with its clock changes, says which.
 */

const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** "YYYY-MM-DD" */
export type CalendarDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isClockTime(text: string): boolean {
  return TIME.test(text);
}

export function minutesOf(clock: string): number {
  const m = TIME.exec(clock);
  if (!m) throw new Error(`not a time of day: ${clock}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The instant the zone's clock reads `date` at `minutes` past midnight. */
export function wallToInstant(date: CalendarDate, minutes: number, zone: Zone): number {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + minutes * MINUTE_MS;
  return wallMsToInstant(wall, zone);
}

/**
 * A wall-clock reading (as if it were UTC) to the instant. Two passes find the offset in force
 * at the answer; in the hour a clock springs forward (a time that never shows) the later offset
 * wins, so 02:30 becomes 03:30; in the hour it falls back, the first of the two readings.
 */
export function wallMsToInstant(wall: number, zone: Zone): number {
  const first = wall - offsetAt(zone, wall) * MINUTE_MS;
  const second = wall - offsetAt(zone, first) * MINUTE_MS;
  if (second === first) {
    // The earlier reading of a repeated hour: the offset an hour before may also fit.
    const earlier = wall - offsetAt(zone, first - 60 * MINUTE_MS) * MINUTE_MS;
    if (earlier < first && wall - offsetAt(zone, earlier) * MINUTE_MS === earlier) return earlier;
    return first;
  }
  return Math.max(first, second);
}

/** The zone's calendar date at an instant. */
export function dateAt(t: number, zone: Zone): CalendarDate {
  return new Date(t + offsetAt(zone, t) * MINUTE_MS).toISOString().slice(0, 10);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * DAY_MS)
    .toISOString()
    .slice(0, 10);
}
