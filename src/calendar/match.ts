import type { BookingAction, StoredBookingRow } from '../store/calendars-apply.js';
import type { FeedBooking, Stay } from './bookings.js';

/**
 * Which stored booking each fetched one is, and what to do about each: pure, so that every rule
 * (a UID that changed, a date that moved, a booking that vanished) is tested without a feed.
 *
 * A booking is the same booking when, in this order: its key matches (the platform's reservation
 * code, or its UID when there is none); its UID matches; or its first day, last day and title
 * all match a stored booking not yet matched (a platform that issued new UIDs for unchanged
 * stays). Anything else is new.
 */

/** A booking as the store keeps it: one shape for the decision and for the store that applies it. */
export type StoredBooking = StoredBookingRow;
export type BookingStatus = StoredBooking['status'];

export interface Incoming extends FeedBooking, Stay {
  /** The credential's name. */
  name: string;
}

export type Action = BookingAction<StoredBooking, Incoming>;

export interface MatchOptions {
  now: number;
  missesBeforeCancel: number;
}

const sameStay = (a: { startDate: string; endDate: string; summary: string }, b: typeof a) =>
  a.startDate === b.startDate && a.endDate === b.endDate && a.summary === b.summary;

export function planRefresh(
  stored: readonly StoredBooking[],
  fetched: readonly Incoming[],
  opts: MatchOptions,
): Action[] {
  const byKey = new Map(stored.map((s) => [s.key, s]));
  const byUid = new Map<string, StoredBooking>();
  for (const s of stored) if (!byUid.has(s.uid)) byUid.set(s.uid, s);
  const matched = new Set<StoredBooking>();
  const pairs: Array<{ booking: Incoming; stored: StoredBooking | null }> = [];
  const seenKeys = new Set<string>();
  const unmatched: Incoming[] = [];

  for (const b of fetched) {
    if (seenKeys.has(b.key)) continue; // a feed listing one reservation twice
    seenKeys.add(b.key);
    const s = [byKey.get(b.key), byUid.get(b.uid)].find((c) => c && !matched.has(c)) ?? null;
    if (s) {
      matched.add(s);
      pairs.push({ booking: b, stored: s });
    } else unmatched.push(b);
  }
  // The content fallback runs after every exact match, so it never takes a booking that a later
  // event of the feed names by key or UID.
  for (const b of unmatched) {
    const s = stored.find((c) => !matched.has(c) && sameStay(c, b)) ?? null;
    if (s) matched.add(s);
    pairs.push({ booking: b, stored: s });
  }

  const actions: Action[] = [];
  for (const { booking, stored: s } of pairs) {
    if (!s) {
      if (!booking.cancelled && booking.endsAt > opts.now)
        actions.push({ type: 'add', booking, replaces: null });
      continue;
    }
    if (s.status !== 'active') {
      // Seen again after a cancellation or a refusal: a fresh try, unless it is cancelled still.
      if (!booking.cancelled && booking.endsAt > opts.now && s.status !== 'ended')
        actions.push({ type: 'add', booking, replaces: s });
      else actions.push({ type: 'keep', stored: s, booking });
      continue;
    }
    if (booking.cancelled) {
      actions.push({ type: 'cancel', stored: s, why: 'cancelled', booking });
      continue;
    }
    const moved = booking.startsAt !== s.startsAt || booking.endsAt !== s.endsAt;
    if (moved || booking.name !== s.name) actions.push({ type: 'change', stored: s, booking });
    else actions.push({ type: 'keep', stored: s, booking });
  }
  for (const s of stored) {
    if (matched.has(s) || s.status !== 'active') continue;
    // Platforms drop stays from the feed once they are over: that is no cancellation.
    if (s.endsAt <= opts.now) {
      actions.push({ type: 'end', stored: s });
      continue;
    }
    const misses = s.misses + 1;
    if (misses >= opts.missesBeforeCancel)
      actions.push({ type: 'cancel', stored: s, why: 'missing', booking: null });
    else actions.push({ type: 'miss', stored: s, misses });
  }
  return actions;
}
