import { type Schedule, validateSchedule, type WeeklyWindow } from '../core/access/schedule.js';
import { intervalOf } from '../core/access/slots.js';
import { KeywardError } from '../core/errors.js';
import { refreshCleared } from './assignments.js';
import {
  type AuditFn,
  aad,
  bumpVersion,
  change,
  notFound,
  requireName,
  type StoreContext,
  type Trx,
} from './context.js';
import {
  type LockPicture,
  type LockRejection,
  loadDeleted,
  loadLocks,
  placeOnLock,
  reasonText,
} from './credential-placement.js';
import { type Credential, getCredential, scheduleOf } from './credential-view.js';
import { prefixHashOn, writeAssignments } from './credential-write.js';

/**
 * A stay changed in place: the name, dates, weekly windows, use limit or locks of a credential
 * change while its digits, and its slot on every lock it stays on, are kept. A lock added is
 * given a slot by the one placement rule (credential-placement.ts); a lock dropped has the code
 * taken off as a revocation does. Everything a lock would refuse is found before anything is
 * written, and a refusal writes nothing.
 */

/** Only the fields given change; null clears a start, an end or a use limit. */
export interface CredentialEdit {
  name?: string;
  startsAt?: number | null;
  endsAt?: number | null;
  windows?: WeeklyWindow[];
  /** The use limit (1: a one-time code); null: no limit. */
  maxUses?: number | null;
  /** Every lock the code should be on, in full (not a difference). */
  lockIds?: string[];
  /** Or a difference from the locks it is on now (the CLI's --add-lock and --remove-lock). */
  addLockIds?: string[];
  removeLockIds?: string[];
}

/** What an edit did, besides the new credential: the locks the caller should wake. */
export interface EditOutcome {
  /** Every lock whose wanted codes may have changed: kept, added and removed. */
  lockIds: string[];
  added: Array<{ lockId: string; slot: number }>;
  removed: string[];
}

function refusal(rejected: LockRejection[]): KeywardError {
  const first = rejected[0]!;
  const more =
    rejected.length > 1 ? ` (and ${rejected.length - 1} more lock${rejected.length > 2 ? 's' : ''})` : '';
  return new KeywardError(
    'BAD_INPUT',
    `${first.lockName} (${first.model}) would refuse this change: ${first.reasons
      .map(reasonText)
      .join('; ')}${more}. Nothing was changed.`,
    { rejected },
  );
}

/** A lock's picture without this credential in it: the edit is checked as if the code were new. */
function without(lock: LockPicture, credentialId: string): LockPicture {
  return { ...lock, held: lock.held.filter((h) => h.credentialId !== credentialId) };
}

/**
 * Whether a slot the code keeps is still free for the new dates: another credential may have
 * been given the same slot for a time that the old dates did not reach.
 */
function keptSlotProblem(
  lock: LockPicture,
  credentialId: string,
  slot: number,
  want: Schedule,
  now: number,
): LockRejection | null {
  const mine = intervalOf(want);
  for (const h of lock.held) {
    if (h.credentialId === credentialId || h.slot !== slot || h.status === 'removed') continue;
    const theirs = intervalOf({ ...want, startsAt: h.startsAt, endsAt: h.endsAt, revokedAt: h.revokedAt });
    if (theirs.to !== null && theirs.to <= now) continue;
    const apart =
      (mine.to !== null && theirs.from !== null && mine.to <= theirs.from) ||
      (theirs.to !== null && mine.from !== null && theirs.to <= mine.from);
    if (apart) continue;
    return {
      lockId: lock.id,
      lockName: lock.name,
      model: lock.model.id,
      reasons: [
        {
          rule: 'capacity',
          message: `slot ${slot} is promised to ${h.holder ? `"${h.holder}"` : 'another code'} for part of the new dates, and this code keeps its slot`,
          conflictsWith: slot,
        },
      ],
    };
  }
  return null;
}

/**
 * Edits one credential inside the caller's transaction (a booking that changed, in the calendar
 * import, uses this inside its own). Throws a KeywardError with the reason on any refusal.
 */
