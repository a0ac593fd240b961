import { getModel } from '../core/catalog/index.js';
import type { AuditFn, StoreContext, Trx } from './context.js';
import { prefixHashOn, writeCredentials } from './credential-write.js';

/** What the caller already knows about a found code; each defaults to nothing known. */
export interface FoundCode {
  personId?: string | null;
  rotateDueAt?: number | null;
  /** Taken in only to be taken off the lock: revoked from the start, its slot "removing". */
  revokedAt?: number | null;
  /** The audit row for it, when the caller records one here rather than on its own. */
  audit?: { log: AuditFn; action: string; detail: Record<string, unknown> };
}

/**
 * A code found on a lock, or keyed in at its keypad, taken into the register: a permanent
 * credential in the slot it already occupies, set there (or, revoked, on its way off).
 */
export async function adoptSlot(
  ctx: StoreContext,
  trx: Trx,
  lockId: string,
  slot: number,
  code: string,
  name: string,
  known: FoundCode = {},
): Promise<string> {
  const lock = await trx
    .selectFrom('locks')
    .select('model')
    .where('id', '=', lockId)
    .executeTakeFirstOrThrow();
  const revokedAt = known.revokedAt ?? null;
  const [row] = await writeCredentials(ctx, trx, known.audit?.log ?? null, [
    {
      personId: known.personId ?? null,
      name,
      kind: 'permanent',
      code,
      schedule: { startsAt: null, endsAt: null, windows: [], useLimit: null },
      rotation: 'annual',
      rotateDueAt: known.rotateDueAt ?? null,
      revokedAt,
      locks: [
        {
          lockId,
          slot,
          prefixHash: prefixHashOn(ctx, lockId, getModel(lock.model), code),
          status: revokedAt === null ? 'set' : 'removing',
        },
      ],
      ...(known.audit ? { audit: { action: known.audit.action, detail: known.audit.detail } } : {}),
    },
  ]);
  return row!.id;
}
