import type { Zone } from '../core/access/zone.js';
import type { FeedEvent, When } from './ics.js';
import { addDays, type CalendarDate, dateAt, wallToInstant } from './wall-time.js';

/**
 * Which events of a feed are stays, and what each says: who, when, how to recognise it again,
 * and the guest's phone digits where the platform gives them. Pure: the feed's events in, the
 * bookings out.
 */

export interface FeedBooking {
  /** Recognises the booking across fetches: the platform's reservation code, else the UID. */
  key: string;
  uid: string;
  summary: string;
  /** The guest's name, where the feed has one. */
  guest: string | null;
  /** Last four digits of the guest's phone, where the feed gives them. */
  phoneLast4: string | null;
  start: When;
  end: When;
  /** The feed marks it cancelled (STATUS:CANCELLED or a "Cancelled" title). */
  cancelled: boolean;
}

/** "Not available", owner blocks, closed dates: the platform's way of saying nobody arrives. */
const BLOCKED = /not available|unavailable|\bblocked\b|^closed\b|\bowner (stay|block)\b|\bmaintenance\b/i;
/** Titles that say "booked" without a name. */
const GENERIC =
  /^(reserved|reservation|booked|booking|confirmed|airbnb|vrbo|homeaway|booking\.com|guest|new booking)$/i;
const CANCELLED = /\b(cancell?ed)\b/i;

const AIRBNB_CODE = /airbnb\.[a-z.]+\/hosting\/reservations\/details\/([A-Z0-9]+)/i;
const REFERENCE =
  /\b(?:confirmation(?:\s+(?:code|number|no\.?))?|reservation\s+(?:id|number|code|no\.?)|booking\s+(?:id|number|reference|no\.?)|itinerary)\s*[:#]\s*([A-Z0-9][A-Z0-9-]{3,})/i;
const PHONE = /\bphone[^:\n]*:\s*([+(]?\d[\d\s().-]{2,})/i;

export function bookingKey(e: Pick<FeedEvent, 'uid' | 'description'>): string {
  const airbnb = AIRBNB_CODE.exec(e.description);
  if (airbnb) return `airbnb:${airbnb[1]!.toUpperCase()}`;
  const ref = REFERENCE.exec(e.description);
  if (ref) return `ref:${ref[1]!.toUpperCase()}`;
  return `uid:${e.uid}`;
}

export function phoneLast4(description: string): string | null {
  const m = PHONE.exec(description);
  if (!m) return null;
  const digits = m[1]!.replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : null;
}

/** "Reserved - Jane Doe", "Jane Doe", "Guest: Jane Doe" in the description; else null. */
export function guestName(summary: string, description: string): string | null {
  const stripped = summary
    .replace(CANCELLED, '')
    .replace(/^\s*(reserved|reservation|booked|booking|confirmed)\s*[-:–]\s*/i, '')
    .replace(/^[\s\-:–]+|[\s\-:–]+$/g, '')
    .trim();
  if (stripped && !GENERIC.test(stripped) && !/\d{3,}/.test(stripped)) return stripped.slice(0, 120);
  const fromDescription = /\b(?:guest(?:\s+name)?|name)\s*:\s*([^\n]+)/i.exec(description);
  const name = fromDescription?.[1]?.trim();
  return name ? name.slice(0, 120) : null;
}

export type Skip = 'blocked' | 'recurring' | 'no-end';

/** One event as a booking, or why it is none. */
export function bookingOf(e: FeedEvent): FeedBooking | Skip {
  if (e.recurring) return 'recurring';
  const cancelled = e.status === 'CANCELLED' || CANCELLED.test(e.summary);
  if (BLOCKED.test(e.summary.replace(CANCELLED, '')) && !cancelled) return 'blocked';
  // An all-day event without an end is its one day (RFC 5545); a timed one without an end is a
  // moment, which no stay is.
  const end = e.end ?? (e.start.allDay ? { allDay: true as const, date: addDays(e.start.date, 1) } : null);
  if (!end) return 'no-end';
  return {
    key: bookingKey(e),
    uid: e.uid,
    summary: e.summary,
    guest: guestName(e.summary, e.description),
    phoneLast4: phoneLast4(e.description),
    start: e.start,
    end,
    cancelled,
  };
}

/** How a calendar turns days into instants. */
export interface StayRules {
  checkInMinutes: number;
  checkOutMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  zone: Zone;
}

export interface Stay {
  startDate: CalendarDate;
  endDate: CalendarDate;
  startsAt: number;
  endsAt: number;
}

/**
 * Arrival and departure: an all-day booking arrives at check-in on its first day and leaves at
 * check-out on its end date (ICS ends are exclusive: the end date is the departure day); timed
 * events keep their times. Buffers widen the stay on both sides.
 */
export function stayOf(b: Pick<FeedBooking, 'start' | 'end'>, rules: StayRules): Stay {
  const MIN = 60_000;
  const startsAt = b.start.allDay
    ? wallToInstant(b.start.date, rules.checkInMinutes, rules.zone)
    : b.start.at;
  const endsAt = b.end.allDay ? wallToInstant(b.end.date, rules.checkOutMinutes, rules.zone) : b.end.at;
  return {
    startDate: b.start.allDay ? b.start.date : dateAt(b.start.at, rules.zone),
    endDate: b.end.allDay ? b.end.date : dateAt(b.end.at, rules.zone),
    startsAt: startsAt - rules.bufferBeforeMinutes * MIN,
    endsAt: endsAt + rules.bufferAfterMinutes * MIN,
  };
}

/** The name a code gets: the guest's, else the stay's dates in a host's words. */
export function displayName(guest: string | null, calendarName: string, stay: Stay): string {
  if (guest) return guest;
  return `Guest ${day(stay.startDate)}–${day(stay.endDate)}, ${calendarName}`.slice(0, 200);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 May" (a date format per booking would cost more than the rest of the import). */
function day(date: CalendarDate): string {
  return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`;
}
