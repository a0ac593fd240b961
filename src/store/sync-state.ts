import type { Kysely } from 'kysely';
import type { Schedule } from '../core/access/schedule.js';
import type { ZoneRule } from '../core/access/zone.js';
import { getModel } from '../core/catalog/index.js';
import type { ModelProfile } from '../core/catalog/types.js';
import { prefixKey } from '../core/codes/keypad.js';
import { refreshCleared, refreshClearedMany } from './assignments.js';
import { deleteWhereIn, insertRows, updateWhereIn } from './bulk.js';
import { aad, change, newId, type StoreContext, type Trx } from './context.js';
import { SCHEDULE_COLUMNS, type SlotStatus, scheduleOf } from './credentials.js';
import type { Database } from './schema.js';
import { siteZone } from './time-zone.js';

/**
 * What the reconciler (src/sync) keeps beside the register: intents written before a frame is
 * sent, per-slot failure counts and suspensions, what was last verified on each lock, site
 * leases and manual sessions. The tables are created by migration 0005 like every other table;
 * their types sit with the others in schema.ts. These aliases remain for callers written when
 * the tables had a database type of their own.
 */
export type SyncDatabase = Database;
export type SyncDb = Kysely<Database>;
export type SyncTrx = Trx;

export function syncDb(ctx: StoreContext): SyncDb {
  return ctx.db;
}

export function syncTrx(trx: Trx): SyncTrx {
  return trx;
}

/** The sync tables are a migration now (0005_sync_tables): an opened store has them. */
export async function ensureSyncTables(_ctx: StoreContext): Promise<void> {}

// ---- reading one lock's whole picture ---------------------------------------------------------

