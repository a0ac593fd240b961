import type { StoreContext } from './context.js';
import type { SlotHealth } from './sync-picture.js';

/** Lock ids with work of their own pending, for a restart: intents not yet resolved. */
export async function locksWithIntents(ctx: StoreContext): Promise<string[]> {
  const rows = await ctx.db.selectFrom('sync_ops').select('lock_id').distinct().execute();
  return rows.map((r) => r.lock_id);
}

/** Suspended slots, for display and for resuming by hand. */
export async function suspendedSlots(
  ctx: StoreContext,
  lockId?: string,
): Promise<Array<SlotHealth & { lockId: string }>> {
  let q = ctx.db.selectFrom('sync_slots').selectAll().where('suspended', '=', 1);
  if (lockId) q = q.where('lock_id', '=', lockId);
  const rows = await q.execute();
  return rows.map((h) => ({
    lockId: h.lock_id,
    slot: h.slot,
    failures: h.failures,
    nextAttemptAt: h.next_attempt_at,
    suspended: true,
    lastError: h.last_error,
  }));
}

/** Every lock of the register with its site, in id order (start, sweeps). */
export async function syncLocks(ctx: StoreContext): Promise<Array<{ id: string; siteId: string }>> {
  const rows = await ctx.db.selectFrom('locks').select(['id', 'site_id']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, siteId: r.site_id }));
}

/** Who holds a slot of a lock as the register last saw it: the credential and its person. */
export async function slotHolder(
  ctx: StoreContext,
  lockId: string,
  slot: number,
): Promise<{ credentialId: string; personId: string | null } | null> {
  const row = await ctx.db
    .selectFrom('lock_slots as s')
    .leftJoin('credentials as c', 'c.id', 's.credential_id')
    .select(['s.credential_id', 'c.person_id'])
    .where('s.lock_id', '=', lockId)
    .where('s.slot', '=', slot)
    .executeTakeFirst();
  return row?.credential_id ? { credentialId: row.credential_id, personId: row.person_id ?? null } : null;
}
