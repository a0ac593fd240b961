import { KeywardError } from '../core/errors.js';
import { revokeAssignments } from './assignments.js';
import { bumpVersion, change, newId, notFound, requireName, type StoreContext, type Trx } from './context.js';
import type { CalendarBookingTable, CalendarTable } from './schema.js';

/**
 * Booking calendars in the register: their settings, how their last fetches went, and the
 * bookings each has shown with the credential made for each. The refresh itself (fetch, read,
 * match, apply) is src/calendar's; what it writes goes through calendars-apply.ts.
 */

export const CODE_SOURCES = ['phone-last-4', 'generate'] as const;
export type CodeSource = (typeof CODE_SOURCES)[number];

export interface CalendarSettings {
  name: string;
  url: string;
  lockIds: string[];
  /** Null: the site's check-in and check-out times. */
  checkInTime: string | null;
  checkOutTime: string | null;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  codeFrom: CodeSource;
  refreshMinutes: number;
  missesBeforeCancel: number;
}

export interface CalendarBooking {
  key: string;
  name: string;
  startsAt: number;
  endsAt: number;
  credentialId: string | null;
  status: BookingStatus;
  problem: string | null;
}

export type BookingStatus = 'active' | 'cancelled' | 'ended' | 'failed';

export interface Calendar extends CalendarSettings {
  id: string;
  siteId: string | null;
  lastFetchAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  failures: number;
  nextFetchAt: number;
  version: number;
  createdAt: number;
}

export const CALENDAR_DEFAULTS = {
  checkInTime: null,
  checkOutTime: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  codeFrom: 'phone-last-4' as CodeSource,
  refreshMinutes: 10,
  missesBeforeCancel: 2,
};

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

function checkSettings(s: CalendarSettings): CalendarSettings {
  const name = requireName(s.name, 'a calendar');
  let url: URL;
  try {
    url = new URL(s.url);
  } catch {
    throw new KeywardError('BAD_INPUT', "url: give the calendar's full address, starting with https://");
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new KeywardError('BAD_INPUT', 'url: a calendar address starts with https:// or http://');
  if (s.url.length > 2000) throw new KeywardError('BAD_INPUT', 'url: at most 2000 characters');
  for (const [field, value] of [
    ['checkInTime', s.checkInTime],
    ['checkOutTime', s.checkOutTime],
  ] as const) {
    if (value !== null && !CLOCK.test(value))
      throw new KeywardError('BAD_INPUT', `${field}: a time of day such as 16:00`);
  }
  const whole = (field: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max)
      throw new KeywardError('BAD_INPUT', `${field}: a whole number from ${min} to ${max}`);
  };
  whole('bufferBeforeMinutes', s.bufferBeforeMinutes, 0, 24 * 60);
  whole('bufferAfterMinutes', s.bufferAfterMinutes, 0, 24 * 60);
  whole('refreshMinutes', s.refreshMinutes, 1, 24 * 60);
  whole('missesBeforeCancel', s.missesBeforeCancel, 1, 20);
  if (!CODE_SOURCES.includes(s.codeFrom))
    throw new KeywardError('BAD_INPUT', `codeFrom: ${CODE_SOURCES.join(' or ')}`);
  const lockIds = [...new Set(s.lockIds)];
  if (lockIds.length === 0 || lockIds.length > 50)
    throw new KeywardError('BAD_INPUT', 'lockIds: a calendar opens 1 to 50 locks');
  return { ...s, name, lockIds };
}

/** The locks exist and stand at one site: a listing is one place, with one clock. */
async function siteOfLocks(trx: Trx, lockIds: string[]): Promise<string> {
  const rows = await trx.selectFrom('locks').select(['id', 'site_id']).where('id', 'in', lockIds).execute();
  const missing = lockIds.find((id) => !rows.some((r) => r.id === id));
  if (missing) throw notFound('lock', missing);
  const sites = new Set(rows.map((r) => r.site_id));
  if (sites.size > 1)
    throw new KeywardError('BAD_INPUT', 'lockIds: the locks of one calendar must be at the same site');
  return rows[0]!.site_id;
}

export function calendarOf(r: CalendarTable, siteId: string | null = null): Calendar {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    lockIds: JSON.parse(r.lock_ids) as string[],
    siteId,
    checkInTime: r.check_in_time,
    checkOutTime: r.check_out_time,
    bufferBeforeMinutes: r.buffer_before_minutes,
    bufferAfterMinutes: r.buffer_after_minutes,
    codeFrom: r.code_from as CodeSource,
    refreshMinutes: r.refresh_minutes,
    missesBeforeCancel: r.misses_before_cancel,
    lastFetchAt: r.last_fetch_at,
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
    failures: r.failures,
    nextFetchAt: r.next_fetch_at,
    version: r.version,
    createdAt: r.created_at,
  };
}

export function bookingOfRow(r: CalendarBookingTable): CalendarBooking {
  return {
    key: r.key,
    name: r.name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    credentialId: r.credential_id,
    status: r.status as BookingStatus,
    problem: r.problem,
  };
}

