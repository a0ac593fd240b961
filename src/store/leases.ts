import { change, type StoreContext } from './context.js';

/**
 * Site leases between reconciler instances sharing one database: one row per site naming its
 * holder and when the lease runs out. Taking one is a conditional UPDATE (mine already, or
 * expired) or an INSERT that loses quietly to a concurrent one, so two instances never both
 * hold a site.
 */
export async function siteIds(ctx: StoreContext): Promise<string[]> {
  const rows = await ctx.db.selectFrom('sites').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Renews or takes the site's lease for `holder` until `expiresAt`; true when it holds it. */
export async function takeLease(
  ctx: StoreContext,
  siteId: string,
  holder: string,
  now: number,
  expiresAt: number,
): Promise<boolean> {
  const renewed = await ctx.db
    .updateTable('sync_leases')
    .set({ holder, expires_at: expiresAt })
    .where('site_id', '=', siteId)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', now)]))
    .executeTakeFirst();
  if (Number(renewed.numUpdatedRows) === 1) return true;
  const inserted = await ctx.db
    .insertInto('sync_leases')
    .values({ site_id: siteId, holder, expires_at: expiresAt })
    .onConflict((oc) => oc.column('site_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Audits that this instance took or lost a site. */
export function recordLease(
  ctx: StoreContext,
  siteId: string,
  holder: string,
  what: 'acquired' | 'lost',
): Promise<void> {
  return change(ctx, (_trx, audit) =>
    audit({ action: `lease.${what}`, subjectType: 'site', subjectId: siteId, detail: { holder } }),
  );
}

/** Gives every lease of `holder` back at once, so another instance need not wait for expiry. */
export async function releaseLeases(ctx: StoreContext, holder: string): Promise<void> {
  await ctx.db.deleteFrom('sync_leases').where('holder', '=', holder).execute();
}