export interface AssignmentRow {
  credentialId: string;
  name: string;
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
  const db = syncDb(ctx);
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
        'c.id',
        'c.name',
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

// ---- writes, each one transaction with its audit row -------------------------------------------

type Audit = Parameters<Parameters<typeof change>[1]>[1];

export interface ReportedWrite {
  slot: number;
  /** undefined: the slot is empty. null: occupied, code masked. */
  code: string | null | undefined;
  credentialId: string | null;
  unmanaged: boolean;
  error?: string | null;
}

/** Sets what the lock reports for one slot; an emptied slot's code joins the deleted-code memory. */
export async function writeReported(
  ctx: StoreContext,
  trx: Trx,
  lockId: string,
  w: ReportedWrite,
  opts: { remember?: string | null } = {},
): Promise<void> {
  const now = ctx.now();
  let known: ModelProfile | null = null;
  const modelOf = async () => {
    if (known) return known;
    const lock = await trx
      .selectFrom('locks')
      .select('model')
      .where('id', '=', lockId)
      .executeTakeFirstOrThrow();
    known = getModel(lock.model);
    return known;
  };
  await trx.deleteFrom('lock_slots').where('lock_id', '=', lockId).where('slot', '=', w.slot).execute();
  if (w.code !== undefined) {
    const model = await modelOf();
    await trx
      .insertInto('lock_slots')
      .values({
        lock_id: lockId,
        slot: w.slot,
        status: 'occupied',
        credential_id: w.credentialId,
        code_enc: w.code === null ? null : ctx.sealer.seal(w.code, aad.slot(lockId, w.slot)),
        prefix_hash: w.code === null ? null : ctx.sealer.prefixHash(lockId, prefixKey(w.code, model)),
        unmanaged: w.unmanaged ? 1 : 0,
        error: w.error ?? null,
        last_used_at: null,
        updated_at: now,
      })
      .execute();
  }
  if (opts.remember) {
    const model = await modelOf();
    if (model.quirks.deletedCodeMemory) {
      const id = newId('del');
      await trx
        .insertInto('deleted_codes')
        .values({
          id,
          lock_id: lockId,
          code_enc: ctx.sealer.seal(opts.remember, aad.deleted(id)),
          prefix_hash: ctx.sealer.prefixHash(lockId, prefixKey(opts.remember, model)),
          deleted_at: now,
        })
        .execute();
    }
  }
}

/**
 * The credential's code goes to another slot of the lock (its own was taken): the register's
 * allocation follows, so the slot is never handed to someone else meanwhile.
 */
export async function moveAssignment(
  ctx: StoreContext,
  trx: Trx,
  credentialId: string,
  lockId: string,
  slot: number,
): Promise<void> {
  await trx
    .updateTable('credential_locks')
    .set({ slot, status: 'unset', error: null, updated_at: ctx.now() })
    .where('credential_id', '=', credentialId)
    .where('lock_id', '=', lockId)
    .execute();
}

export async function setAssignment(
  ctx: StoreContext,
  trx: Trx,
  credentialId: string,
  lockId: string,
  patch: { status?: SlotStatus; error?: string | null },
): Promise<void> {
  await trx
    .updateTable('credential_locks')
    .set({ ...patch, updated_at: ctx.now() })
    .where('credential_id', '=', credentialId)
    .where('lock_id', '=', lockId)
    .execute();
  // `keyward status` reads only credentials not yet cleared from every lock.
  if (patch.status) await refreshCleared(trx, [credentialId], ctx.now());
}

// ---- the same writes for many slots at once (a wake with many locks due) ------------------------

/** Intents for many ops, a few statements in all; ids in the order given. */
export async function addIntents(
  ctx: StoreContext,
  trx: Trx,
  intents: ReadonlyArray<Omit<Intent, 'id'> & { lockId: string }>,
): Promise<string[]> {
  const rows = intents.map(
    (i) => [newId('op'), i.lockId, i.slot, i.kind, i.credentialId, i.startedAt] as const,
  );
  await insertRows(
    trx,
    ctx.dialect,
    'sync_ops',
    ['id', 'lock_id', 'slot', 'kind', 'credential_id', 'started_at'],
    rows,
  );
  return rows.map((r) => r[0]);
}

export async function dropIntents(ctx: StoreContext, trx: Trx, ids: readonly string[]): Promise<void> {
  await deleteWhereIn(
    trx,
    ctx.dialect,
    'sync_ops',
    ['id'],
    ids.map((id) => [id]),
  );
}

export interface AssignmentPatch {
  credentialId: string;
  lockId: string;
  patch: { status?: SlotStatus; error?: string | null };
}

/**
 * setAssignment for many (credential, lock) pairs: patches to one pair merge in the order given
 * (as if applied one after another), then pairs with the same outcome share one statement.
 */
export async function setAssignments(
  ctx: StoreContext,
  trx: Trx,
  patches: readonly AssignmentPatch[],
  opts: { refreshCleared?: boolean } = {},
): Promise<void> {
  const merged = new Map<string, AssignmentPatch>();
  for (const p of patches) {
    const key = `${p.credentialId}\u0000${p.lockId}`;
    const prev = merged.get(key);
    merged.set(key, { ...p, patch: { ...prev?.patch, ...p.patch } });
  }
  const groups = new Map<string, AssignmentPatch[]>();
  for (const p of merged.values()) {
    const key = JSON.stringify([p.patch.status ?? null, 'error' in p.patch ? p.patch.error : '-']);
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }
  const now = ctx.now();
  for (const list of groups.values()) {
    const patch = list[0]!.patch;
    const set: Record<string, string | number | null> = { updated_at: now };
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.error !== undefined) set.error = patch.error;
    await updateWhereIn(
      trx,
      ctx.dialect,
      'credential_locks',
      set,
      ['credential_id', 'lock_id'],
      list.map((p) => [p.credentialId, p.lockId]),
    );
  }
  if (opts.refreshCleared === false) return;
  const touched = [...merged.values()].filter((p) => p.patch.status).map((p) => p.credentialId);
  await refreshClearedMany(ctx.dialect, trx, touched, now);
}

export interface ReportedWriteMany {
  lockId: string;
  model: ModelProfile;
  w: ReportedWrite;
  remember: string | null;
}

/**
 * writeReported for many slots: the last write to a slot wins (as if applied in order), and every
 * code that left a slot joins the deleted-code memory on models that have one.
 */
