import type { SlotStatus } from '../core/access/lifecycle.js';
import { getModel } from '../core/catalog/index.js';
import { prefixKey } from '../core/codes/keypad.js';
import { refreshClearedMany } from './assignments.js';
import type { AuditEntry } from './audit.js';
import { deleteWhereIn, insertRows, updateWhereIn } from './bulk.js';
import { aad, change, newId, type StoreContext, type Trx } from './context.js';
import { adoptSlot } from './credential-adopt.js';
import type { Intent, SlotHealth } from './sync-picture.js';

/**
 * Everything sync writes to the register, as plain data, and the one function that applies a
 * list of such writes. The reconciler decides (src/sync, pure functions returning writes) and
 * this file writes: grouped, multi-row statements, in one transaction with the audit rows that
 * describe them, so a crash leaves a change and its audit rows together or neither.
 *
 * A list reads as if applied one write after another: the last write to a slot, a slot's health
 * or a lock's sync state wins, patches to one assignment merge in order. Writes of different
 * kinds touch different rows, so they are applied kind by kind (the order below).
 */
export type SyncWrite =
  /** What the lock holds in a slot (code null: occupied, masked). `remember`: the code it replaced. */
  | {
      kind: 'slot-reported';
      lockId: string;
      model: string;
      slot: number;
      code: string | null;
      credentialId: string | null;
      unmanaged: boolean;
      error?: string | null;
      remember?: string | null;
    }
  /** The slot is empty; the code it held (`remember`) joins the deleted-code memory. */
  | { kind: 'slot-cleared'; lockId: string; model: string; slot: number; remember?: string | null }
  /**
   * A code found on the lock taken into the register as a credential of its own (adoptSlot), and
   * reported in its slot under that credential.
   */
  | {
      kind: 'credential-adopted';
      lockId: string;
      model: string;
      slot: number;
      code: string;
      name: string;
      remember?: string | null;
    }
  /** An assignment's status or error; `refreshCleared: false` leaves the credential's cleared mark. */
  | {
      kind: 'assignment';
      credentialId: string;
      lockId: string;
      patch: AssignmentPatch;
      refreshCleared?: false;
    }
  /** The credential's code goes to another slot of the lock (its own is taken). */
  | { kind: 'assignment-moved'; credentialId: string; lockId: string; slot: number }
  /** An op about to be sent (or a slot to read back); the caller allocates the id (newIntentId). */
  | { kind: 'intent-added'; lockId: string; intent: Intent }
  | { kind: 'intent-dropped'; id: string }
  /** A slot's failure count and back-off; null clears it. */
  | { kind: 'slot-health'; lockId: string; slot: number; health: Omit<SlotHealth, 'slot'> | null }
  | { kind: 'lock-sync-state'; lockId: string; patch: LockSyncStatePatch }
  /** The stored checksum no longer describes the lock. */
  | { kind: 'checksum-cleared'; lockId: string }
  | { kind: 'slot-used'; lockId: string; slot: number; at: number }
  /** The lock's programming code, confirmed by the lock (stored sealed). */
  | { kind: 'programming-code'; lockId: string; code: string };

export interface AssignmentPatch {
  status?: SlotStatus;
  error?: string | null;
}

export interface LockSyncStatePatch {
  read_at?: number | null;
  checksum?: string | null;
  verified_at?: number | null;
  reread?: number;
}

export function newIntentId(): string {
  return newId('op');
}

export interface Applied {
  /** Ids of the credentials adopted, in the order of their writes. */
  adopted: string[];
}

/** Applies the writes and appends the audit rows, all in one transaction. */
export function applySyncWrites(
  ctx: StoreContext,
  writes: readonly SyncWrite[],
  audit: ReadonlyArray<Omit<AuditEntry, 'actor'>> = [],
): Promise<Applied> {
  return change(ctx, async (trx, append) => {
    const applied = await applySyncWritesIn(ctx, trx, writes);
    for (const row of audit) await append(row);
    return applied;
  });
}

