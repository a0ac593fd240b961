import { getModel } from '../core/catalog/index.js';
import { checkCode, type Reason } from '../core/codes/rules.js';
import { KeywardError } from '../core/errors.js';
import { loadLockPicture } from '../store/sync-state.js';
import { newIntentId } from '../store/sync-writes.js';
import type { AccessCodeError, WriteResult } from './driver.js';
import { errorText, type SyncEvent } from './events.js';
import { planForLock } from './lock-plan.js';
import { frozenSlots } from './round.js';
import type { Runtime } from './runtime.js';

export type ProgrammingCodeResult =
  | { ok: true; confirmedBy: string }
  | { ok: false; error: AccessCodeError | 'rejected' | 'no_radio'; message: string; reasons?: Reason[] };

/**
 * Changes a lock's programming code through its driver: checked first against every code on
 * the lock and in the register (the first four digits must differ), sent with an intent like
 * any op, and written to the register (sealed) only once the driver confirms it. A refusal is
 * data with the rule's reasons; no frame is sent for a code the lock would refuse. The
 * programming code cannot be read back: an unknown outcome is reported, not resolved.
 */
export async function setProgrammingCode(
  rt: Runtime,
  lockId: string,
  code: string,
): Promise<ProgrammingCodeResult> {
  const p = await loadLockPicture(rt.ctx, lockId, rt.open);
  if (!p) throw new KeywardError('NOT_FOUND', `no lock with id ${lockId}`);
  const model = getModel(p.model);
  if (!model.programmingCode)
    throw new KeywardError('UNSUPPORTED', `model ${model.id} has no programming code`);
  const driver = rt.driver(p);
  if (!driver)
    return {
      ok: false,
      error: 'no_radio',
      message: 'this lock has no radio: follow the set-programming-code guide at the lock',
    };
  const now = rt.clock.now();
  const { current } = planForLock(p, model, now, rt.policy, frozenSlots(p, now));
  // The register's codes count too, those not on the lock yet included.
  const state = { ...current, slots: { ...current.slots } };
  for (const a of p.assignments) state.slots[String(a.slot)] ??= a.code;
  const verdict = checkCode(state, model, { code, kind: 'programming' });
  if (!verdict.accepted)
    return {
      ok: false,
      error: 'rejected',
      message: verdict.reasons.map((r) => r.message).join('; '),
      reasons: verdict.reasons,
    };
  const opId = newIntentId();
  const op = { lockId, op: 'set-programming' as const, slot: 0, opId, credentialId: null, personId: null };
  await rt.commit({
    writes: [
      {
        kind: 'intent-added',
        lockId,
        intent: { id: opId, slot: 0, kind: 'set-programming', credentialId: null, startedAt: now },
      },
    ],
    events: [{ type: 'op-sent', ...op, replaces: null }],
  });
  rt.stats.opsSent++;
  let result: WriteResult;
  try {
    result = await driver.setProgrammingCode(code);
  } catch (e) {
    result = { ok: false, error: 'unconfirmed', message: errorText(e), retryable: true };
  }
  const outcome: SyncEvent = result.ok
    ? { type: 'op-confirmed', ...op, confirmedBy: result.confirmedBy }
    : { type: 'op-failed', ...op, error: result.error, message: result.message, retryable: result.retryable };
  await rt.commit({
    writes: [
      { kind: 'intent-dropped', id: opId },
      ...(result.ok ? [{ kind: 'programming-code' as const, lockId, code }] : []),
    ],
    events: [outcome],
  });
  if (!result.ok) {
    rt.stats.opsFailed++;
    return { ok: false, error: result.error, message: result.message };
  }
  rt.stats.opsConfirmed++;
  rt.schedule(lockId);
  return { ok: true, confirmedBy: result.confirmedBy };
}
