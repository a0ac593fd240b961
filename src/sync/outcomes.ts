import type { ModelProfile } from '../core/catalog/types.js';
import type { PlanOp } from '../core/plan/index.js';
import type { LockSyncPicture, SlotHealth } from '../store/sync-state.js';
import type { SyncWrite } from '../store/sync-writes.js';
import type { LockDriver, WriteResult } from './driver.js';
import type { SyncEvent } from './events.js';
import type { LockPlan } from './lock-plan.js';
import type { Effects, PassReport } from './runtime.js';

/**
 * Ops on their way to the lock and back, purely: the intents, statuses and audit rows written
 * before any frame leaves (sendingEffects), and the register changes each outcome makes once the
 * driver confirmed, refused or never got an op (outcomeEffects).
 */

/** One lock's plan on its way to the lock. */
export interface SendItem {
  p: LockSyncPicture;
  lp: LockPlan;
  frozen: Set<number>;
  driver: LockDriver;
  model: ModelProfile;
  now: number;
  report: PassReport;
}

export type SlotOp = Exclude<PlanOp, { op: 'set-programming' }>;

export interface SentOp {
  item: SendItem;
  op: SlotOp;
  wanted: { credentialId: string; code: string } | null;
  leavingId: string | null;
  intentId: string;
}

export type Outcome =
  | { kind: 'confirmed'; s: SentOp; confirmedBy: string }
  | { kind: 'failed'; s: SentOp; failure: Extract<WriteResult, { ok: false }>; health: SlotHealth }
  | { kind: 'unsent'; s: SentOp };

/** Every slot op of the items' plans, each with the intent id it is sent under. */
export function opsToSend(items: readonly SendItem[], newId: () => string): SentOp[] {
  const out: SentOp[] = [];
  for (const item of items) {
    for (const op of item.lp.plan.ops) {
      if (op.op === 'set-programming') continue; // never planned: desired.programming is not set
      const before = item.p.reported.get(op.slot);
      const wanted = op.op === 'add' ? (item.lp.wanted.get(op.slot) ?? null) : null;
      out.push({ item, op, wanted, leavingId: before?.credentialId ?? null, intentId: newId() });
    }
  }
  return out;
}

const personOf = (p: LockSyncPicture, id: string | null | undefined) =>
  (id && p.assignments.find((a) => a.credentialId === id)?.personId) || null;

function ref(s: SentOp) {
  const credentialId = s.wanted?.credentialId ?? s.leavingId;
  return {
    lockId: s.item.p.lockId,
    op: s.op.op,
    slot: s.op.slot,
    opId: s.intentId,
    credentialId,
    personId: personOf(s.item.p, credentialId),
  };
}

/**
 * Before any frame: each op's intent, the statuses of the codes it sets or takes off (setting and
 * removing keep a credential open on the lock: its cleared mark cannot change), one audit row per
 * lock naming every op.
 */
export function sendingEffects(sent: readonly SentOp[]): Effects {
  const writes: SyncWrite[] = [];
  const events: SyncEvent[] = [];
  for (const s of sent) {
    const lockId = s.item.p.lockId;
    writes.push({
      kind: 'intent-added',
      lockId,
      intent: {
        id: s.intentId,
        slot: s.op.slot,
        kind: s.op.op,
        credentialId: s.wanted?.credentialId ?? s.leavingId,
        startedAt: s.item.now,
      },
    });
    events.push({
      type: 'op-sent',
      ...ref(s),
      credentialId: s.wanted?.credentialId ?? null,
      replaces: s.leavingId,
    });
  }
  for (const s of sent) {
    const lockId = s.item.p.lockId;
    if (s.wanted)
      writes.push({
        kind: 'assignment',
        credentialId: s.wanted.credentialId,
        lockId,
        patch: { status: 'setting', error: null },
        refreshCleared: false,
      });
    if (s.leavingId && s.leavingId !== s.wanted?.credentialId && s.item.lp.leaving.has(s.leavingId))
      writes.push({
        kind: 'assignment',
        credentialId: s.leavingId,
        lockId,
        patch: { status: 'removing' },
        refreshCleared: false,
      });
  }
  return { writes, events };
}

