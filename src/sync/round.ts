import type { ModelProfile } from '../core/catalog/types.js';
import type { LockSyncPicture } from '../store/sync-state.js';
import type { SyncWrite } from '../store/sync-writes.js';
import type { AccessCodeError } from './driver.js';
import { type LockPlan, planForLock, type SyncPolicy } from './lock-plan.js';
import { type Effects, effects } from './runtime.js';

/**
 * Preparing one round of a pass, purely: from the lock's picture, its model, the time, the policy
 * and its reachability, what the round does first (wait, read the lock, read slots back) and,
 * once the lock can be planned against, the plan, what the register records before any frame
 * (blocked codes, moves) and what comes next (another round, a manual session, nothing, send).
 */
export interface RoundInput {
  p: LockSyncPicture;
  model: ModelProfile;
  now: number;
  policy: SyncPolicy;
  /** The lock has a radio (a driver). */
  radio: boolean;
  /** When the lock may be tried again, if it stopped answering. */
  reachableAt: number | undefined;
  /** Part of a batch: what needs the lock's radio to read, or another round, goes to a pass alone. */
  batch: boolean;
}

export type Gate =
  /** The lock stopped answering: nothing until `until`; `show`: first contact never made. */
  | { kind: 'wait'; until: number; show: boolean }
  | { kind: 'fallback' }
  /** First contact, or the lock's codes are unknown: read every slot. */
  | { kind: 'full-read' }
  /** Unresolved intents: read their slots back (then plan, if none was answered). */
  | { kind: 'resolve-intents' }
  | { kind: 'plan' };

export function gate(r: RoundInput): Gate {
  if (!r.radio) return { kind: 'plan' };
  // Whatever asked for this pass (an event, a sweep, a register edit), a lock that stopped
  // answering is not sent a frame before its back-off runs out.
  if (r.reachableAt !== undefined && r.reachableAt > r.now)
    return { kind: 'wait', until: r.reachableAt, show: r.p.readAt === null };
  const p = r.p;
  if (r.batch && (p.readAt === null || p.reread || p.intents.length > 0)) return { kind: 'fallback' };
  if (p.readAt === null || p.reread) return { kind: 'full-read' };
  if (p.intents.length > 0) return { kind: 'resolve-intents' };
  return { kind: 'plan' };
}

export interface PlannedRound {
  lp: LockPlan;
  frozen: Set<number>;
  /** Codes newly blocked (written before anything else). */
  blocked: Effects;
  /** Codes moved to another slot (then the round is planned again). */
  moves: Effects | null;
  next: 'again' | 'fallback' | 'manual' | 'settle' | 'send';
}

export function planRound(r: RoundInput): PlannedRound {
  const { p, now } = r;
  const frozen = frozenSlots(p, now);
  const lp = planForLock(p, r.model, now, r.policy, frozen);
  const blocked = blockedEffects(p, lp);
  if (lp.moves.length > 0)
    return { lp, frozen, blocked, moves: moveEffects(p, lp), next: r.batch ? 'fallback' : 'again' };
  if (!r.radio) return { lp, frozen, blocked, moves: null, next: 'manual' };
  if (lp.plan.ops.length === 0) return { lp, frozen, blocked, moves: null, next: 'settle' };
  // Two ops on one slot (a delete before a same-prefix replacement) go through a pass of their
  // own, one op at a time in the plan's order.
  const slots = lp.plan.ops.map((o) => (o.op === 'set-programming' ? 0 : o.slot));
  if (r.batch && new Set(slots).size !== slots.length)
    return { lp, frozen, blocked, moves: null, next: 'fallback' };
  return { lp, frozen, blocked, moves: null, next: 'send' };
}

/** Slots not to touch now: suspended, backing off, or with an intent still unresolved. */
export function frozenSlots(p: LockSyncPicture, now: number): Set<number> {
  const out = new Set<number>();
  for (const h of p.health.values()) if (h.suspended || h.nextAttemptAt > now) out.add(h.slot);
  for (const i of p.intents) out.add(i.slot);
  return out;
}

/**
 * When the lock next needs a look: its plan's next change, a slot's back-off, its verification
 * (when its driver takes checksums), never before its own back-off. Infinity: nothing due.
 */
