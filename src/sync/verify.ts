import type { ModelProfile } from '../core/catalog/types.js';
import type { LockSyncPicture } from '../store/sync-state.js';
import type { LockDriver } from './driver.js';
import { errorText } from './events.js';
import { learnSlot } from './learn-slot.js';
import { nextHealth } from './reach.js';
import { reachedWrites, unreachedWrites } from './round.js';
import { type Effects, effects, type Runtime } from './runtime.js';

/**
 * Reading the lock back and verifying it: every slot at first contact (or once its codes became
 * unknown), the slots earlier passes, processes or keypad events left unknown, and the periodic
 * checksum that costs one frame when nothing changed.
 */

/** First contact, or after "all codes deleted": read every slot once. False: the lock did not answer. */
export async function fullRead(
  rt: Runtime,
  p: LockSyncPicture,
  driver: LockDriver,
  model: ModelProfile,
): Promise<boolean> {
  let slots: Record<string, string | null>;
  try {
    slots = (await driver.read()).slots;
    rt.stats.fullReads++;
  } catch (e) {
    const at = rt.clock.now();
    const r = rt.reach.unreached(p.lockId, at);
    rt.wake(p.lockId, r.nextAttemptAt);
    const shown = p.readAt === null ? unreachedWrites(p, { model, now: at, policy: rt.policy }) : [];
    await rt.commit({
      writes: shown,
      events: [
        {
          type: 'unreachable',
          lockId: p.lockId,
          during: 'read',
          message: errorText(e),
          failures: r.failures,
          retryAt: r.nextAttemptAt,
          shown: shown.length,
        },
      ],
    });
    return false;
  }
  rt.reached(p.lockId);
  const now = rt.clock.now();
  const out: Effects = { writes: reachedWrites(p), events: [] };
  let unmanaged = 0;
  for (let slot = 1; slot <= model.slots; slot++) {
    const learnt = learnSlot({
      p,
      model,
      policy: rt.policy,
      slot,
      truth: slots[String(slot)],
      known: p.reported.get(slot),
      why: 'read',
    });
    if (learnt.outcome === 'unmanaged') unmanaged++;
    out.writes.push(...learnt.writes);
    out.events.push(...learnt.events);
  }
  out.writes.push({
    kind: 'lock-sync-state',
    lockId: p.lockId,
    patch: { read_at: now, checksum: null, reread: 0 },
  });
  out.events.push({ type: 'slots-read', lockId: p.lockId, occupied: Object.keys(slots).length, unmanaged });
  await rt.commit(out);
  return true;
}

/** Reads back each slot an earlier pass, process or keypad event left unknown. True: any answered. */
export async function resolveIntents(
  rt: Runtime,
  p: LockSyncPicture,
  driver: LockDriver,
  model: ModelProfile,
): Promise<boolean> {
  const now = rt.clock.now();
  let any = false;
  const seen = new Set<number>();
  for (const intent of p.intents) {
    const h = p.health.get(intent.slot);
    if (h && (h.suspended || h.nextAttemptAt > now)) continue;
    if (intent.slot === 0 || seen.has(intent.slot)) {
      await rt.commit({ writes: [{ kind: 'intent-dropped', id: intent.id }], events: [] });
      any = true;
      continue;
    }
    seen.add(intent.slot);
    let truth: string | null | undefined;
    try {
      truth = await driver.readSlot(intent.slot);
      rt.stats.slotReads++;
      rt.reached(p.lockId);
    } catch (e) {
      const health = nextHealth(rt.backoff, h, 'unconfirmed', true, now, rt.random);
      await rt.commit({
        writes: [{ kind: 'slot-health', lockId: p.lockId, slot: intent.slot, health }],
        events: [
          {
            type: 'slot-read-failed',
            lockId: p.lockId,
            slot: intent.slot,
            opId: intent.id,
            message: errorText(e),
            failures: health.failures,
            suspended: health.suspended,
          },
        ],
      });
      // Written health changes the plan: the caller reloads the picture.
      any = true;
      continue;
    }
    any = true;
    const check = intent.kind === 'verify' || intent.kind === 'keypad-added';
    const learnt = learnSlot({
      p,
      model,
      policy: rt.policy,
      slot: intent.slot,
      truth,
      known: p.reported.get(intent.slot),
      // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, learnSlot tells only 'read' from the other reasons
      why: check ? 'keypad' : 'intent',
      intent,
    });
    const out = effects();
    out.writes.push(...learnt.writes, { kind: 'intent-dropped', id: intent.id });
    // All intents on this slot are answered by this one read.
    for (const other of p.intents)
      if (other.slot === intent.slot && other.id !== intent.id)
        out.writes.push({ kind: 'intent-dropped', id: other.id });
    out.events.push(...learnt.events, {
      type: 'slot-read-back',
      lockId: p.lockId,
      slot: intent.slot,
      opId: intent.id,
      kind: intent.kind,
      outcome: learnt.outcome,
      check,
    });
    await rt.commit(out);
  }
  return any;
}

/**
 * Battery-aware verification: one checksum frame, and a full read only when it disagrees. The
 * checksum is compared with the one the register's slots should give when the driver can
 * compute it; otherwise with the one taken right after Keyward's own last confirmed writes.
 */
export async function verify(
  rt: Runtime,
  p: LockSyncPicture,
  driver: LockDriver,
  now: number,
  force = false,
): Promise<void> {
  const every = rt.opts.verifyEveryMs;
  if (!driver.checksum || every === undefined) return;
  if (!force && p.verifiedAt !== null && p.checksum !== null && p.verifiedAt + every > now) return;
  const expected = expectedChecksum(p, driver);
  let sum: number | undefined;
  try {
    sum = await driver.checksum();
    rt.stats.checksums++;
  } catch (e) {
    // Not verified: looked at again when the lock's back-off runs out, not on the next event.
    const at = rt.clock.now();
    const r = rt.reach.unreached(p.lockId, at);
    rt.wake(p.lockId, r.nextAttemptAt);
    if (r.counted)
      rt.report({
        type: 'unreachable',
        lockId: p.lockId,
        during: 'checksum',
        message: errorText(e),
        failures: r.failures,
        retryAt: r.nextAttemptAt,
      });
    return;
  }
  rt.reached(p.lockId);
  if (sum === undefined) return;
  const text = String(sum);
  if (expected !== null && expected !== text) {
    await rt.commit({
      writes: [
        { kind: 'lock-sync-state', lockId: p.lockId, patch: { reread: 1, checksum: null, verified_at: now } },
      ],
      events: [{ type: 'checksum-changed', lockId: p.lockId }],
    });
    rt.schedule(p.lockId);
  } else {
    await rt.commit({
      writes: [{ kind: 'lock-sync-state', lockId: p.lockId, patch: { checksum: text, verified_at: now } }],
      events: [],
    });
  }
}

function expectedChecksum(p: LockSyncPicture, driver: LockDriver): string | null {
  const known: Record<string, string> = {};
  let masked = false;
  for (const r of p.reported.values()) {
    if (r.code === null) masked = true;
    else known[String(r.slot)] = r.code;
  }
  return driver.expectedChecksum && !masked ? String(driver.expectedChecksum(known)) : p.checksum;
}
