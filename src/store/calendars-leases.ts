import type { StoreContext } from './context.js';

/**
 * Which instance fetches which calendar: a lease row per calendar, taken like the sync's site
 * leases (leases.ts): renewed by its holder or taken once expired, and an insert that loses
 * quietly to a concurrent one. Two instances on one database never fetch one calendar at once.
 */
export async function takeCalendarLease(
  ctx: StoreContext,
  calendarId: string,
  holder: string,
  now: number,
  expiresAt: number,
): Promise<boolean> {
  const renewed = await ctx.db
    .updateTable('calendar_leases')
    .set({ holder, expires_at: expiresAt })
    .where('calendar_id', '=', calendarId)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', now)]))
    .executeTakeFirst();
  if (Number(renewed.numUpdatedRows) === 1) return true;
  const inserted = await ctx.db
    .insertInto('calendar_leases')
    .values({ calendar_id: calendarId, holder, expires_at: expiresAt })
    .onConflict((oc) => oc.column('calendar_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Hands the lease back once the fetch is done, so any instance may take the next one. */
export async function releaseCalendarLease(
  ctx: StoreContext,
  calendarId: string,
  holder: string,
): Promise<void> {
  await ctx.db
    .deleteFrom('calendar_leases')
    .where('calendar_id', '=', calendarId)
    .where('holder', '=', holder)
    .execute();
}

/** Calendars whose next fetch is due, soonest first. */
export async function dueCalendars(ctx: StoreContext, now: number, limit = 50): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('calendars')
    .select('id')
    .where('next_fetch_at', '<=', now)
    .orderBy('next_fetch_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether the calendar is still due: read again under the lease, another instance may just have fetched it. */
export async function stillDue(ctx: StoreContext, calendarId: string, now: number): Promise<boolean> {
  const r = await ctx.db
    .selectFrom('calendars')
    .select('next_fetch_at')
    .where('id', '=', calendarId)
    .executeTakeFirst();
  return r !== undefined && r.next_fetch_at <= now;
}