export async function writeReportedMany(
  ctx: StoreContext,
  trx: Trx,
  writes: readonly ReportedWriteMany[],
): Promise<void> {
  const now = ctx.now();
  const last = new Map<string, ReportedWriteMany>();
  for (const x of writes) last.set(`${x.lockId}\u0000${x.w.slot}`, x);
  const finals = [...last.values()];
  await deleteWhereIn(
    trx,
    ctx.dialect,
    'lock_slots',
    ['lock_id', 'slot'],
    finals.map((x) => [x.lockId, x.w.slot]),
  );
  await insertRows(
    trx,
    ctx.dialect,
    'lock_slots',
    [
      'lock_id',
      'slot',
      'status',
      'credential_id',
      'code_enc',
      'prefix_hash',
      'unmanaged',
      'error',
      'last_used_at',
      'updated_at',
    ],
    finals
      .filter((x) => x.w.code !== undefined)
      .map((x) => [
        x.lockId,
        x.w.slot,
        'occupied',
        x.w.credentialId,
        x.w.code == null ? null : ctx.sealer.seal(x.w.code, aad.slot(x.lockId, x.w.slot)),
        x.w.code == null ? null : ctx.sealer.prefixHash(x.lockId, prefixKey(x.w.code, x.model)),
        x.w.unmanaged ? 1 : 0,
        x.w.error ?? null,
        null,
        now,
      ]),
  );
  const seen = new Set<string>();
  const remembered: Array<Array<string | number>> = [];
  for (const x of writes) {
    if (!x.remember || !x.model.quirks.deletedCodeMemory) continue;
    const key = `${x.lockId}\u0000${x.remember}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const id = newId('del');
    remembered.push([
      id,
      x.lockId,
      ctx.sealer.seal(x.remember, aad.deleted(id)),
      ctx.sealer.prefixHash(x.lockId, prefixKey(x.remember, x.model)),
      now,
    ]);
  }
  await insertRows(
    trx,
    ctx.dialect,
    'deleted_codes',
    ['id', 'lock_id', 'code_enc', 'prefix_hash', 'deleted_at'],
    remembered,
  );
}

/** The stored checksums no longer describe these locks. */
export async function clearChecksums(ctx: StoreContext, trx: Trx, lockIds: readonly string[]): Promise<void> {
  await updateWhereIn(
    trx,
    ctx.dialect,
    'sync_locks',
    { checksum: null },
    ['lock_id'],
    lockIds.map((id) => [id]),
  );
}

export async function addIntent(trx: Trx, lockId: string, intent: Omit<Intent, 'id'>): Promise<string> {
  const id = newId('op');
  await syncTrx(trx)
    .insertInto('sync_ops')
    .values({
      id,
      lock_id: lockId,
      slot: intent.slot,
      kind: intent.kind,
      credential_id: intent.credentialId,
      started_at: intent.startedAt,
    })
    .execute();
  return id;
}

export async function dropIntent(trx: Trx, id: string): Promise<void> {
  await syncTrx(trx).deleteFrom('sync_ops').where('id', '=', id).execute();
}

export async function writeHealth(
  trx: Trx,
  lockId: string,
  h: SlotHealth | null,
  slot: number,
): Promise<void> {
  const t = syncTrx(trx);
  await t.deleteFrom('sync_slots').where('lock_id', '=', lockId).where('slot', '=', slot).execute();
  if (h) {
    await t
      .insertInto('sync_slots')
      .values({
        lock_id: lockId,
        slot,
        failures: h.failures,
        next_attempt_at: h.nextAttemptAt,
        suspended: h.suspended ? 1 : 0,
        last_error: h.lastError,
      })
      .execute();
  }
}

export async function writeLockState(
  trx: Trx,
  lockId: string,
  patch: { read_at?: number | null; checksum?: string | null; verified_at?: number | null; reread?: number },
): Promise<void> {
  const t = syncTrx(trx);
  const found = await t
    .selectFrom('sync_locks')
    .select('lock_id')
    .where('lock_id', '=', lockId)
    .executeTakeFirst();
  if (found) await t.updateTable('sync_locks').set(patch).where('lock_id', '=', lockId).execute();
  else
    await t
      .insertInto('sync_locks')
      .values({ lock_id: lockId, read_at: null, checksum: null, verified_at: null, reread: 0, ...patch })
      .execute();
}

/** Runs fn in one transaction with its audit helper (the register's change()). */
export function syncChange<T>(ctx: StoreContext, fn: (trx: Trx, audit: Audit) => Promise<T>): Promise<T> {
  return change(ctx, fn);
}

// Moved to credential-adopt.ts, the store's one way to create a credential; re-exported so
// importers of this module keep working.
export { adoptSlot } from './credential-adopt.js';

/** Lock ids with work of their own pending, for a restart: intents not yet resolved. */
export async function locksWithIntents(ctx: StoreContext): Promise<string[]> {
  const rows = await syncDb(ctx).selectFrom('sync_ops').select('lock_id').distinct().execute();
  return rows.map((r) => r.lock_id);
}

/** Suspended slots, for display and for resuming by hand. */
export async function suspendedSlots(
  ctx: StoreContext,
  lockId?: string,
): Promise<Array<SlotHealth & { lockId: string }>> {
  let q = syncDb(ctx).selectFrom('sync_slots').selectAll().where('suspended', '=', 1);
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