/**
 * What outcomes (of ops from any number of locks) change: a confirmed op drops its intent, the
 * slot takes the code (the one it replaced joins the deleted-code memory), the codes involved
 * are set or removed, the stored checksum goes; a failed op backs the slot off (an unconfirmed
 * one keeps its intent: the next look at the slot is a read-back, not a resend); an unsent op is
 * as if never planned. Confirmed rows come first, one per lock.
 */
export function outcomeEffects(outcomes: readonly Outcome[]): Effects {
  const writes: SyncWrite[] = [];
  const events: SyncEvent[] = [];
  const checksums = new Set<string>();
  for (const o of outcomes) {
    if (o.kind !== 'confirmed') continue;
    const { item, op, wanted } = o.s;
    const p = item.p;
    const before = p.reported.get(op.slot);
    if (p.health.has(op.slot))
      writes.push({ kind: 'slot-health', lockId: p.lockId, slot: op.slot, health: null });
    writes.push({ kind: 'intent-dropped', id: o.s.intentId });
    writes.push(
      op.op === 'add'
        ? {
            kind: 'slot-reported',
            lockId: p.lockId,
            model: item.model.id,
            slot: op.slot,
            code: op.code,
            credentialId: wanted?.credentialId ?? null,
            unmanaged: false,
            remember: before?.code ?? null,
          }
        : {
            kind: 'slot-cleared',
            lockId: p.lockId,
            model: item.model.id,
            slot: op.slot,
            remember: before?.code ?? null,
          },
    );
    if (wanted)
      writes.push({
        kind: 'assignment',
        credentialId: wanted.credentialId,
        lockId: p.lockId,
        patch: { status: 'set', error: null },
      });
    const gone = before?.credentialId;
    if (gone && gone !== wanted?.credentialId) {
      const still = [...item.lp.wanted.values()].some((w) => w.credentialId === gone);
      writes.push({
        kind: 'assignment',
        credentialId: gone,
        lockId: p.lockId,
        patch: still ? { status: 'setting' } : { status: 'removed', error: null },
      });
    }
    // The stored checksum no longer describes the lock; the next verification takes a new one.
    if (p.checksum !== null && !checksums.has(p.lockId)) {
      checksums.add(p.lockId);
      writes.push({ kind: 'checksum-cleared', lockId: p.lockId });
    }
    events.push({ type: 'op-confirmed', ...ref(o.s), confirmedBy: o.confirmedBy });
  }
  for (const o of outcomes) {
    const { item, op, wanted, leavingId, intentId } = o.s;
    const p = item.p;
    if (o.kind === 'confirmed') continue;
    if (o.kind === 'failed') {
      const { failure, health } = o;
      if (failure.error !== 'unconfirmed') writes.push({ kind: 'intent-dropped', id: intentId });
      writes.push({ kind: 'slot-health', lockId: p.lockId, slot: op.slot, health });
      if (wanted)
        writes.push({
          kind: 'assignment',
          credentialId: wanted.credentialId,
          lockId: p.lockId,
          patch: { status: failure.error === 'unconfirmed' ? 'setting' : 'unset', error: failure.error },
        });
      else if (leavingId && item.lp.leaving.has(leavingId))
        writes.push({
          kind: 'assignment',
          credentialId: leavingId,
          lockId: p.lockId,
          patch: { status: 'removing', error: failure.error },
        });
      events.push({
        type: 'op-failed',
        ...ref(o.s),
        error: failure.error,
        message: failure.message,
        retryable: failure.retryable,
        health: {
          failures: health.failures,
          suspended: health.suspended,
          retryAt: health.suspended ? null : health.nextAttemptAt,
        },
      });
    } else {
      writes.push({ kind: 'intent-dropped', id: intentId });
      for (const id of [wanted?.credentialId, leavingId]) {
        const a = id ? p.assignments.find((x) => x.credentialId === id) : undefined;
        if (a)
          writes.push({
            kind: 'assignment',
            credentialId: a.credentialId,
            lockId: p.lockId,
            patch: { status: a.status, error: a.error },
          });
      }
      events.push({ type: 'op-withdrawn', ...ref(o.s) });
    }
  }
  return { writes, events };
}
