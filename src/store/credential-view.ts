import type { AccessCodeError, SlotStatus } from '../core/access/lifecycle.js';
import type { RotationPolicy } from '../core/access/policies.js';
import type { Schedule, WeeklyWindow } from '../core/access/schedule.js';
import { aad, notFound, type StoreContext } from './context.js';
import type { CredentialTable } from './schema.js';

/** A credential as the register shows it: its holder, schedule, and place on each lock. */

export type CredentialKind = 'permanent' | 'guest';

export interface CredentialLockView {
  lockId: string;
  lockName: string;
  slot: number;
  status: SlotStatus;
  error: AccessCodeError | null;
}

export interface Credential {
  id: string;
  personId: string | null;
  name: string;
  kind: CredentialKind;
  startsAt: number | null;
  endsAt: number | null;
  windows: WeeklyWindow[];
  useLimit: number | null;
  uses: number;
  rotation: RotationPolicy;
  codeSetAt: number;
  rotateDueAt: number | null;
  revokedAt: number | null;
  version: number;
  createdAt: number;
  locks: CredentialLockView[];
  /** Only when asked for. */
  code?: string;
}

/** The columns of `credentials as c` that scheduleOf reads. */
export const SCHEDULE_COLUMNS = [
  'c.starts_at',
  'c.ends_at',
  'c.windows',
  'c.use_limit',
  'c.uses',
  'c.revoked_at',
] as const;

/**
 * The credential's schedule; on one lock (given its assignment's `dropped_at`), revoked there
 * from the moment an edit took it off that lock.
 */
export function scheduleOf(r: {
  starts_at: number | null;
  ends_at: number | null;
  windows: string;
  use_limit: number | null;
  uses: number;
  revoked_at: number | null;
  dropped_at?: number | null | undefined;
}): Schedule {
  const dropped = r.dropped_at ?? null;
  return {
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    windows: JSON.parse(r.windows) as WeeklyWindow[],
    useLimit: r.use_limit,
    uses: r.uses,
    revokedAt:
      r.revoked_at === null ? dropped : dropped === null ? r.revoked_at : Math.min(r.revoked_at, dropped),
  };
}

/** A credential's row without its sealed code and cleared mark: what the views read. */
export type CredentialRow = Omit<CredentialTable, 'code_enc' | 'cleared_at'>;

export function credentialOf(r: CredentialRow, locks: CredentialLockView[]): Credential {
  return {
    id: r.id,
    personId: r.person_id,
    name: r.name,
    kind: r.kind as CredentialKind,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    windows: JSON.parse(r.windows) as WeeklyWindow[],
    useLimit: r.use_limit,
    uses: r.uses,
    rotation: r.rotation as RotationPolicy,
    codeSetAt: r.code_set_at,
    rotateDueAt: r.rotate_due_at,
    revokedAt: r.revoked_at,
    version: r.version,
    createdAt: r.created_at,
    locks: locks.map(({ lockId, lockName, slot, status, error }) => ({
      lockId,
      lockName,
      slot,
      status,
      error,
    })),
  };
}

async function locksOf(ctx: StoreContext, ids: string[]): Promise<Map<string, CredentialLockView[]>> {
  const out = new Map<string, CredentialLockView[]>();
  if (ids.length === 0) return out;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('credential_locks as cl')
      .innerJoin('locks as l', 'l.id', 'cl.lock_id')
      .select(['cl.credential_id', 'cl.lock_id', 'l.name', 'cl.slot', 'cl.status', 'cl.error'])
      .where('cl.credential_id', 'in', ids.slice(i, i + 500))
      .orderBy('l.name')
      .execute();
    for (const r of rows) {
      const list = out.get(r.credential_id) ?? [];
      list.push({
        lockId: r.lock_id,
        lockName: r.name,
        slot: r.slot,
        status: r.status as SlotStatus,
        // The store writes only the lifecycle's errors into this column.
        error: r.error as AccessCodeError | null,
      });
      out.set(r.credential_id, list);
    }
  }
  return out;
}

export async function getCredential(
  ctx: StoreContext,
  id: string,
  opts: { reveal?: boolean } = {},
): Promise<Credential> {
  const r = await ctx.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('credential', id);
  const c = credentialOf(r, (await locksOf(ctx, [id])).get(id) ?? []);
  if (opts.reveal) c.code = ctx.sealer.open(r.code_enc, aad.credential(id));
  return c;
}

export async function listCredentials(
  ctx: StoreContext,
  filter: { personId?: string; lockId?: string; includeRevoked?: boolean } = {},
): Promise<Credential[]> {
  let q = ctx.db
    .selectFrom('credentials as c')
    .select([
      'c.id',
      'c.person_id',
      'c.name',
      'c.kind',
      'c.starts_at',
      'c.ends_at',
      'c.windows',
      'c.use_limit',
      'c.uses',
      'c.rotation',
      'c.code_set_at',
      'c.rotate_due_at',
      'c.revoked_at',
      'c.version',
      'c.created_at',
    ]);
  if (filter.personId) q = q.where('c.person_id', '=', filter.personId);
  if (filter.lockId) {
    const lockId = filter.lockId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('credential_locks as cl')
          .select('cl.lock_id')
          .whereRef('cl.credential_id', '=', 'c.id')
          .where('cl.lock_id', '=', lockId),
      ),
    );
  }
  if (!filter.includeRevoked) q = q.where('c.revoked_at', 'is', null);
  const rows = await q.orderBy('c.created_at').orderBy('c.id').execute();
  const locks = await locksOf(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => credentialOf(r, locks.get(r.id) ?? []));
}
