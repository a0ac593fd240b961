import { KeywardError } from '../core/errors.js';
import { newId, type StoreContext, storeError, type Trx } from './context.js';
import type { SubscriptionTable } from './schema.js';

export type Channel = 'webhook' | 'ntfy' | 'email';

/** A subscription as the API shows it (never its secret). */
export interface Subscription {
  id: string;
  name: string;
  channel: Channel;
  /** The webhook or ntfy URL, or the e-mail address. */
  target: string;
  /** Event types, or ["*"] for every type. */
  events: string[];
  /** Locks it is about; null: every lock. */
  lockIds: string[] | null;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: number;
}

export interface SubscriptionInput {
  name: string;
  channel: Channel;
  target: string;
  events: string[];
  lockIds?: string[] | null;
  /** The signing secret (webhooks), sealed here. */
  secret?: string;
}

const secretAad = (id: string) => `subscription:${id}:secret`;

export const subscriptionOf = (r: SubscriptionTable): Subscription => ({
  id: r.id,
  name: r.name,
  channel: r.channel as Channel,
  target: r.target,
  events: JSON.parse(r.events) as string[],
  lockIds: r.lock_ids === null ? null : (JSON.parse(r.lock_ids) as string[]),
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  createdAt: r.created_at,
});

/** Whether an event of this type on this lock is for the subscription (pure). */
export function subscriptionWants(
  s: Pick<Subscription, 'events' | 'lockIds' | 'enabled'>,
  type: string,
  lockId: string | null,
): boolean {
  if (!s.enabled) return false;
  if (!(s.events.includes('*') || s.events.includes(type))) return false;
  return s.lockIds === null || (lockId !== null && s.lockIds.includes(lockId));
}

export async function addSubscription(ctx: StoreContext, input: SubscriptionInput): Promise<Subscription> {
  const id = newId(input.channel === 'webhook' ? 'wh' : 'sub');
  const row: SubscriptionTable = {
    id,
    name: input.name,
    channel: input.channel,
    target: input.target,
    secret_enc: input.secret ? ctx.sealer.seal(input.secret, secretAad(id)) : null,
    events: JSON.stringify(input.events),
    lock_ids: input.lockIds ? JSON.stringify(input.lockIds) : null,
    enabled: 1,
    disabled_reason: null,
    created_at: ctx.now(),
  };
  try {
    await ctx.db.insertInto('subscriptions').values(row).execute();
  } catch (e) {
    throw storeError(e);
  }
  return subscriptionOf(row);
}

export async function listSubscriptions(ctx: StoreContext, channel?: Channel): Promise<Subscription[]> {
  let q = ctx.db.selectFrom('subscriptions').selectAll().orderBy('created_at').orderBy('id');
  if (channel) q = q.where('channel', '=', channel);
  return (await q.execute()).map(subscriptionOf);
}

export async function getSubscription(ctx: StoreContext, id: string): Promise<Subscription> {
  const r = await ctx.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new KeywardError('NOT_FOUND', `no subscription ${id}`);
  return subscriptionOf(r);
}

/** The subscription with its secret opened (for signing only; never answered). */
export async function subscriptionWithSecret(
  ctx: StoreContext,
  id: string,
): Promise<{ sub: Subscription; secret: string | null } | null> {
  const r = await ctx.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  return {
    sub: subscriptionOf(r),
    secret: r.secret_enc ? ctx.sealer.open(r.secret_enc, secretAad(id)) : null,
  };
}

export async function setSubscriptionEnabled(
  ctx: StoreContext,
  id: string,
  enabled: boolean,
  reason: string | null,
  trx?: Trx,
): Promise<void> {
  const r = await (trx ?? ctx.db)
    .updateTable('subscriptions')
    .set({ enabled: enabled ? 1 : 0, disabled_reason: enabled ? null : reason })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new KeywardError('NOT_FOUND', `no subscription ${id}`);
}

/** Removes the subscription and its deliveries (their attempts too). */
export async function removeSubscription(ctx: StoreContext, id: string): Promise<void> {
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom('subscriptions').where('id', '=', id).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) throw new KeywardError('NOT_FOUND', `no subscription ${id}`);
      await trx
        .deleteFrom('outbox_attempts')
        .where('delivery_id', 'in', trx.selectFrom('outbox').select('id').where('subscription_id', '=', id))
        .execute();
      await trx.deleteFrom('outbox').where('subscription_id', '=', id).execute();
    });
  } catch (e) {
    throw storeError(e);
  }
}

/** The enabled subscriptions, inside the caller's transaction (the outbox is written there). */
export async function enabledSubscriptions(trx: Trx): Promise<Subscription[]> {
  return (await trx.selectFrom('subscriptions').selectAll().where('enabled', '=', 1).execute()).map(
    subscriptionOf,
  );
}
