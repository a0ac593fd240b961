import { getModel } from '../core/catalog/index.js';
import { generateCodes } from '../core/codes/generator.js';
import { factoryState, type LockState } from '../core/codes/lock-state.js';
import { KeywardError } from '../core/errors.js';
import type { Random } from '../core/ports.js';
import { type ApplyAction, applyRefresh, type IncomingRow } from '../store/calendars-apply.js';
import { recordFetchFailure, recordNotModified, refreshBasis } from '../store/calendars-fetch-state.js';
import { releaseCalendarLease, stillDue, takeCalendarLease } from '../store/calendars-leases.js';
import type { Store } from '../store/index.js';
import { ianaZone } from '../store/time-zone.js';
import { cryptoRandom } from '../sync/random.js';
import { bookingOf, displayName, type StayRules, stayOf } from './bookings.js';
import { FETCH_DEFAULTS, type FetchResult, fetchCalendar } from './fetch.js';
import { parseFeed } from './ics.js';
import { type Incoming, planRefresh } from './match.js';
import { minutesOf } from './wall-time.js';

/**
 * One refresh of one calendar: fetch, read, match against what it showed before, apply. The
 * answer is the contract's `{ added, changed, cancelled, unchanged, error }`; a failed fetch is
 * an answer with `error` set, the bookings and their codes left as the last good fetch made them.
 */

export interface RefreshAnswer {
  added: number;
  changed: number;
  cancelled: number;
  unchanged: number;
  error: string | null;
}

/** What a calendar reports beyond its answer: the hook for notifications (issue 16 §3). */
export type CalendarEvent =
  | {
      type: 'calendar.failed';
      calendarId: string;
      name: string;
      failures: number;
      message: string;
      at: number;
    }
  | ({ type: 'calendar.refreshed'; calendarId: string; at: number } & RefreshAnswer);

export interface CalendarRuntime {
  /** Calls to loopback and private addresses (the server's --allow-private-urls). */
  allowPrivateUrls?: boolean;
  fetchTimeoutMs?: number;
  maxBytes?: number;
  random?: Random;
  /** The locks whose codes changed, for the reconciler. */
  nudge?: (lockIds: readonly string[]) => void;
  /**
   * Hears calendar events. `calendar.failed` comes once, at the third failed fetch in a row:
   * the notification hook (helper "activity"'s outbox subscribes here once merged).
   */
  onEvent?: (e: CalendarEvent) => void;
  /** Test seam: the fetch itself. */
  fetch?: typeof fetchCalendar;
}

/** Failed fetches in a row before the host is told. */
export const NOTIFY_AFTER_FAILURES = 3;