type Kind = SyncWrite['kind'];
type Of<K extends Kind> = Extract<SyncWrite, { kind: K }>;

/** The same inside a transaction the caller holds. */
export async function applySyncWritesIn(
  ctx: StoreContext,
  trx: Trx,
  writes: readonly SyncWrite[],
): Promise<Applied> {
  const now = ctx.now();
  const adopted: string[] = [];
  // An adopted code becomes a credential first: its slot is then reported under the new id.
  const list: SyncWrite[] = [];
  for (const w of writes) {
    if (w.kind !== 'credential-adopted') {
      list.push(w);
      continue;
    }
    const id = await adoptSlot(ctx, trx, w.lockId, w.slot, w.code, w.name);
    adopted.push(id);
    list.push({
      kind: 'slot-reported',
      lockId: w.lockId,
      model: w.model,
      slot: w.slot,
      code: w.code,
      credentialId: id,
      unmanaged: false,
      remember: w.remember ?? null,
    });
  }
  const of = <K extends Kind>(kind: K) => list.filter((w): w is Of<K> => w.kind === kind);
  await intents(ctx, trx, of('intent-dropped'), of('intent-added'));
  await health(ctx, trx, of('slot-health'));
  await reported(
    ctx,
    trx,
    list.filter(
      (w): w is Of<'slot-reported' | 'slot-cleared'> =>
        w.kind === 'slot-reported' || w.kind === 'slot-cleared',
    ),
    now,
  );
  for (const m of of('assignment-moved'))
    await trx
      .updateTable('credential_locks')
      .set({ slot: m.slot, status: 'unset', error: null, updated_at: now })
      .where('credential_id', '=', m.credentialId)
      .where('lock_id', '=', m.lockId)
      .execute();
  await assignments(ctx, trx, of('assignment'), now);
  await lockStates(ctx, trx, of('lock-sync-state'));
  await updateWhereIn(
    trx,
    ctx.dialect,
    'sync_locks',
    { checksum: null },
    ['lock_id'],
    [...new Set(of('checksum-cleared').map((w) => w.lockId))].map((id) => [id]),
  );
  for (const u of of('slot-used'))
    await trx
      .updateTable('lock_slots')
      .set({ last_used_at: u.at })
      .where('lock_id', '=', u.lockId)
      .where('slot', '=', u.slot)
      .execute();
  for (const p of of('programming-code'))
    await trx
      .updateTable('locks')
      .set((eb) => ({
        programming_code_enc: ctx.sealer.seal(p.code, aad.programming(p.lockId)),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', p.lockId)
      .execute();
  return { adopted };
}

async function intents(
  ctx: StoreContext,
  trx: Trx,
  dropped: ReadonlyArray<Of<'intent-dropped'>>,
  added: ReadonlyArray<Of<'intent-added'>>,
): Promise<void> {
  await deleteWhereIn(
    trx,
    ctx.dialect,
    'sync_ops',
    ['id'],
    dropped.map((d) => [d.id]),
  );
  await insertRows(
    trx,
    ctx.dialect,
    'sync_ops',
    ['id', 'lock_id', 'slot', 'kind', 'credential_id', 'started_at'],
    added.map(({ lockId, intent: i }) => [i.id, lockId, i.slot, i.kind, i.credentialId, i.startedAt]),
  );
}

async function health(ctx: StoreContext, trx: Trx, writes: ReadonlyArray<Of<'slot-health'>>): Promise<void> {
  const last = new Map<string, Of<'slot-health'>>();
  for (const w of writes) last.set(`${w.lockId}\u0000${w.slot}`, w);
  const finals = [...last.values()];
  await deleteWhereIn(
    trx,
    ctx.dialect,
    'sync_slots',
    ['lock_id', 'slot'],
    finals.map((w) => [w.lockId, w.slot]),
  );
  await insertRows(
    trx,
    ctx.dialect,
    'sync_slots',
    ['lock_id', 'slot', 'failures', 'next_attempt_at', 'suspended', 'last_error'],
    finals.flatMap(({ lockId, slot, health: h }) =>
      h ? [[lockId, slot, h.failures, h.nextAttemptAt, h.suspended ? 1 : 0, h.lastError]] : [],
    ),
  );
}

/**
 * What the lock reports in its slots: the last write to a slot wins, and every code that left a
 * slot joins the deleted-code memory on models that have one (once per lock and code).
 */
async function reported(
  ctx: StoreContext,
  trx: Trx,
  writes: ReadonlyArray<Of<'slot-reported' | 'slot-cleared'>>,
  now: number,
): Promise<void> {
  const last = new Map<string, Of<'slot-reported' | 'slot-cleared'>>();
  for (const w of writes) last.set(`${w.lockId}\u0000${w.slot}`, w);
  const finals = [...last.values()];
  await deleteWhereIn(
    trx,
    ctx.dialect,
    'lock_slots',
    ['lock_id', 'slot'],
    finals.map((w) => [w.lockId, w.slot]),
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
    finals.flatMap((w) =>
      w.kind === 'slot-cleared'
        ? []
        : [
            [
              w.lockId,
              w.slot,
              'occupied',
              w.credentialId,
              w.code === null ? null : ctx.sealer.seal(w.code, aad.slot(w.lockId, w.slot)),
              w.code === null ? null : ctx.sealer.prefixHash(w.lockId, prefixKey(w.code, getModel(w.model))),
              w.unmanaged ? 1 : 0,
              w.error ?? null,
              null,
              now,
            ],
          ],
    ),
  );
  const seen = new Set<string>();
  const remembered: Array<Array<string | number>> = [];
  for (const w of writes) {
    const model = getModel(w.model);
    if (!w.remember || !model.quirks.deletedCodeMemory) continue;
    const key = `${w.lockId}\u0000${w.remember}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const id = newId('del');
    remembered.push([
      id,
      w.lockId,
      ctx.sealer.seal(w.remember, aad.deleted(id)),
      ctx.sealer.prefixHash(w.lockId, prefixKey(w.remember, model)),
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

/**
 * Patches to one (credential, lock) merge in the order given, then pairs with the same outcome
 * share one statement. `keyward status` reads only credentials not yet cleared from every lock,
 * so a status change refreshes the credential's cleared mark (unless the write says not to).
 */
async function assignments(
  ctx: StoreContext,
  trx: Trx,
  writes: ReadonlyArray<Of<'assignment'>>,
  now: number,
): Promise<void> {
  const merged = new Map<string, Of<'assignment'>>();
  const refresh: string[] = [];
  for (const w of writes) {
    const key = `${w.credentialId}\u0000${w.lockId}`;
    const prev = merged.get(key);
    merged.set(key, { ...w, patch: { ...prev?.patch, ...w.patch } });
    if (w.patch.status && w.refreshCleared !== false) refresh.push(w.credentialId);
  }
  const groups = new Map<string, Array<Of<'assignment'>>>();
  for (const w of merged.values()) {
    const key = JSON.stringify([w.patch.status ?? null, 'error' in w.patch ? w.patch.error : '-']);
    const list = groups.get(key);
    if (list) list.push(w);
    else groups.set(key, [w]);
  }
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
      list.map((w) => [w.credentialId, w.lockId]),
      // A revocation may commit while a pass that read the register before it sends the code:
      // "removed" never goes back to waiting, or nothing would ever move it again (crash suite).
      patch.status === 'setting' || patch.status === 'unset' ? "status <> 'removed'" : undefined,
    );
  }
  if (refresh.length > 0) await refreshClearedMany(ctx.dialect, trx, refresh, now);
}

/** Each lock's sync state, created on first write; patches to one lock merge in order. */
async function lockStates(
  _ctx: StoreContext,
  trx: Trx,
  writes: ReadonlyArray<Of<'lock-sync-state'>>,
): Promise<void> {
  const merged = new Map<string, LockSyncStatePatch>();
  for (const w of writes) merged.set(w.lockId, { ...merged.get(w.lockId), ...w.patch });
  const t = trx;
  for (const [lockId, patch] of merged) {
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
}
