import { KeywardError } from '../core/errors.js';
import { newId, type StoreContext, storeError } from './context.js';
import { enqueueFor } from './outbox.js';
import type { ActivityTable } from './schema.js';

/** An event to store (src/activity/mapping.ts makes them; never a code's digits). */
export interface ActivityInput {
  at: number;
  type: string;
  lockId: string | null;
  credentialId: string | null;
  personId: string | null;
  slot: number | null;
  detail: Record<string, unknown>;
}

/** An event as GET /api/v1/events answers it. */
export interface ActivityEvent {
  id: string;
  at: number;
  type: string;
  lockId: string | null;
  credentialId: string | null;
  personName: string | null;
  slot: number | null;
  detail: Record<string, unknown>;
}

export interface ActivityFilter {
  lockId?: string;
  credentialId?: string;
  personId?: string;
  /** One type, or several. */
  type?: string | readonly string[];
  since?: number;
  until?: number;
  /** The `next` of the previous page. */
  before?: string;
  limit?: number;
}

export interface RecordResult {
  /** Every row written, guest arrivals included, in order. */
  events: { id: string; type: string; lockId: string | null; at: number }[];
  deliveries: number;
}

/**
 * Stores the events and, in the same transaction, the outbox rows of every subscription that
 * wants them: an event is never stored without its notifications, nor the reverse. The first use
 * of a guest's code adds `guest.arrived` (decided here, where earlier uses are known).
 */
export async function recordActivity(
  ctx: StoreContext,
  inputs: readonly ActivityInput[],
): Promise<RecordResult> {
  if (inputs.length === 0) return { events: [], deliveries: 0 };
  const now = ctx.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const used = [
        ...new Set(
          inputs.filter((i) => i.type === 'code.used' && i.credentialId).map((i) => i.credentialId!),
        ),
      ];
      let firstUse = new Set<string>();
      if (used.length > 0) {
        const guests = await trx
          .selectFrom('credentials')
          .select('id')
          .where('id', 'in', used)
          .where('kind', '=', 'guest')
          .execute();
        const ids = guests.map((g) => g.id);
        if (ids.length > 0) {
          const arrived = await trx
            .selectFrom('activity')
            .select('credential_id')
            .where('type', '=', 'guest.arrived')
            .where('credential_id', 'in', ids)
            .execute();
          const seen = new Set(arrived.map((a) => a.credential_id));
          firstUse = new Set(ids.filter((id) => !seen.has(id)));
        }
      }
      const rows: ActivityTable[] = [];
      const push = (i: ActivityInput, type = i.type) =>
        rows.push({
          id: newId('evt'),
          at: i.at,
          type,
          lock_id: i.lockId,
          credential_id: i.credentialId,
          person_id: i.personId,
          slot: i.slot,
          detail: JSON.stringify(i.detail),
        });
      for (const i of inputs) {
        push(i);
        if (i.type === 'code.used' && i.credentialId && firstUse.delete(i.credentialId))
          push(i, 'guest.arrived');
      }
      for (let k = 0; k < rows.length; k += 500)
        await trx
          .insertInto('activity')
          .values(rows.slice(k, k + 500))
          .execute();
      const events = rows.map((r) => ({ id: r.id, type: r.type, lockId: r.lock_id, at: r.at }));
      const deliveries = await enqueueFor(trx, events, now);
      return { events, deliveries };
    });
  } catch (e) {
    throw storeError(e);
  }
}

const eventsQuery = (ctx: StoreContext) =>
  ctx.db
    .selectFrom('activity as a')
    .leftJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('credentials as c', 'c.id', 'a.credential_id')
    .select([
      'a.id',
      'a.at',
      'a.type',
      'a.lock_id',
      'a.credential_id',
      'a.slot',
      'a.detail',
      'p.name as person_name',
      'c.name as credential_name',
    ]);

type EventRow = Awaited<ReturnType<ReturnType<typeof eventsQuery>['execute']>>[number];

const eventOf = (r: EventRow): ActivityEvent => ({
  id: r.id,
  at: Number(r.at),
  type: r.type,
  lockId: r.lock_id,
  credentialId: r.credential_id,
  // A guest without a person record is known by the name on their code ("Smith family").
  personName: r.person_name ?? r.credential_name ?? null,
  slot: r.slot,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

const cursorOf = (r: { at: number; id: string }) => Buffer.from(`${r.at}:${r.id}`).toString('base64url');

function readCursor(text: string): { at: number; id: string } {
  const plain = Buffer.from(text, 'base64url').toString();
  const m = /^(\d+):([\w-]+)$/.exec(plain);
  if (!m) throw new KeywardError('BAD_INPUT', 'before: not a page cursor from an earlier answer');
  return { at: Number(m[1]), id: m[2]! };
}

/**
 * A page of events, newest first, and the cursor of the next page (null at the end). Each filter
 * goes through its own index ending in (at, id), read backwards from the cursor.
 */
export async function listActivity(
  ctx: StoreContext,
  f: ActivityFilter,
): Promise<{ events: ActivityEvent[]; next: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 1000);
  let q = eventsQuery(ctx);
  if (f.lockId) q = q.where('a.lock_id', '=', f.lockId);
  if (f.credentialId) q = q.where('a.credential_id', '=', f.credentialId);
  if (f.personId) q = q.where('a.person_id', '=', f.personId);
  const types = typeof f.type === 'string' ? [f.type] : (f.type ?? []);
  if (types.length === 1) q = q.where('a.type', '=', types[0]!);
  else if (types.length > 1) q = q.where('a.type', 'in', types);
  if (f.since !== undefined) q = q.where('a.at', '>=', f.since);
  if (f.until !== undefined) q = q.where('a.at', '<', f.until);
  if (f.before) {
    const c = readCursor(f.before);
    q = q.where((eb) => eb(eb.refTuple('a.at', 'a.id'), '<', eb.tuple(c.at, c.id)));
  }
  const rows = await q
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const events = page.map(eventOf);
  const last = page[page.length - 1];
  return {
    events,
    next: rows.length > limit && last ? cursorOf({ at: Number(last.at), id: last.id }) : null,
  };
}

/** The events with these ids, as listActivity shows them (the notifier's payloads). */
export async function activityByIds(
  ctx: StoreContext,
  ids: readonly string[],
): Promise<Map<string, ActivityEvent>> {
  const out = new Map<string, ActivityEvent>();
  if (ids.length === 0) return out;
  const rows = await eventsQuery(ctx)
    .where('a.id', 'in', [...ids])
    .execute();
  for (const r of rows) out.set(r.id, eventOf(r));
  return out;
}

/** Deletes up to `batch` events older than `before` (the retention); returns how many. */
export async function pruneActivity(ctx: StoreContext, before: number, batch = 5_000): Promise<number> {
  try {
    const ids = (
      await ctx.db
        .selectFrom('activity')
        .select('id')
        .where('at', '<', before)
        .orderBy('at')
        .limit(batch)
        .execute()
    ).map((r) => r.id);
    if (ids.length === 0) return 0;
    await ctx.db.deleteFrom('activity').where('id', 'in', ids).execute();
    return ids.length;
  } catch (e) {
    throw storeError(e);
  }
}
