import { type Calendar, calendarOf } from './calendars.js';
import type { StoredBookingRow } from './calendars-apply.js';
import { change, notFound, type StoreContext } from './context.js';
import type { CalendarBookingTable } from './schema.js';

/**
 * A calendar's fetch state: what a refresh reads before it fetches, and what a fetch that
 * brought nothing new writes (a failure, counted and shown; a 304, a good fetch with nothing
 * to redo). The bookings and their codes stay as the last good fetch left them.
 */

/** Everything a refresh reads before it fetches. */
export interface RefreshBasis {
  calendar: Calendar;
  etag: string | null;
  lastModified: string | null;
  zone: { tzOffsetMinutes: number; timeZone: string | null };
  /** The times all-day bookings arrive and leave, "HH:MM" on the site's clock. */
  checkInTime: string;
  checkOutTime: string;
  lockModels: string[];
  bookings: StoredBookingRow[];
}

export async function refreshBasis(ctx: StoreContext, calendarId: string): Promise<RefreshBasis> {
  const r = await ctx.db.selectFrom('calendars').selectAll().where('id', '=', calendarId).executeTakeFirst();
  if (!r) throw notFound('calendar', calendarId);
  const calendar = calendarOf(r);
  const locks = await ctx.db
    .selectFrom('locks as l')
    .innerJoin('sites as s', 's.id', 'l.site_id')
    .select([
      'l.id',
      'l.model',
      's.id as site_id',
      's.tz_offset_minutes',
      's.time_zone',
      's.check_in_time',
      's.check_out_time',
    ])
    .where('l.id', 'in', calendar.lockIds)
    .execute();
  const first = locks[0];
  const rows = await ctx.db
    .selectFrom('calendar_bookings')
    .selectAll()
    .where('calendar_id', '=', calendarId)
    .execute();
  return {
    calendar: { ...calendar, siteId: first?.site_id ?? null },
    etag: r.etag,
    lastModified: r.last_modified,
    zone: { tzOffsetMinutes: first?.tz_offset_minutes ?? 0, timeZone: first?.time_zone ?? null },
    // The calendar's own times, else its site's, else the usual hours.
    checkInTime: calendar.checkInTime ?? first?.check_in_time ?? '16:00',
    checkOutTime: calendar.checkOutTime ?? first?.check_out_time ?? '11:00',
    lockModels: locks.map((l) => l.model),
    bookings: rows.map(storedOf),
  };
}

const storedOf = (r: CalendarBookingTable): StoredBookingRow => ({
  key: r.key,
  uid: r.uid,
  summary: r.summary,
  name: r.name,
  startDate: r.start_date,
  endDate: r.end_date,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  credentialId: r.credential_id,
  status: r.status as StoredBookingRow['status'],
  misses: r.misses,
});

/** A failed fetch: the bookings stay as they were; the failure is counted and shown. */
export async function recordFetchFailure(
  ctx: StoreContext,
  calendarId: string,
  message: string,
): Promise<{ failures: number }> {
  return change(ctx, async (trx) => {
    const cal = await trx
      .selectFrom('calendars')
      .select(['failures', 'refresh_minutes'])
      .where('id', '=', calendarId)
      .executeTakeFirst();
    if (!cal) throw notFound('calendar', calendarId);
    const now = ctx.now();
    const failures = cal.failures + 1;
    await trx
      .updateTable('calendars')
      .set({
        last_fetch_at: now,
        last_error: message.slice(0, 500),
        failures,
        next_fetch_at: now + cal.refresh_minutes * 60_000,
      })
      .where('id', '=', calendarId)
      .execute();
    return { failures };
  });
}

/** 304 Not Modified: nothing to redo, the fetch counts as a good one. */
export async function recordNotModified(ctx: StoreContext, calendarId: string): Promise<number> {
  const now = ctx.now();
  const cal = await ctx.db
    .selectFrom('calendars')
    .select('refresh_minutes')
    .where('id', '=', calendarId)
    .executeTakeFirst();
  if (!cal) throw notFound('calendar', calendarId);
  await ctx.db
    .updateTable('calendars')
    .set({
      last_fetch_at: now,
      last_success_at: now,
      last_error: null,
      failures: 0,
      next_fetch_at: now + cal.refresh_minutes * 60_000,
    })
    .where('id', '=', calendarId)
    .execute();
  const active = await ctx.db
    .selectFrom('calendar_bookings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('calendar_id', '=', calendarId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(active?.n ?? 0);
}
