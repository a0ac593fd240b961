import type { RotationPolicy } from '../core/access/policies.js';
import { validateSchedule } from '../core/access/schedule.js';
import { KeywardError } from '../core/errors.js';
import { revokeAssignments } from './assignments.js';
import { bumpVersion, change, notFound, type StoreContext } from './context.js';
import { insertCredentials } from './credential-add.js';
import { type Credential, type CredentialKind, getCredential, scheduleOf } from './credential-view.js';

/**
 * A credential after it was added: renamed, its departure moved, revoked, or rotated to a new
 * code. This module also gathers what the rest of the store and its callers know as
 * "credentials": creation (credential-add.ts), reading (credential-view.ts), the lifecycle words.
 */

// For importers that knew the status type from here (sync-state.ts); it is declared in
// src/core/access/lifecycle.ts.
export type { SlotStatus } from '../core/access/lifecycle.js';
export { addCredential, type CredentialInput, insertCredentials } from './credential-add.js';
export type { LockRejection } from './credential-placement.js';
export {
  type Credential,
  type CredentialKind,
  type CredentialLockView,
  getCredential,
  listCredentials,
  SCHEDULE_COLUMNS,
  scheduleOf,
} from './credential-view.js';

/** Revoking takes the code off every lock (status "removing" where it may be on the lock). */
export async function revokeCredential(
  ctx: StoreContext,
  id: string,
  expectedVersion?: number,
): Promise<Credential> {
  await change(ctx, async (trx, audit) => {
    const c = await trx
      .selectFrom('credentials')
      .select(['version', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!c) throw notFound('credential', id);
    if (c.revoked_at !== null) throw new KeywardError('BAD_INPUT', `credential ${id} is already revoked`);
    await bumpVersion(trx, 'credentials', id, expectedVersion ?? c.version);
    const now = ctx.now();
    await trx.updateTable('credentials').set({ revoked_at: now }).where('id', '=', id).execute();
    await revokeAssignments(trx, id, now);
    await audit({ action: 'credential.revoke', subjectType: 'credential', subjectId: id });
  });
  return getCredential(ctx, id);
}

/** Name and departure may change; the code itself changes only by rotation (a new credential). */
export async function updateCredential(
  ctx: StoreContext,
  id: string,
  expectedVersion: number,
  patch: { name?: string; endsAt?: number | null },
): Promise<Credential> {
  await change(ctx, async (trx, audit) => {
    const c = await trx.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c) throw notFound('credential', id);
    await bumpVersion(trx, 'credentials', id, expectedVersion);
    const next = { ...scheduleOf(c), endsAt: patch.endsAt === undefined ? c.ends_at : patch.endsAt };
    validateSchedule(next);
    if (c.kind === 'guest' && next.endsAt === null)
      throw new KeywardError('BAD_INPUT', 'a guest code needs an end (departure)');
    const name = patch.name?.trim() ?? c.name;
    if (!name) throw new KeywardError('BAD_INPUT', 'a code name must be 1-200 characters');
    await trx.updateTable('credentials').set({ name, ends_at: next.endsAt }).where('id', '=', id).execute();
    await audit({
      action: 'credential.update',
      subjectType: 'credential',
      subjectId: id,
      detail: { name, endsAt: next.endsAt },
    });
  });
  return getCredential(ctx, id);
}

/**
 * A new code for the same holder, locks and schedule, in one transaction with the old one's
 * revocation. The new code is checked while the old one still counts, since both sit on the
 * lock between adding the new and removing the old.
 */
export async function rotateCredential(
  ctx: StoreContext,
  id: string,
  code: string,
  expectedVersion?: number,
): Promise<Credential> {
  return change(ctx, async (trx, audit) => {
    const old = await trx.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
    if (!old) throw notFound('credential', id);
    if (old.revoked_at !== null)
      throw new KeywardError('BAD_INPUT', `credential ${id} is revoked: add a new code instead`);
    const locks = await trx
      .selectFrom('credential_locks')
      .select('lock_id')
      .where('credential_id', '=', id)
      .where('status', '<>', 'removed')
      .execute();
    const schedule = scheduleOf(old);
    const now = ctx.now();
    const [fresh] = await insertCredentials(ctx, trx, audit, [
      {
        actor: ctx.actor,
        input: {
          name: old.name,
          code,
          kind: old.kind as CredentialKind,
          personId: old.person_id,
          lockIds: locks.map((l) => l.lock_id),
          startsAt: schedule.startsAt !== null && schedule.startsAt > now ? schedule.startsAt : null,
          endsAt: schedule.endsAt,
          windows: schedule.windows,
          useLimit: schedule.useLimit,
          rotation: old.rotation as RotationPolicy,
        },
      },
    ]);
    if (fresh instanceof Error) throw fresh;
    await bumpVersion(trx, 'credentials', id, expectedVersion ?? old.version);
    await trx.updateTable('credentials').set({ revoked_at: now }).where('id', '=', id).execute();
    await revokeAssignments(trx, id, now);
    await audit({
      action: 'credential.rotate',
      subjectType: 'credential',
      subjectId: id,
      detail: { replacedBy: fresh!.id },
    });
    return fresh!;
  });
}
