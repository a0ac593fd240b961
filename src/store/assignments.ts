import {
  ACCESS_CODE_ERRORS,
  type AccessCodeError,
  SLOT_STATUSES,
  type SlotStatus,
} from '../core/access/lifecycle.js';
import { KeywardError } from '../core/errors.js';
import { chunksOfStatement, keyIn, runRaw } from './bulk.js';
import type { Dialect } from './connect.js';
import { change, notFound, type StoreContext, type Trx } from './context.js';

export { SLOT_STATUSES };
/** The errors a slot can carry: the lifecycle's, under the name the store's callers know. */
export const SLOT_ERRORS = ACCESS_CODE_ERRORS;
export type SlotError = AccessCodeError;

/**
 * Marks credentials whose every assignment is removed as cleared, and un-marks any that is on a
 * lock again. Status reads only uncleared guests, so this must follow every status change.
 */
export async function refreshCleared(trx: Trx, credentialIds: string[], now: number): Promise<void> {
  for (const id of credentialIds) {
    const open = await trx
      .selectFrom('credential_locks')
      .select('lock_id')
      .where('credential_id', '=', id)
      .where('status', '<>', 'removed')
      .limit(1)
      .executeTakeFirst();
    if (open) await trx.updateTable('credentials').set({ cleared_at: null }).where('id', '=', id).execute();
    else {
      await trx
        .updateTable('credentials')
        .set({ cleared_at: now })
        .where('id', '=', id)
        .where('cleared_at', 'is', null)
        .execute();
    }
  }
}

/**
 * A code never programmed is simply dropped; one that may be on the lock must come off first,
 * which the reconciler does from status "removing".
 */
export async function revokeAssignments(trx: Trx, credentialId: string, now: number): Promise<void> {
  await trx
    .updateTable('credential_locks')
    .set({ status: 'removed', updated_at: now })
    .where('credential_id', '=', credentialId)
    .where('status', '=', 'unset')
    .execute();
  await trx
    .updateTable('credential_locks')
    .set({ status: 'removing', updated_at: now })
    .where('credential_id', '=', credentialId)
    .where('status', 'in', ['setting', 'set'])
    .execute();
  await refreshCleared(trx, [credentialId], now);
}

/** How far one code got on one lock, as the reconciler confirms it (read-back or notification). */
export async function setAssignmentStatus(
  ctx: StoreContext,
  credentialId: string,
  lockId: string,
  status: SlotStatus,
  error: SlotError | null = null,
): Promise<void> {
  if (!SLOT_STATUSES.includes(status))
    throw new KeywardError('BAD_INPUT', `slot status must be one of ${SLOT_STATUSES.join(', ')}`);
  if (error !== null && !SLOT_ERRORS.includes(error))
    throw new KeywardError('BAD_INPUT', `slot error must be one of ${SLOT_ERRORS.join(', ')}`);
  await change(ctx, async (trx, audit) => {
    const now = ctx.now();
    const r = await trx
      .updateTable('credential_locks')
      .set({ status, error, updated_at: now })
      .where('credential_id', '=', credentialId)
      .where('lock_id', '=', lockId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw notFound('assignment of credential to lock', `${credentialId}/${lockId}`);
    await refreshCleared(trx, [credentialId], now);
    await audit({
      action: 'slot.status',
      subjectType: 'credential',
      subjectId: credentialId,
      detail: { lockId, status, error },
    });
  });
}

/**
 * The lock reported the code used. At its use limit the credential stops being active, so the
 * desired slots drop it and the reconciler takes it off (one-time codes: after the first use).
 */
export async function recordUse(
  ctx: StoreContext,
  credentialId: string,
  lockId: string,
): Promise<{ uses: number; exhausted: boolean }> {
  return change(ctx, async (trx, audit) => {
    const c = await trx
      .selectFrom('credentials')
      .select(['uses', 'use_limit'])
      .where('id', '=', credentialId)
      .executeTakeFirst();
    if (!c) throw notFound('credential', credentialId);
    const uses = c.uses + 1;
    // Relative update: two reports at once both count, and neither needs a retry.
    await trx
      .updateTable('credentials')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', credentialId)
      .execute();
    await audit({
      action: 'credential.use',
      subjectType: 'credential',
      subjectId: credentialId,
      detail: { lockId },
    });
    return { uses, exhausted: c.use_limit !== null && uses >= c.use_limit };
  });
}

/**
 * refreshCleared for many credentials in two statements per few hundred (a wake that takes many
 * guests off at once): cleared when no assignment is left open, un-cleared when one is.
 */
export async function refreshClearedMany(
  dialect: Dialect,
  trx: Trx,
  credentialIds: readonly string[],
  now: number,
): Promise<void> {
  const ids = [...new Set(credentialIds)];
  const open =
    "exists (select 1 from credential_locks cl where cl.credential_id = credentials.id and cl.status <> 'removed')";
  for (const part of chunksOfStatement(ids)) {
    const p = dialect === 'postgres' ? '$1' : '?';
    await runRaw(
      trx,
      `update credentials set cleared_at = null where cleared_at is not null and ${open} and ${keyIn(dialect, 0, ['id'], part.length)}`,
      part,
    );
    await runRaw(
      trx,
      `update credentials set cleared_at = ${p} where cleared_at is null and not ${open} and ${keyIn(dialect, 1, ['id'], part.length)}`,
      [now, ...part],
    );
  }
}