export async function editCredentialIn(
  ctx: StoreContext,
  trx: Trx,
  audit: AuditFn,
  id: string,
  edit: CredentialEdit,
  expectedVersion?: number,
): Promise<EditOutcome> {
  const now = ctx.now();
  const row = await trx.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('credential', id);
  if (row.revoked_at !== null)
    throw new KeywardError('BAD_INPUT', `"${row.name}" was removed: add a new code instead`);

  const name = edit.name === undefined ? row.name : requireName(edit.name, 'a code');
  const before = scheduleOf(row);
  const schedule: Schedule = {
    ...before,
    startsAt: edit.startsAt === undefined ? before.startsAt : edit.startsAt,
    endsAt: edit.endsAt === undefined ? before.endsAt : edit.endsAt,
    windows: edit.windows ?? before.windows,
    useLimit: edit.maxUses === undefined ? before.useLimit : edit.maxUses,
  };
  if (edit.endsAt !== undefined && Number.isFinite(schedule.endsAt) && schedule.endsAt! <= now)
    throw new KeywardError('BAD_INPUT', 'the end is in the past: to end a stay now, remove the code instead');
  validateSchedule(schedule);
  if (row.kind === 'guest' && schedule.endsAt === null)
    throw new KeywardError('BAD_INPUT', 'a guest code needs an end (departure)');

  const rows = await trx
    .selectFrom('credential_locks')
    .select(['lock_id', 'slot', 'status', 'dropped_at'])
    .where('credential_id', '=', id)
    .execute();
  const current = new Map(rows.map((r) => [r.lock_id, r]));
  const dropped = (r: (typeof rows)[number]) => r.dropped_at !== null && r.dropped_at !== undefined;
  // The locks the code belongs on, whether or not it is on them right now (a weekly window that
  // has closed takes it off for a while, status "removing", and the lock stays the code's).
  const on = rows.filter((r) => !dropped(r) && r.status !== 'removed').map((r) => r.lock_id);
  // A stay that has ended left its locks "removed": moving its end brings them back.
  const lapsed = rows.filter((r) => !dropped(r) && r.status === 'removed').map((r) => r.lock_id);
  const base = edit.lockIds ?? (on.length ? on : lapsed);
  const wanted = [...new Set([...base, ...(edit.addLockIds ?? [])])].filter(
    (l) => !edit.removeLockIds?.includes(l),
  );
  if (wanted.length === 0) throw new KeywardError('BAD_INPUT', 'a code needs at least one lock');
  const kept = wanted.filter((l) => on.includes(l));
  // A lock an edit took the code off, that it is still coming off, keeps its slot: the code may
  // be on it yet.
  const returning = wanted.filter((l) => {
    const r = current.get(l);
    return r !== undefined && dropped(r) && r.status === 'removing';
  });
  const added = wanted.filter((l) => !on.includes(l) && !returning.includes(l));
  const removed = on.filter((l) => !wanted.includes(l));

  const code = ctx.sealer.open(row.code_enc, aad.credential(id));
  const opened = new Map<string, string>();
  const open = (enc: string, a: string) => {
    let text = opened.get(a);
    if (text === undefined) {
      text = ctx.sealer.open(enc, a);
      opened.set(a, text);
    }
    return text;
  };
  const pictures = await loadLocks(ctx, trx, [...kept, ...returning, ...added], open);
  const missing = added.find((l) => !pictures.has(l));
  if (missing) throw notFound('lock', missing);
  const hashOf = (lock: LockPicture) => prefixHashOn(ctx, lock.id, lock.model, code);
  await loadDeleted(
    trx,
    pictures,
    added.map((l) => [l, hashOf(pictures.get(l)!)] as const),
    open,
  );

  const rejected: LockRejection[] = [];
  for (const lockId of [...kept, ...returning]) {
    const problem = keptSlotProblem(pictures.get(lockId)!, id, current.get(lockId)!.slot, schedule, now);
    if (problem) rejected.push(problem);
  }
  const placements: Array<{ lockId: string; slot: number; prefixHash: string }> = [];
  for (const lockId of added) {
    const lock = without(pictures.get(lockId)!, id);
    const r = placeOnLock(lock, code, hashOf(lock), schedule, now);
    if ('reasons' in r) rejected.push(r);
    else placements.push({ lockId, ...r });
  }
  if (rejected.length) throw refusal(rejected);

  await bumpVersion(trx, 'credentials', id, expectedVersion ?? row.version);
  await trx
    .updateTable('credentials')
    .set({
      name,
      starts_at: schedule.startsAt,
      ends_at: schedule.endsAt,
      windows: JSON.stringify(schedule.windows),
      use_limit: schedule.useLimit,
    })
    .where('id', '=', id)
    .execute();

  // A lock the code was once on (its row kept as history) is given its new slot in that row.
  const fresh = placements.filter((p) => !current.has(p.lockId));
  for (const p of placements.filter((p) => current.has(p.lockId))) {
    await trx
      .updateTable('credential_locks')
      .set({
        slot: p.slot,
        prefix_hash: p.prefixHash,
        status: 'unset',
        error: null,
        updated_at: now,
        dropped_at: null,
      })
      .where('credential_id', '=', id)
      .where('lock_id', '=', p.lockId)
      .execute();
  }
  if (returning.length) {
    await trx
      .updateTable('credential_locks')
      .set({ status: 'unset', error: null, updated_at: now, dropped_at: null })
      .where('credential_id', '=', id)
      .where('lock_id', 'in', returning)
      .execute();
  }
  if (fresh.length)
    await writeAssignments(
      ctx,
      trx,
      id,
      fresh.map((p) => ({ ...p, status: 'unset' as const })),
    );
  if (removed.length) {
    // As a revocation does (assignments.ts): never programmed, dropped; maybe on the lock, taken
    // off. dropped_at makes this lock alone see the code as revoked (scheduleOf).
    await trx
      .updateTable('credential_locks')
      .set({ status: 'removed', updated_at: now, dropped_at: now })
      .where('credential_id', '=', id)
      .where('lock_id', 'in', removed)
      .where('status', '=', 'unset')
      .execute();
    await trx
      .updateTable('credential_locks')
      .set({ status: 'removing', updated_at: now, dropped_at: now })
      .where('credential_id', '=', id)
      .where('lock_id', 'in', removed)
      .where('status', 'in', ['setting', 'set', 'removing'])
      .execute();
  }
  await refreshCleared(trx, [id], now);

  const changed = (['name', 'startsAt', 'endsAt', 'windows', 'maxUses', 'lockIds'] as const).filter(
    (k) => edit[k] !== undefined || (k === 'lockIds' && (edit.addLockIds || edit.removeLockIds)),
  );
  await audit({
    action: 'credential.edit',
    subjectType: 'credential',
    subjectId: id,
    detail: {
      name,
      changed,
      startsAt: schedule.startsAt,
      endsAt: schedule.endsAt,
      windows: schedule.windows,
      useLimit: schedule.useLimit,
      added: [
        ...returning.map((lockId) => ({ lockId, slot: current.get(lockId)!.slot })),
        ...placements.map((p) => ({ lockId: p.lockId, slot: p.slot })),
      ],
      removed,
    },
  });
  return {
    lockIds: [...new Set([...kept, ...returning, ...added, ...removed])],
    added: [
      ...returning.map((lockId) => ({ lockId, slot: current.get(lockId)!.slot })),
      ...placements.map((p) => ({ lockId: p.lockId, slot: p.slot })),
    ],
    removed,
  };
}

/**
 * Edits a credential in one transaction and answers it as it reads now (its locks include those
 * it is coming off: wake them all). `expectedVersion`, when
 * given, refuses the edit if someone changed the credential since it was read.
 */
export async function editCredential(
  ctx: StoreContext,
  id: string,
  edit: CredentialEdit,
  expectedVersion?: number,
): Promise<Credential> {
  await change(ctx, (trx, audit) => editCredentialIn(ctx, trx, audit, id, edit, expectedVersion));
  return getCredential(ctx, id);
}
