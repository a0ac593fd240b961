import { sql } from 'kysely';
import { KeywardError } from '../core/errors.js';
import { newId, type StoreContext, storeError, type Trx } from './context.js';
import type { OutboxTable } from './schema.js';
import { enabledSubscriptions, subscriptionWants } from './subscriptions.js';

/**
 * The outbox: one row per delivery of an event (or a test) to a subscription, written in the
 * transaction that stores the event. A worker claims due rows by lease; only the holder of a
 * row's lease may finish it, so a worker that stalled past its lease cannot overwrite the
 * outcome of the one that took the row over.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  id: string;
  subscriptionId: string;
  eventId: string | null;
  kind: 'event' | 'test';
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
  doneAt: number | null;
}

export interface Attempt {
  at: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export const deliveryOf = (r: OutboxTable): Delivery => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  eventId: r.event_id,
  kind: r.kind as Delivery['kind'],
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  nextAttemptAt: r.status === 'pending' ? Number(r.next_attempt_at) : null,
  createdAt: Number(r.created_at),
  doneAt: r.done_at === null ? null : Number(r.done_at),
});

const row = (
  subscriptionId: string,
  eventId: string | null,
  kind: 'event' | 'test',
  now: number,
): OutboxTable => ({
  id: newId('dlv'),
  subscription_id: subscriptionId,
  event_id: eventId,
  kind,
  status: 'pending',
  attempts: 0,
  next_attempt_at: now,
  lease_holder: null,
  lease_until: null,
  last_status_code: null,
  last_error: null,
  created_at: now,
  done_at: null,
});

/** Deliveries for every subscription that wants these events, in the caller's transaction. */
export async function enqueueFor(
  trx: Trx,
  events: readonly { id: string; type: string; lockId: string | null }[],
  now: number,
): Promise<number> {
  if (events.length === 0) return 0;
  const subs = await enabledSubscriptions(trx);
  if (subs.length === 0) return 0;
  const rows: OutboxTable[] = [];
  for (const e of events)
    for (const s of subs)
      if (subscriptionWants(s, e.type, e.lockId)) rows.push(row(s.id, e.id, 'event', now));
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('outbox')
      .values(rows.slice(i, i + 500))
      .execute();
  return rows.length;
}

/** A test delivery ("send a test"). */
export async function enqueueTest(ctx: StoreContext, subscriptionId: string): Promise<Delivery> {
  const r = row(subscriptionId, null, 'test', ctx.now());
  try {
    await ctx.db.insertInto('outbox').values(r).execute();
  } catch (e) {
    throw storeError(e);
  }
  return deliveryOf(r);
}

/**
 * Claims up to `limit` due deliveries for `holder` until `now + leaseMs`. On PostgreSQL the rows
 * are picked FOR UPDATE SKIP LOCKED, so two instances claiming at once take different rows; on
 * SQLite one writer at a time does the same.
 */
export async function claimDue(
  ctx: StoreContext,
  holder: string,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<OutboxTable[]> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      let pick = trx
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .orderBy('next_attempt_at')
        .limit(limit);
      if (ctx.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
      const ids = (await pick.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return await trx
        .updateTable('outbox')
        .set({ lease_holder: holder, lease_until: now + leaseMs })
        .where('id', 'in', ids)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .returningAll()
        .execute();
    });
  } catch (e) {
    throw storeError(e);
  }
}

export type Finish =
  | { id: string; outcome: 'delivered'; statusCode: number | null }
  | { id: string; outcome: 'retry'; statusCode: number | null; error: string | null; nextAttemptAt: number }
  | {
      id: string;
      outcome: 'failed';
      statusCode: number | null;
      error: string | null;
      /** 410 Gone: the subscription is disabled with this reason. */
      disable?: { subscriptionId: string; reason: string };
    };

/**
 * Records the attempts and outcomes of claimed deliveries, in one transaction; a delivery whose
 * lease was taken over by another holder is left as that holder has it. Returns the ids finished.
 */
export async function finishDeliveries(
  ctx: StoreContext,
  holder: string,
  done: readonly (Finish & { at: number; durationMs: number })[],
): Promise<string[]> {
  if (done.length === 0) return [];
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const finished: string[] = [];
      for (const d of done) {
        const set =
          d.outcome === 'retry'
            ? { status: 'pending', next_attempt_at: d.nextAttemptAt }
            : { status: d.outcome, done_at: d.at };
        const r = await trx
          .updateTable('outbox')
          .set({
            ...set,
            attempts: sql<number>`attempts + 1`,
            last_status_code: d.statusCode,
            last_error: d.outcome === 'delivered' ? null : d.error,
            lease_holder: null,
            lease_until: null,
          })
          .where('id', '=', d.id)
          .where('lease_holder', '=', holder)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) continue;
        finished.push(d.id);
        await trx
          .insertInto('outbox_attempts')
          .values({
            id: newId('att'),
            delivery_id: d.id,
            at: d.at,
            status_code: d.statusCode,
            error: d.outcome === 'delivered' ? null : d.error,
            duration_ms: Math.round(d.durationMs),
          })
          .execute();
        if (d.outcome === 'failed' && d.disable)
          await trx
            .updateTable('subscriptions')
            .set({ enabled: 0, disabled_reason: d.disable.reason })
            .where('id', '=', d.disable.subscriptionId)
            .execute();
      }
      return finished;
    });
  } catch (e) {
    throw storeError(e);
  }
}

/** Newest first; `before` is a delivery id from the previous page. */
export async function listDeliveries(
  ctx: StoreContext,
  subscriptionId: string,
  limit = 50,
): Promise<Delivery[]> {
  const rows = await ctx.db
    .selectFrom('outbox')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(deliveryOf);
}

export async function deliveryAttempts(ctx: StoreContext, deliveryId: string): Promise<Attempt[]> {
  const rows = await ctx.db
    .selectFrom('outbox_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('at')
    .execute();
  return rows.map((r) => ({
    at: Number(r.at),
    statusCode: r.status_code,
    error: r.error,
    durationMs: r.duration_ms,
  }));
}

/** "Retry now": a pending or given-up delivery is due at once (its lease, if any, is kept). */
export async function retryNow(
  ctx: StoreContext,
  subscriptionId: string,
  deliveryId: string,
): Promise<Delivery> {
  const now = ctx.now();
  const r = await ctx.db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now, done_at: null })
    .where('id', '=', deliveryId)
    .where('subscription_id', '=', subscriptionId)
    .where('status', '<>', 'delivered')
    .returningAll()
    .executeTakeFirst();
  if (!r) {
    const exists = await ctx.db
      .selectFrom('outbox')
      .select('status')
      .where('id', '=', deliveryId)
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    if (!exists) throw new KeywardError('NOT_FOUND', `no delivery ${deliveryId}`);
    throw new KeywardError('CONFLICT', 'this notification was already delivered');
  }
  return deliveryOf(r);
}

/** When the next pending delivery is due (the worker sleeps until then), or null. */
export async function nextDueAt(ctx: StoreContext): Promise<number | null> {
  const r = await ctx.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r?.at == null ? null : Number(r.at);
}

/** Forgets finished deliveries (and their attempts) older than `before`. */
export async function pruneDeliveries(ctx: StoreContext, before: number, batch = 5_000): Promise<number> {
  const ids = (
    await ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '<>', 'pending')
      .where('created_at', '<', before)
      .limit(batch)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('outbox_attempts').where('delivery_id', 'in', ids).execute();
    await trx.deleteFrom('outbox').where('id', 'in', ids).execute();
  });
  return ids.length;
}