export function nextLook(
  p: LockSyncPicture,
  lp: LockPlan,
  frozen: Set<number>,
  now: number,
  verify: { everyMs: number | undefined; checksums: boolean },
  reachableAt: number | undefined,
): number {
  let at = lp.nextChange ?? Number.POSITIVE_INFINITY;
  for (const slot of frozen) {
    const h = p.health.get(slot);
    if (h && !h.suspended && h.nextAttemptAt > now) at = Math.min(at, h.nextAttemptAt);
  }
  if (verify.everyMs && verify.checksums) at = Math.min(at, (p.verifiedAt ?? now) + verify.everyMs);
  // A verification that failed is overdue, but the lock is left alone until its back-off ends.
  if (reachableAt !== undefined && reachableAt > now) at = Math.max(at, reachableAt);
  return at;
}

const personOf = (p: LockSyncPicture, credentialId: string) =>
  p.assignments.find((a) => a.credentialId === credentialId)?.personId ?? null;

/** Codes the plan cannot place, shown as such (once: a code already showing it is left). */
export function blockedEffects(p: LockSyncPicture, lp: LockPlan): Effects {
  const out = effects();
  const byId = new Map(p.assignments.map((a) => [a.credentialId, a]));
  for (const b of lp.blocked) {
    const a = byId.get(b.credentialId);
    if (!(a && (a.error !== b.error || a.status !== 'unset') && a.status !== 'set')) continue;
    out.writes.push({
      kind: 'assignment',
      credentialId: b.credentialId,
      lockId: p.lockId,
      patch: { status: 'unset', error: b.error },
    });
    out.events.push({
      type: 'code-blocked',
      lockId: p.lockId,
      credentialId: b.credentialId,
      personId: a.personId ?? null,
      slot: a.slot,
      error: b.error,
    });
  }
  return out;
}

/** New slots for codes whose own slot is held by a kept code, written before any frame. */
export function moveEffects(p: LockSyncPicture, lp: LockPlan): Effects {
  const out = effects();
  for (const m of lp.moves) {
    out.writes.push({ kind: 'assignment-moved', credentialId: m.credentialId, lockId: p.lockId, slot: m.to });
    out.events.push({
      type: 'code-moved',
      lockId: p.lockId,
      credentialId: m.credentialId,
      personId: personOf(p, m.credentialId),
      from: m.from,
      to: m.to,
    });
  }
  return out;
}

/** Leaving codes whose slot no longer holds them (taken over, or already empty) are done. */
export function settledLeaving(p: LockSyncPicture, lp: LockPlan): Effects {
  const out = effects();
  for (const a of p.assignments) {
    if (!lp.leaving.has(a.credentialId)) continue;
    const r = p.reported.get(a.slot);
    if (r && r.credentialId === a.credentialId) continue;
    out.writes.push({
      kind: 'assignment',
      credentialId: a.credentialId,
      lockId: p.lockId,
      patch: { status: 'removed', error: null },
    });
    out.events.push({
      type: 'code-removed',
      lockId: p.lockId,
      credentialId: a.credentialId,
      personId: a.personId ?? null,
      slot: a.slot,
    });
  }
  return out;
}

/**
 * A lock never read cannot be planned against, so its pending codes would sit `unset` with no
 * sign of why: they show the retryable error of a write that could not reach the lock, until a
 * read succeeds. Errors already shown (a blocked code) are left as they are.
 */
export function unreachedWrites(
  p: LockSyncPicture,
  r: Pick<RoundInput, 'model' | 'now' | 'policy'>,
): SyncWrite[] {
  const lp = planForLock(p, r.model, r.now, r.policy, frozenSlots(p, r.now));
  const wanted = new Set([...lp.wanted.values()].map((w) => w.credentialId));
  const out: SyncWrite[] = [];
  for (const a of p.assignments) {
    if (a.error !== null) continue;
    const error: AccessCodeError | null =
      a.status === 'removing'
        ? 'failed_to_remove'
        : (a.status === 'unset' || a.status === 'setting') && wanted.has(a.credentialId)
          ? 'failed_to_set'
          : null;
    if (error)
      out.push({
        kind: 'assignment',
        credentialId: a.credentialId,
        lockId: p.lockId,
        patch: { error },
        refreshCleared: false,
      });
  }
  return out;
}

/** Once the lock is read, the errors shown while it could not be go: a failed write has a health row. */
export function reachedWrites(p: LockSyncPicture): SyncWrite[] {
  return p.assignments
    .filter(
      (a) =>
        (a.error === 'failed_to_set' || a.error === 'failed_to_remove') &&
        (a.status === 'unset' || a.status === 'setting' || a.status === 'removing') &&
        !p.health.has(a.slot),
    )
    .map((a) => ({
      kind: 'assignment' as const,
      credentialId: a.credentialId,
      lockId: p.lockId,
      patch: { error: null },
      refreshCleared: false as const,
    }));
}
