import type { Schedule } from '../core/access/schedule.js';
import type { ZoneRule } from '../core/access/zone.js';
import { aad, type StoreContext } from './context.js';
import { SCHEDULE_COLUMNS, type SlotStatus, scheduleOf } from './credentials.js';
import { siteZone } from './time-zone.js';

export interface AssignmentRow {
  credentialId: string;
  name: string;
  /** The person the credential belongs to, when it has one (for events). */
  personId?: string | null;
  slot: number;
  status: SlotStatus;
  error: string | null;
  code: string;
  schedule: Schedule;
}

export interface ReportedSlot {
  slot: number;
  /** null: occupied, code unknown (masked read-back). */
  code: string | null;
  credentialId: string | null;
  unmanaged: boolean;
  error: string | null;
}

export interface SlotHealth {
  slot: number;
  failures: number;
  nextAttemptAt: number;
  suspended: boolean;
  lastError: string | null;
}

export interface Intent {
  id: string;
  slot: number;
  /**
   * verify: read the slot back (a keypad edit or an unknown outcome); keypad-added: the same, for
   * a slot the lock itself reported a code added to at the keypad.
   */
  kind: 'add' | 'delete' | 'set-programming' | 'verify' | 'keypad-added';
  credentialId: string | null;
  startedAt: number;
}

export interface LockSyncPicture {
  lockId: string;
  siteId: string;
  name: string;
  model: string;
  driver: string;
  tzOffsetMinutes: number;
  /** The site's named time zone, when it has one: windows follow its clock changes. */
  zone?: ZoneRule | undefined;
  programmingCode: string | null;
  assignments: AssignmentRow[];
  reported: Map<number, ReportedSlot>;
  deleted: string[];
  intents: Intent[];
  health: Map<number, SlotHealth>;
  /** Slot -> the last time a code there was used at the keypad or came off (for slot choice). */
  lastUsed: Map<number, number>;
  readAt: number | null;
  reread: boolean;
  checksum: string | null;
  verifiedAt: number | null;
}

/** Everything the reconciler needs to plan one lock, codes opened in memory only. */
export async function loadLockPicture(
  ctx: StoreContext,
  lockId: string,
  open?: Opener,
): Promise<LockSyncPicture | null> {
  return (await loadLockPictures(ctx, [lockId], open)).get(lockId) ?? null;
}

/** Opens a sealed value; the reconciler may keep what it opened (see Reconciler). */
export type Opener = (sealed: string, aad: string) => string;

/**
 * The pictures of many locks with one query per table (ids in chunks), for a wake that finds
 * many locks due at once. Locks that do not exist are absent from the map.
 */
