import { sql } from 'kysely';
import {
  DEFAULT_HORIZON_MS,
  type DueCredential,
  type DueItem,
  type DueLock,
  dueCutoffs,
  dueItems,
  type RotationPolicy,
} from '../core/access/policies.js';
import { getModel } from '../core/catalog/index.js';
import type { StoreContext } from './context.js';

export interface Status {
  at: number;
  horizonMs: number;
  items: DueItem[];
  counts: Record<DueItem['kind'], number> & { overdue: number };
}

/**
 * What is due: the database narrows the credentials to those ending or rotating within the
 * horizon (indexed), and the pure policy decides. Locks are few next to credentials and all
 * of them are read.
 */
export async function status(
  ctx: StoreContext,
  at = ctx.now(),
  horizonMs = DEFAULT_HORIZON_MS,
): Promise<Status> {
  const cut = dueCutoffs(at, horizonMs);
  const cols = [
    'c.id',
    'c.name',
    'c.kind',
    'c.ends_at',
    'c.code_set_at',
    'c.rotation',
    'c.revoked_at',
  ] as const;
  const [guests, rotations, locks] = await Promise.all([
    ctx.db
      .selectFrom('credentials as c')
      .select(cols)
      // Guests not yet cleared off their locks, through the partial index. A literal, not a
      // parameter: SQLite uses a partial index only when it can see the value.
      .where('c.kind', '=', sql.lit('guest'))
      .where('c.cleared_at', 'is', null)
      .where('c.ends_at', '<=', cut.endsAtOrBefore)
      .execute(),
    ctx.db
      .selectFrom('credentials as c')
      .select(cols)
      .where('c.rotate_due_at', '<=', cut.rotationDueAtOrBefore)
      .where('c.revoked_at', 'is', null)
      .execute(),
    ctx.db.selectFrom('locks').select(['id', 'name', 'model', 'volts_per_cell', 'maintained_at']).execute(),
  ]);
  const onLocks = await stillOnLocks(
    ctx,
    guests.map((g) => g.id),
  );
  const credentials: DueCredential[] = [
    ...guests.map((g) => ({ ...g, onLocks: onLocks.has(g.id) })),
    ...rotations.map((r) => ({ ...r, onLocks: true })),
  ].map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind as 'guest' | 'permanent',
    endsAt: r.ends_at,
    codeSetAt: r.code_set_at,
    rotation: r.rotation as RotationPolicy,
    revokedAt: r.revoked_at,
    onLocks: r.onLocks,
  }));
  const dueLocks: DueLock[] = locks.map((l) => ({
    id: l.id,
    name: l.name,
    model: getModel(l.model),
    voltsPerCell: l.volts_per_cell,
    maintainedAt: l.maintained_at,
  }));
  const items = dueItems({ credentials, locks: dueLocks }, at, horizonMs);
  const counts = { 'guest-departure': 0, rotation: 0, battery: 0, maintenance: 0, overdue: 0 };
  for (const i of items) {
    counts[i.kind]++;
    if (i.overdue) counts.overdue++;
  }
  return { at, horizonMs, items, counts };
}

/**
 * Which of these credentials some lock may still hold. cleared_at narrows the candidates, but a
 * writer that changes a slot status without refreshing it must not hide a guest code still on
 * a door, so the assignments have the last word. Looked up by key in chunks: a join let
 * PostgreSQL hash every assignment in the register.
 */
async function stillOnLocks(ctx: StoreContext, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('credential_locks')
      .select('credential_id')
      .distinct()
      .where('credential_id', 'in', ids.slice(i, i + 500))
      .where('status', '<>', 'removed')
      .execute();
    for (const r of rows) out.add(r.credential_id);
  }
  return out;
}
