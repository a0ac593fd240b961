import { type Selectable, sql } from 'kysely';
import {
  DEFAULT_HORIZON_MS,
  type DueCredential,
  type DueItem,
  type DueLock,
  dueCutoffs,
  dueItems,
  type RotationPolicy,
} from '../core/access/policies.js';
import { getModel, MODELS } from '../core/catalog/index.js';
import type { StoreContext } from './context.js';
import type { CredentialTable } from './schema.js';

export interface Status {
  at: number;
  horizonMs: number;
  items: DueItem[];
  counts: Record<DueItem['kind'], number> & { overdue: number };
}

/**
 * What is due: the database narrows credentials and locks to those that can matter within the
 * horizon (dueCutoffs; indexed for credentials), and the pure policy decides. One connection,
 * queries one after another: on PostgreSQL a second connection costs a server process, more
 * than the queries themselves.
 */
export async function status(
  ctx: StoreContext,
  at = ctx.now(),
  horizonMs = DEFAULT_HORIZON_MS,
): Promise<Status> {
  const cut = dueCutoffs(at, horizonMs, MODELS);
  const [guests, rotations, locks] = await ctx.db.connection().execute(async (db) => {
    const credentials = () =>
      db
        .selectFrom('credentials as c')
        .select(['c.id', 'c.name', 'c.kind', 'c.ends_at', 'c.code_set_at', 'c.rotation', 'c.revoked_at']);
    return [
      await credentials()
        // Whether some lock may still hold the code: cleared_at narrows the candidates, but a
        // writer that changes a slot status without refreshing it must not hide a guest code
        // still on a door, so the assignments have the last word. A scalar subquery, looked up
        // per row by primary key: PostgreSQL turned EXISTS into a hash of every assignment in
        // the register (80 ms on 100,000 credentials instead of 3).
        .select((eb) =>
          eb
            .selectFrom('credential_locks as cl')
            .select('cl.lock_id')
            .whereRef('cl.credential_id', '=', 'c.id')
            .where('cl.status', '<>', 'removed')
            .limit(1)
            .as('held_by'),
        )
        // Guests not yet cleared off their locks, through the partial index. A literal, not a
        // parameter: SQLite uses a partial index only when it can see the value.
        .where('c.kind', '=', sql.lit('guest'))
        .where('c.cleared_at', 'is', null)
        .where('c.ends_at', '<=', cut.endsAtOrBefore)
        .execute(),
      await credentials()
        .where('c.rotate_due_at', '<=', cut.rotationDueAtOrBefore)
        .where('c.revoked_at', 'is', null)
        .execute(),
      await db
        .selectFrom('locks')
        .select(['id', 'name', 'model', 'volts_per_cell', 'maintained_at'])
        .where((eb) =>
          eb.or([
            eb('maintained_at', '<=', cut.maintainedAtOrBefore),
            eb('volts_per_cell', '<', cut.batteryBelow),
          ]),
        )
        .execute(),
    ] as const;
  });
  const credentials: DueCredential[] = [
    ...guests.map((r) => dueCredential(r, r.held_by !== null)),
    ...rotations.map((r) => dueCredential(r, true)),
  ];
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

function dueCredential(
  r: Pick<
    Selectable<CredentialTable>,
    'id' | 'name' | 'kind' | 'ends_at' | 'code_set_at' | 'rotation' | 'revoked_at'
  >,
  onLocks: boolean,
): DueCredential {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as 'guest' | 'permanent',
    endsAt: r.ends_at,
    codeSetAt: r.code_set_at,
    rotation: r.rotation as RotationPolicy,
    revokedAt: r.revoked_at,
    onLocks,
  };
}
