import { intervalOf } from '../core/access/slots.js';
import type { AuditFn, Trx } from './context.js';
import { scheduleOf } from './credential-view.js';

/**
 * A booking's new dates on the credential already made for it: the same code in the same slots,
 * only its start, end and name move. Interim until the register's own in-place edit (branch
 * h-edit, src/store/credential-edit.ts) is merged: this checks the one thing a move can break
 * here, another live code sharing a slot in the new time, and refuses rather than reshuffle.
 * The code's digits do not change, so the lock rules (length, prefixes, deleted-code memory)
 * give the same answer as when it was placed.
 */
export async function moveStayIn(
  trx: Trx,
  audit: AuditFn,
  credentialId: string,
  next: { name: string; startsAt: number; endsAt: number },
  now: number,
): Promise<string | null> {
  const c = await trx.selectFrom('credentials').selectAll().where('id', '=', credentialId).executeTakeFirst();
  if (!c) return 'its code is no longer in the register';
  if (c.revoked_at !== null) return 'its code was cancelled by hand';
  if (next.endsAt <= now) return 'the new departure has already passed';
  const places = await trx
    .selectFrom('credential_locks as cl')
    .innerJoin('locks as l', 'l.id', 'cl.lock_id')
    .select(['cl.lock_id', 'cl.slot', 'l.name'])
    .where('cl.credential_id', '=', credentialId)
    .where('cl.status', '<>', 'removed')
    .execute();
  if (places.length === 0) return 'its code is on no lock any more';
  const want = intervalOf({ ...scheduleOf(c), startsAt: next.startsAt, endsAt: next.endsAt });
  for (const p of places) {
    const neighbours = await trx
      .selectFrom('credential_locks as cl')
      .innerJoin('credentials as o', 'o.id', 'cl.credential_id')
      .select(['o.starts_at', 'o.ends_at', 'o.windows', 'o.use_limit', 'o.uses', 'o.revoked_at'])
      .where('cl.lock_id', '=', p.lock_id)
      .where('cl.slot', '=', p.slot)
      .where('cl.status', '<>', 'removed')
      .where('cl.credential_id', '<>', credentialId)
      .where('o.revoked_at', 'is', null)
      .execute();
    for (const o of neighbours) {
      const other = intervalOf(scheduleOf(o));
      const overlaps =
        (other.to === null || want.from === null || other.to > want.from) &&
        (want.to === null || other.from === null || want.to > other.from);
      if (overlaps) return `the new dates overlap another stay that uses the same place on ${p.name}`;
    }
  }
  await trx
    .updateTable('credentials')
    .set((eb) => ({
      name: next.name,
      starts_at: next.startsAt,
      ends_at: next.endsAt,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', credentialId)
    .execute();
  await audit({
    action: 'credential.update',
    subjectType: 'credential',
    subjectId: credentialId,
    detail: { name: next.name, startsAt: next.startsAt, endsAt: next.endsAt, why: 'booking changed' },
  });
  return null;
}
