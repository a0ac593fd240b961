import type { Zone } from '../core/access/zone.js';
import { isTimeZone } from '../store/time-zone.js';
import { type CalendarDate, wallMsToInstant } from './wall-time.js';

/**
 * The one place that reads ICS (node-ical 0.26.1, the last release for Node 20). It answers
 * plain events: a day for all-day dates; an instant for times, with a TZID the system knows
 * resolved by it (no VTIMEZONE needed) and floating times or unknown TZIDs read on the
 * calendar's own clock (the site's zone), clock changes included.
 */

export type When = { allDay: true; date: CalendarDate } | { allDay: false; at: number };

export interface FeedEvent {
  uid: string;
  summary: string;
  description: string;
  /** STATUS, upper case, or null. */
  status: string | null;
  /** RRULE or RECURRENCE-ID: a series, not one stay. */
  recurring: boolean;
  start: When;
  end: When | null;
}

type IcalDate = Date & { tz?: string; dateOnly?: boolean };

/** node-ical builds dates and floating times on the process's clock: read them back from it. */
function localWall(d: Date): number {
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds());
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function whenOf(value: unknown, zone: Zone): When | null {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return null;
  const d = value as IcalDate;
  if (d.dateOnly) {
    return { allDay: true, date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` };
  }
  // A zone node-ical resolved (an IANA name, a Windows name it maps, or UTC from a trailing Z).
  if (d.tz && (d.tz === 'Etc/UTC' || isTimeZone(d.tz))) return { allDay: false, at: d.getTime() };
  return { allDay: false, at: wallMsToInstant(localWall(d), zone) };
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  // Properties with parameters arrive as { params, val }.
  if (value && typeof value === 'object' && 'val' in value) return String((value as { val: unknown }).val);
  return '';
}

/** node-ical and its Temporal polyfill take ~200 ms to load: only a refresh pays for them. */
let parser: Promise<typeof import('node-ical')> | null = null;

/** Every VEVENT of an ICS text; a feed that is not ICS at all is an error with a plain reason. */
export async function parseFeed(body: string, zone: Zone): Promise<FeedEvent[]> {
  parser ??= import('node-ical');
  // A CommonJS module: under plain Node its API is the default export, under vitest also named.
  const loaded = await parser;
  const ical = (loaded as { default?: typeof loaded }).default ?? loaded;
  if (!/BEGIN:VCALENDAR/i.test(body)) throw new Error('the address did not answer with a calendar (ICS)');
  let parsed: Record<string, unknown>;
  try {
    parsed = ical.sync.parseICS(body) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`the calendar could not be read: ${(e as Error).message}`);
  }
  const out: FeedEvent[] = [];
  for (const [id, raw] of Object.entries(parsed)) {
    const v = raw as Record<string, unknown>;
    if (v?.type !== 'VEVENT') continue;
    const start = whenOf(v.start, zone);
    if (!start) continue;
    out.push({
      uid: text(v.uid) || id,
      summary: text(v.summary).trim(),
      description: text(v.description),
      status: text(v.status).toUpperCase() || null,
      recurring: Boolean(v.rrule) || Boolean(v.recurrenceid) || Boolean(v.recurrences),
      start,
      end: whenOf(v.end, zone),
    });
  }
  return out;
}
