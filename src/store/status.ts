import { type Selectable, sql } from 'kysely';
import { jsonArrayFrom as postgresJsonArray } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArray } from 'kysely/helpers/sqlite';
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
 * horizon (dueCutoffs; read from covering indexes for credentials), and the pure policy
 * decides. One statement answers with three JSON arrays: on PostgreSQL, pg's row parser runs in
 * JavaScript, and for a fresh process a few thousand rows cost more CPU than the query (61 ->
 * 24 ms of client CPU on 100,000 credentials); SQLite is as fast either way.
 */
export async function status(
  ctx: StoreContext,
  at = ctx.now(),
  horizonMs = DEFAULT_HORIZON_MS,
): Promise<Status> {
  const cut = dueCutoffs(at, horizonMs, MODELS);
  const jsonArrayFrom = ctx.dialect === 'postgres' ? postgresJsonArray : sqliteJsonArray;
  const row = await ctx.db
    .selectNoFrom((eb) => {
      const credentials = () =>
        eb
          .selectFrom('credentials as c')
          .select(['c.id', 'c.name', 'c.kind', 'c.ends_at', 'c.code_set_at', 'c.rotation', 'c.revoked_at']);
      return [
        jsonArrayFrom(
          credentials()
            // Whether some lock may still hold the code: cleared_at narrows the candidates, but
            // a writer that changes a slot status without refreshing it must not hide a guest
            // code still on a door, so the assignments have the last word. A scalar subquery,
            // looked up per row by primary key: PostgreSQL turned EXISTS into a hash of every
            // assignment in the register (80 ms on 100,000 credentials instead of 3).
            .select((sub) =>
              sub
                .selectFrom('credential_locks as cl')
                .select('cl.lock_id')
                .whereRef('cl.credential_id', '=', 'c.id')
                .where('cl.status', '<>', 'removed')
                .limit(1)
                .as('held_by'),
            )
            // Guests not yet cleared off their locks, through the partial index. A literal, not
            // a parameter: SQLite uses a partial index only when it can see the value.
            .where('c.kind', '=', sql.lit('guest'))
            .where('c.cleared_at', 'is', null)
            .where('c.ends_at', '<=', cut.endsAtOrBefore),
        ).as('guests'),
        jsonArrayFrom(
          credentials()
            .where('c.rotate_due_at', '<=', cut.rotationDueAtOrBefore)
            .where('c.revoked_at', 'is', null),
        ).as('rotations'),
        jsonArrayFrom(
          eb
            .selectFrom('locks')
            .select(['id', 'name', 'model', 'volts_per_cell', 'maintained_at'])
            .where((w) =>
              w.or([
                w('maintained_at', '<=', cut.maintainedAtOrBefore),
                w('volts_per_cell', '<', cut.batteryBelow),
              ]),
            ),
        ).as('locks'),
      ];
    })
    .executeTakeFirstOrThrow();
  const [guests, rotations, locks] = [fromJson(row.guests), fromJson(row.rotations), fromJson(row.locks)];
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

/** PostgreSQL's driver parses json columns itself; SQLite hands back the text. */
function fromJson<T>(value: T[] | string): T[] {
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}