export async function addCalendar(
  ctx: StoreContext,
  input: Partial<CalendarSettings> & Pick<CalendarSettings, 'name' | 'url' | 'lockIds'>,
): Promise<Calendar> {
  const s = checkSettings({ ...CALENDAR_DEFAULTS, ...stripUndefined(input) } as CalendarSettings);
  return change(ctx, async (trx, audit) => {
    const siteId = await siteOfLocks(trx, s.lockIds);
    const now = ctx.now();
    const row: CalendarTable = {
      id: newId('cal'),
      ...settingsColumns(s),
      etag: null,
      last_modified: null,
      last_fetch_at: null,
      last_success_at: null,
      last_error: null,
      failures: 0,
      next_fetch_at: now,
      version: 1,
      created_at: now,
    };
    await trx.insertInto('calendars').values(row).execute();
    // The address may carry a private token (Airbnb's do): the audit names the host only.
    await audit({
      action: 'calendar.add',
      subjectType: 'calendar',
      subjectId: row.id,
      detail: { name: s.name, host: new URL(s.url).host, lockIds: s.lockIds },
    });
    return calendarOf(row, siteId);
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function listCalendars(ctx: StoreContext): Promise<Calendar[]> {
  const rows = await ctx.db.selectFrom('calendars').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => calendarOf(r));
}

export async function getCalendar(
  ctx: StoreContext,
  id: string,
): Promise<Calendar & { bookings: CalendarBooking[] }> {
  const r = await ctx.db.selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('calendar', id);
  const bookings = await ctx.db
    .selectFrom('calendar_bookings')
    .selectAll()
    .where('calendar_id', '=', id)
    .orderBy('starts_at')
    .orderBy('key')
    .execute();
  return { ...calendarOf(r), bookings: bookings.map(bookingOfRow) };
}

/** A changed address or stay rule fetches in full next time (no ETag), so every stay is redone. */
export async function updateCalendar(
  ctx: StoreContext,
  id: string,
  patch: Partial<CalendarSettings>,
  expectedVersion?: number,
): Promise<Calendar> {
  return change(ctx, async (trx, audit) => {
    const r = await trx.selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('calendar', id);
    const s = checkSettings({ ...calendarOf(r), ...stripUndefined(patch) });
    const siteId = await siteOfLocks(trx, s.lockIds);
    await bumpCalendar(trx, id, expectedVersion ?? r.version);
    const next = {
      ...settingsColumns(s),
      etag: null,
      last_modified: null,
      next_fetch_at: ctx.now(),
    };
    await trx.updateTable('calendars').set(next).where('id', '=', id).execute();
    await audit({
      action: 'calendar.update',
      subjectType: 'calendar',
      subjectId: id,
      detail: { fields: Object.keys(stripUndefined(patch)).filter((k) => k !== 'url') },
    });
    return calendarOf({ ...r, ...next, version: r.version + 1 }, siteId);
  });
}

async function bumpCalendar(trx: Trx, id: string, expected: number): Promise<void> {
  const r = await trx
    .updateTable('calendars')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1)
    throw new KeywardError('CONFLICT', `${id} changed since it was read: read it again and retry`);
}

/**
 * Stops following the calendar. Its bookings' codes stay unless `revokeCodes`: a guest in the
 * house keeps their way in when a host tidies up the calendar list.
 */
export async function removeCalendar(
  ctx: StoreContext,
  id: string,
  opts: { revokeCodes?: boolean } = {},
): Promise<{ revoked: string[] }> {
  return change(ctx, async (trx, audit) => {
    const r = await trx.selectFrom('calendars').select('id').where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('calendar', id);
    const revoked: string[] = [];
    if (opts.revokeCodes) {
      const rows = await trx
        .selectFrom('calendar_bookings as b')
        .innerJoin('credentials as c', 'c.id', 'b.credential_id')
        .select('c.id')
        .where('b.calendar_id', '=', id)
        .where('c.revoked_at', 'is', null)
        .execute();
      const now = ctx.now();
      for (const c of rows) {
        await bumpVersionOf(trx, c.id);
        await trx.updateTable('credentials').set({ revoked_at: now }).where('id', '=', c.id).execute();
        await revokeAssignments(trx, c.id, now);
        await audit({ action: 'credential.revoke', subjectType: 'credential', subjectId: c.id });
        revoked.push(c.id);
      }
    }
    await trx.deleteFrom('calendar_bookings').where('calendar_id', '=', id).execute();
    await trx.deleteFrom('calendar_leases').where('calendar_id', '=', id).execute();
    await trx.deleteFrom('calendars').where('id', '=', id).execute();
    await audit({ action: 'calendar.remove', subjectType: 'calendar', subjectId: id, detail: { revoked } });
    return { revoked };
  });
}

async function bumpVersionOf(trx: Trx, credentialId: string): Promise<void> {
  const c = await trx
    .selectFrom('credentials')
    .select('version')
    .where('id', '=', credentialId)
    .executeTakeFirst();
  if (c) await bumpVersion(trx, 'credentials', credentialId, c.version);
}

/** Which calendar booking a credential was made for, if any. */
export async function credentialSource(
  ctx: StoreContext,
  credentialId: string,
): Promise<{ calendarId: string; bookingKey: string } | null> {
  const r = await ctx.db
    .selectFrom('calendar_bookings')
    .select(['calendar_id', 'key'])
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return r ? { calendarId: r.calendar_id, bookingKey: r.key } : null;
}

/** A calendar's settings as its row's columns: the one mapping for adding and changing one. */
function settingsColumns(s: CalendarSettings) {
  return {
    name: s.name,
    url: s.url,
    lock_ids: JSON.stringify(s.lockIds),
    check_in_time: s.checkInTime,
    check_out_time: s.checkOutTime,
    buffer_before_minutes: s.bufferBeforeMinutes,
    buffer_after_minutes: s.bufferAfterMinutes,
    code_from: s.codeFrom,
    refresh_minutes: s.refreshMinutes,
    misses_before_cancel: s.missesBeforeCancel,
  };
}
