import { getModel } from '../core/catalog/index.js';
import type { ModelProfile } from '../core/catalog/types.js';
import { prefixKey } from '../core/codes/keypad.js';
import { refreshCleared } from './assignments.js';
import { aad, change, newId, type StoreContext, type Trx } from './context.js';
import type { SlotStatus } from './credentials.js';
import { syncDb } from './sync-tables.js';

/**
 * The sync tables (src/store/sync-tables.ts), one lock's picture (sync-picture.ts), the writes
 * sync makes (sync-writes.ts: one apply function) and its queries (sync-queries.ts), named here
 * too for the callers that import them from this file.
 */
export * from './sync-picture.js';
export * from './sync-queries.js';
export * from './sync-tables.js';

export async function ensureSyncTables(ctx: StoreContext): Promise<void> {
  const db = syncDb(ctx);
  await db.schema
    .createTable('sync_ops')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lock_id', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('credential_id', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_ops_lock').ifNotExists().on('sync_ops').column('lock_id').execute();
  await db.schema
    .createTable('sync_slots')
    .ifNotExists()
    .addColumn('lock_id', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('suspended', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addPrimaryKeyConstraint('sync_slots_pk', ['lock_id', 'slot'])
    .execute();
  await db.schema
    .createTable('sync_locks')
    .ifNotExists()
    .addColumn('lock_id', 'text', (c) => c.primaryKey())
    .addColumn('read_at', 'bigint')
    .addColumn('checksum', 'text')
    .addColumn('verified_at', 'bigint')
    .addColumn('reread', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('sync_leases')
    .ifNotExists()
    .addColumn('site_id', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('manual_sessions')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lock_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('manual_sessions_lock')
    .ifNotExists()
    .on('manual_sessions')
    .column('lock_id')
    .execute();
}

// ---- the manual session's writes (src/sync/manual-session.ts; sync itself uses sync-writes.ts) --

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

/** Runs fn in one transaction with its audit helper (the register's change()). */
export function syncChange<T>(ctx: StoreContext, fn: (trx: Trx, audit: Audit) => Promise<T>): Promise<T> {
  return change(ctx, fn);
}

/** A keypad code taken into the register: a credential whose slot is the one it is in. */
export async function adoptSlot(
  ctx: StoreContext,
  trx: Trx,
  lockId: string,
  slot: number,
  code: string,
  name: string,
): Promise<string> {
  const lock = await trx
    .selectFrom('locks')
    .select('model')
    .where('id', '=', lockId)
    .executeTakeFirstOrThrow();
  const model = getModel(lock.model);
  const id = newId('cred');
  const now = ctx.now();
  await trx
    .insertInto('credentials')
    .values({
      id,
      person_id: null,
      name,
      kind: 'permanent',
      code_enc: ctx.sealer.seal(code, aad.credential(id)),
      starts_at: null,
      ends_at: null,
      windows: '[]',
      use_limit: null,
      uses: 0,
      rotation: 'annual',
      code_set_at: now,
      rotate_due_at: null,
      revoked_at: null,
      version: 1,
      created_at: now,
    })
    .execute();
  await trx
    .insertInto('credential_locks')
    .values({
      credential_id: id,
      lock_id: lockId,
      slot,
      prefix_hash: ctx.sealer.prefixHash(lockId, prefixKey(code, model)),
      status: 'set',
      error: null,
      updated_at: now,
    })
    .execute();
  return id;
}