export async function refreshCalendar(
  store: Store,
  id: string,
  rt: CalendarRuntime = {},
): Promise<RefreshAnswer> {
  const ctx = store.ctx;
  const basis = await refreshBasis(ctx, id);
  const cal = basis.calendar;
  const fetched: FetchResult = await (rt.fetch ?? fetchCalendar)(cal.url, {
    etag: basis.etag,
    lastModified: basis.lastModified,
    timeoutMs: rt.fetchTimeoutMs ?? FETCH_DEFAULTS.timeoutMs,
    maxBytes: rt.maxBytes ?? FETCH_DEFAULTS.maxBytes,
    allowPrivate: rt.allowPrivateUrls ?? false,
  });
  const none = { added: 0, changed: 0, cancelled: 0, unchanged: 0 };
  const fail = async (message: string): Promise<RefreshAnswer> => {
    const { failures } = await recordFetchFailure(ctx, id, message);
    if (failures === NOTIFY_AFTER_FAILURES)
      rt.onEvent?.({
        type: 'calendar.failed',
        calendarId: id,
        name: cal.name,
        failures,
        message,
        at: ctx.now(),
      });
    return { ...none, error: message };
  };
  if (fetched.kind === 'failed') return fail(fetched.message);
  if (fetched.kind === 'not-modified') {
    const unchanged = await recordNotModified(ctx, id);
    return { ...none, unchanged, error: null };
  }
  const zone = basis.zone.timeZone !== null ? ianaZone(basis.zone.timeZone) : basis.zone.tzOffsetMinutes;
  let events: Awaited<ReturnType<typeof parseFeed>>;
  try {
    events = await parseFeed(fetched.body, zone);
  } catch (e) {
    return fail((e as Error).message);
  }
  const rules: StayRules = {
    checkInMinutes: minutesOf(basis.checkInTime),
    checkOutMinutes: minutesOf(basis.checkOutTime),
    bufferBeforeMinutes: cal.bufferBeforeMinutes,
    bufferAfterMinutes: cal.bufferAfterMinutes,
    zone,
  };
  const incoming: Incoming[] = [];
  for (const e of events) {
    const b = bookingOf(e);
    if (typeof b === 'string') continue;
    const stay = stayOf(b, rules);
    if (stay.endsAt <= stay.startsAt) continue;
    incoming.push({ ...b, ...stay, name: displayName(b.guest, cal.name, stay) });
  }
  const actions = planRefresh(basis.bookings, incoming, {
    now: ctx.now(),
    missesBeforeCancel: cal.missesBeforeCancel,
  });
  const draw = codeDrawer(basis.lockModels, cal.codeFrom, rt.random ?? cryptoRandom);
  const r = await applyRefresh(
    ctx,
    id,
    actions as ApplyAction[],
    { etag: fetched.etag, lastModified: fetched.lastModified },
    draw,
  );
  if (r.added || r.changed || r.cancelled) rt.nudge?.(r.lockIds);
  const answer = {
    added: r.added,
    changed: r.changed,
    cancelled: r.cancelled,
    unchanged: r.unchanged,
    error: null,
  };
  rt.onEvent?.({ type: 'calendar.refreshed', calendarId: id, at: ctx.now(), ...answer });
  return answer;
}

/**
 * The guest's phone digits first (when the calendar says so and the feed has them), then random
 * codes fit for every lock's model; the store checks each against what the locks really hold
 * and asks again when one is refused. Never anything from the dates.
 */
export function codeDrawer(
  lockModels: readonly string[],
  codeFrom: string,
  random: Random,
): (b: IncomingRow, attempt: number) => string {
  const states: LockState[] = [...new Set(lockModels)].map((m) => factoryState(getModel(m)));
  let stock: string[] = [];
  return (b, attempt) => {
    if (attempt === 0 && codeFrom === 'phone-last-4' && b.phoneLast4) return b.phoneLast4;
    if (states.length === 0) return '0000'; // no lock left: the store refuses the booking anyway
    if (stock.length === 0) stock = generateCodes({ locks: states, count: 1 }, random).codes;
    return stock.pop()!;
  };
}

/**
 * A refresh under the calendar's lease: with several instances on one database, one fetches a
 * calendar at a time. Asked while another holds it, the answer says so (CONFLICT).
 */
export async function refreshLeased(
  store: Store,
  id: string,
  holder: string,
  rt: CalendarRuntime = {},
  leaseMs = 120_000,
  /** The scheduler's round: skip (null) a calendar another instance fetched since the round began. */
  onlyIfDue = false,
): Promise<RefreshAnswer | null> {
  const now = store.ctx.now();
  if (!(await takeCalendarLease(store.ctx, id, holder, now, now + leaseMs))) {
    await refreshBasis(store.ctx, id); // a calendar that does not exist is a 404, not a conflict
    throw new KeywardError(
      'CONFLICT',
      'another Keyward instance is fetching this calendar right now: try again shortly',
    );
  }
  try {
    if (onlyIfDue && !(await stillDue(store.ctx, id, now))) return null;
    return await refreshCalendar(store, id, rt);
  } finally {
    await releaseCalendarLease(store.ctx, id, holder).catch(() => {});
  }
}
