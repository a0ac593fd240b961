import { KeywardError } from '../core/errors.js';
import { aad, change, notFound, type StoreContext, type Trx } from './context.js';
import { adoptSlot } from './credential-adopt.js';
import { insertPerson } from './people.js';

/**
 * What a person decides about a code found on a lock that the register did not put there (the
 * lock view shows it as status `unmanaged`, with no credential): take it into the register, or
 * have it taken off the lock. Each is one transaction with its audit row; the reconciler does
 * the rest.
 */

export interface UnmanagedChoice {
  lockId: string;
  slot: number;
  credentialId: string;
}

/** The unmanaged code in that slot, opened; refused with the reason when there is none to act on. */
async function unmanagedCode(ctx: StoreContext, trx: Trx, lockId: string, slot: number): Promise<string> {
  const lock = await trx.selectFrom('locks').select('id').where('id', '=', lockId).executeTakeFirst();
  if (!lock) throw notFound('lock', lockId);
  const row = await trx
    .selectFrom('lock_slots')
    .select(['code_enc', 'unmanaged'])
    .where('lock_id', '=', lockId)
    .where('slot', '=', slot)
    .executeTakeFirst();
  if (row?.unmanaged !== 1)
    throw new KeywardError('CONFLICT', `slot ${slot} of ${lockId} holds no unmanaged code (any more)`);
  if (row.code_enc === null)
    throw new KeywardError(
      'UNSUPPORTED',
      `the lock masks the code in slot ${slot}, so Keyward cannot know it: clear the slot at the keypad or replace it with a code from the register`,
    );
  return ctx.sealer.open(row.code_enc, aad.slot(lockId, slot));
}

/** The register's own code for this slot, if one is waiting for it: adopting would leave it stranded. */
async function registerHolder(trx: Trx, lockId: string, slot: number): Promise<string | null> {
  const r = await trx
    .selectFrom('credential_locks as cl')
    .innerJoin('credentials as c', 'c.id', 'cl.credential_id')
    .select(['c.name'])
    .where('cl.lock_id', '=', lockId)
    .where('cl.slot', '=', slot)
    .where('cl.status', '<>', 'removed')
    .executeTakeFirst();
  return r?.name ?? null;
}

async function claimSlot(trx: Trx, lockId: string, slot: number, credentialId: string, now: number) {
  await trx
    .updateTable('lock_slots')
    .set({ credential_id: credentialId, unmanaged: 0, error: null, updated_at: now })
    .where('lock_id', '=', lockId)
    .where('slot', '=', slot)
    .execute();
}

/**
 * Takes the code into the register as a permanent credential in the slot it already occupies,
 * held by an existing person, a new one, or nobody. The code stays sealed: nobody sees it here.
 */
export async function adoptUnmanaged(
  ctx: StoreContext,
  input: { lockId: string; slot: number; name: string; personId?: string | null; personName?: string | null },
): Promise<UnmanagedChoice & { personId: string | null }> {
  const name = input.name.trim();
  if (!name) throw new KeywardError('BAD_INPUT', 'a code name must be 1-200 characters');
  if (input.personId && input.personName)
    throw new KeywardError(
      'BAD_INPUT',
      'give personId (an existing person) or personName (a new one), not both',
    );
  return change(ctx, async (trx, audit) => {
    const code = await unmanagedCode(ctx, trx, input.lockId, input.slot);
    const holder = await registerHolder(trx, input.lockId, input.slot);
    if (holder)
      throw new KeywardError(
        'CONFLICT',
        `slot ${input.slot} is the register's slot for "${holder}", which waits for it: remove this code from the lock instead, or revoke "${holder}" first`,
      );
    let personId = input.personId ?? null;
    const now = ctx.now();
    if (personId) {
      const p = await trx.selectFrom('people').select('id').where('id', '=', personId).executeTakeFirst();
      if (!p) throw notFound('person', personId);
    } else if (input.personName?.trim()) {
      const site = await trx
        .selectFrom('locks')
        .select('site_id')
        .where('id', '=', input.lockId)
        .executeTakeFirstOrThrow();
      personId = (await insertPerson(ctx, trx, audit, { name: input.personName, siteId: site.site_id })).id;
    }
    const credentialId = await adoptSlot(ctx, trx, input.lockId, input.slot, code, name, {
      personId,
      audit: {
        log: audit,
        action: 'credential.adopt',
        detail: { lockId: input.lockId, slot: input.slot, name, personId },
      },
    });
    await claimSlot(trx, input.lockId, input.slot, credentialId, now);
    return { lockId: input.lockId, slot: input.slot, credentialId, personId };
  });
}

/**
 * Has the code taken off the lock. It becomes a revoked credential in its slot, so the reconciler
 * removes it through the same lifecycle as any revoked code (removing -> removed, errors and
 * retries included) and the register keeps a record of what was there.
 */
export async function removeUnmanaged(
  ctx: StoreContext,
  input: { lockId: string; slot: number },
): Promise<UnmanagedChoice & { status: 'removing' }> {
  return change(ctx, async (trx, audit) => {
    const code = await unmanagedCode(ctx, trx, input.lockId, input.slot);
    const lock = await trx
      .selectFrom('locks')
      .select('name')
      .where('id', '=', input.lockId)
      .executeTakeFirstOrThrow();
    const now = ctx.now();
    const credentialId = await adoptSlot(
      ctx,
      trx,
      input.lockId,
      input.slot,
      code,
      `Unmanaged code removed from ${lock.name}, slot ${input.slot}`,
      {
        revokedAt: now,
        audit: {
          log: audit,
          action: 'credential.remove-unmanaged',
          detail: { lockId: input.lockId, slot: input.slot },
        },
      },
    );
    await claimSlot(trx, input.lockId, input.slot, credentialId, now);
    return { lockId: input.lockId, slot: input.slot, credentialId, status: 'removing' };
  });
}