export async function loadLockPictures(
  ctx: StoreContext,
  lockIds: readonly string[],
  open: Opener = (sealed, aad) => ctx.sealer.open(sealed, aad),
): Promise<Map<string, LockSyncPicture>> {
  const out = new Map<string, LockSyncPicture>();
  for (let i = 0; i < lockIds.length; i += 400) {
    for (const p of await loadChunk(ctx, lockIds.slice(i, i + 400), open)) out.set(p.lockId, p);
  }
  return out;
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

async function loadChunk(ctx: StoreContext, ids: string[], open: Opener): Promise<LockSyncPicture[]> {
  if (ids.length === 0) return [];
  const db = ctx.db;
  const locks = await db
    .selectFrom('locks as l')
    .innerJoin('sites as s', 's.id', 'l.site_id')
    .select([
      'l.id',
      'l.site_id',
      'l.name',
      'l.model',
      'l.driver',
      'l.programming_code_enc',
      's.tz_offset_minutes',
      's.time_zone',
    ])
    .where('l.id', 'in', ids)
    .execute();
  if (locks.length === 0) return [];
  const rows = groupBy(
    await db
      .selectFrom('credential_locks as cl')
      .innerJoin('credentials as c', 'c.id', 'cl.credential_id')
      .select([
        'cl.lock_id',
        'cl.slot',
        'cl.status',
        'cl.error',
        'cl.dropped_at',
        'c.id',
        'c.name',
        'c.person_id',
        'c.code_enc',
        ...SCHEDULE_COLUMNS,
      ])
      .where('cl.lock_id', 'in', ids)
      .where('cl.status', '<>', 'removed')
      .execute(),
    (r) => r.lock_id,
  );
  const reported = groupBy(
    await db.selectFrom('lock_slots').selectAll().where('lock_id', 'in', ids).execute(),
    (r) => r.lock_id,
  );
  const deleted = groupBy(
    await db
      .selectFrom('deleted_codes')
      .select(['id', 'lock_id', 'code_enc'])
      .where('lock_id', 'in', ids)
      .execute(),
    (r) => r.lock_id,
  );
  const intents = groupBy(
    await db.selectFrom('sync_ops').selectAll().where('lock_id', 'in', ids).orderBy('started_at').execute(),
    (r) => r.lock_id,
  );
  const health = groupBy(
    await db.selectFrom('sync_slots').selectAll().where('lock_id', 'in', ids).execute(),
    (r) => r.lock_id,
  );
  const released = groupBy(
    await db
      .selectFrom('credential_locks')
      .select(['lock_id', 'slot', (eb) => eb.fn.max('updated_at').as('at')])
      .where('lock_id', 'in', ids)
      .where('status', '=', 'removed')
      .groupBy(['lock_id', 'slot'])
      .execute(),
    (r) => r.lock_id,
  );
  const states = new Map(
    (await db.selectFrom('sync_locks').selectAll().where('lock_id', 'in', ids).execute()).map((s) => [
      s.lock_id,
      s,
    ]),
  );
  return locks.map((lock) => {
    const lockId = lock.id;
    const slots = reported.get(lockId) ?? [];
    const lastUsed = new Map<number, number>();
    const used = (slot: number, at: number | string | null) => {
      if (at === null) return;
      lastUsed.set(slot, Math.max(lastUsed.get(slot) ?? Number(at), Number(at)));
    };
    for (const r of released.get(lockId) ?? []) used(r.slot, r.at);
    for (const r of slots) used(r.slot, r.last_used_at);
    const state = states.get(lockId);
    return {
      lockId,
      siteId: lock.site_id,
      name: lock.name,
      model: lock.model,
      driver: lock.driver,
      ...siteZone(lock),
      programmingCode: lock.programming_code_enc
        ? open(lock.programming_code_enc, aad.programming(lockId))
        : null,
      assignments: (rows.get(lockId) ?? []).map((r) => ({
        credentialId: r.id,
        name: r.name,
        personId: r.person_id,
        slot: r.slot,
        status: r.status as SlotStatus,
        error: r.error,
        code: open(r.code_enc, aad.credential(r.id)),
        schedule: scheduleOf(r),
      })),
      reported: new Map(
        slots.map((r) => [
          r.slot,
          {
            slot: r.slot,
            code: r.code_enc ? open(r.code_enc, aad.slot(lockId, r.slot)) : null,
            credentialId: r.credential_id,
            unmanaged: r.unmanaged === 1,
            error: r.error,
          },
        ]),
      ),
      deleted: (deleted.get(lockId) ?? []).map((d) => open(d.code_enc, aad.deleted(d.id))),
      intents: (intents.get(lockId) ?? []).map((i) => ({
        id: i.id,
        slot: i.slot,
        kind: i.kind as Intent['kind'],
        credentialId: i.credential_id,
        startedAt: i.started_at,
      })),
      health: new Map(
        (health.get(lockId) ?? []).map((h) => [
          h.slot,
          {
            slot: h.slot,
            failures: h.failures,
            nextAttemptAt: h.next_attempt_at,
            suspended: h.suspended === 1,
            lastError: h.last_error,
          },
        ]),
      ),
      lastUsed,
      readAt: state?.read_at ?? null,
      reread: state?.reread === 1,
      checksum: state?.checksum ?? null,
      verifiedAt: state?.verified_at ?? null,
    };
  });
}
