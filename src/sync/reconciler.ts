import { getModel } from '../core/catalog/index.js';
import type { ModelProfile } from '../core/catalog/types.js';
import { samePresses } from '../core/codes/keypad.js';
import type { PlanOp } from '../core/plan/index.js';
import { type Random, seededRandom } from '../core/ports.js';
import { recordUse } from '../store/assignments.js';
import type { Store } from '../store/index.js';
import {
  addIntent,
  adoptSlot,
  dropIntent,
  ensureSyncTables,
  type Intent,
  type LockSyncPicture,
  loadLockPicture,
  locksWithIntents,
  moveAssignment,
  type ReportedSlot,
  type SlotHealth,
  setAssignment,
  syncChange,
  syncDb,
  writeHealth,
  writeLockState,
  writeReported,
} from '../store/sync-state.js';
import type { TimerClock } from './clock.js';
import type { AccessCodeError, DriverEvent, LockDriver, WriteResult } from './driver.js';
import { DEFAULT_POLICY, type LockPlan, planForLock, type SyncPolicy } from './lock-plan.js';
import { WakeQueue } from './wake-queue.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Failures in a row before a slot is suspended (refusals that cannot change suspend at once). */
  suspendAfter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 3_600_000, suspendAfter: 5 };

export interface ReconcilerOptions {
  store: Store;
  clock: TimerClock;
  /** The driver for a lock; null for a lock without a radio (its changes become manual sessions). */
  driverFor: (lock: { id: string; model: string; driver: string }) => LockDriver | null;
  /** Called for a lock without a radio whose plan has ops (src/sync/manual-session.ts). */
  onManual?: (picture: LockSyncPicture, plan: LockPlan) => Promise<void>;
  policy?: Partial<SyncPolicy>;
  backoff?: Partial<BackoffPolicy>;
  random?: Random;
  /** How often an unchanged lock is verified, by checksum only (never a full read-back). */
  verifyEveryMs?: number;
  /** Locks worked on at once. */
  concurrency?: number;
  /** Whether this instance may work on the lock now (site leases); default: always. */
  mayWork?: (siteId: string) => boolean;
  /**
   * Look at every lock this often even without a wake (DB reads only, no frames unless something
   * differs), for register edits made by another process that did not call schedule(). The locks
   * are listed afresh at each sweep, so one added after start() (by the API, the CLI or another
   * instance) is covered too; with mayWork, only the locks of sites this instance may work on.
   */
  sweepEveryMs?: number;
  /** Timing hooks for benchmarks and metrics. */
  observer?: {
    woken?: (lockId: string) => void;
    confirmed?: (lockId: string, op: PlanOp) => void;
  };
}

export interface PassReport {
  lockId: string;
  sent: number;
  confirmed: number;
  failed: number;
  /** Nothing left to do for now (every wanted code confirmed, nothing blocked on retry). */
  converged: boolean;
}

export interface ReconcilerStats {
  passes: number;
  opsSent: number;
  opsConfirmed: number;
  opsFailed: number;
  fullReads: number;
  slotReads: number;
  checksums: number;
}

/**
 * Level-triggered, per DESIGN.md section 4. A pass over one lock loads what the register wants
 * and what the lock last reported, resolves any intent left by an earlier pass (or process) by
 * reading that slot back, plans the fewest ops, and sends them one at a time: intent persisted
 * first, result confirmed by the driver (notification or read-back, never an ack), outcome and
 * audit row written in one transaction. A failure backs the slot off and the pass is planned
 * again around it. Passes start from events, schedule boundaries and back-offs held in one wake
 * queue; a lock with nothing happening costs no frames.
 */
export class Reconciler {
  readonly stats: ReconcilerStats = {
    passes: 0,
    opsSent: 0,
    opsConfirmed: 0,
    opsFailed: 0,
    fullReads: 0,
    slotReads: 0,
    checksums: 0,
  };
  readonly #o: ReconcilerOptions;
  readonly #policy: SyncPolicy;
  readonly #backoff: BackoffPolicy;
  readonly #random: Random;
  readonly #wakes: WakeQueue;
  readonly #drivers = new Map<string, LockDriver | null>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #queued = new Set<string>();
  readonly #order: string[] = [];
  readonly #running = new Map<string, Promise<PassReport>>();
  readonly #again = new Set<string>();
  readonly #idleWaiters: Array<() => void> = [];
  #stopped = false;
  #sweeping = false;
  #ready: Promise<void> | null = null;

  constructor(opts: ReconcilerOptions) {
    this.#o = opts;
    this.#policy = { ...DEFAULT_POLICY, ...opts.policy };
    this.#backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#random = opts.random ?? seededRandom(7);
    this.#wakes = new WakeQueue(opts.clock, (id) => {
      opts.observer?.woken?.(id);
      this.schedule(id);
    });
  }

  get #ctx() {
    return this.#o.store.ctx;
  }

  /** Creates the sync tables once. */
  ready(): Promise<void> {
    this.#ready ??= ensureSyncTables(this.#ctx);
    return this.#ready;
  }

  /**
   * Looks at every given lock now (default: every lock in the register), locks with unresolved
   * intents first: after a restart, they are the ones whose last frame may or may not have landed.
   */
  async start(lockIds?: string[]): Promise<void> {
    await this.ready();
    const pending = await locksWithIntents(this.#ctx);
    const all =
      lockIds ??
      (await syncDb(this.#ctx).selectFrom('locks').select('id').orderBy('id').execute()).map((l) => l.id);
    const chosen = new Set(all);
    for (const id of pending) if (chosen.has(id)) this.schedule(id);
    for (const id of all) this.schedule(id);
    const every = this.#o.sweepEveryMs;
    if (every && !this.#sweeping) {
      this.#sweeping = true;
      // One timer at a time, re-armed after each sweep (not one cancel hook kept per sweep).
      let cancel = () => {};
      const sweep = async () => {
        if (this.#stopped) return;
        try {
          await this.sweep();
        } catch {
          // The store is down: the next sweep tries again.
        }
        if (!this.#stopped) cancel = this.#o.clock.at(this.#o.clock.now() + every, sweep);
      };
      cancel = this.#o.clock.at(this.#o.clock.now() + every, sweep);
      this.#unsubscribe.push(() => cancel());
    }
  }

  /** Asks for a pass over every lock in the register that this instance may work on. */
  async sweep(): Promise<void> {
    const locks = await syncDb(this.#ctx)
      .selectFrom('locks')
      .select(['id', 'site_id'])
      .orderBy('id')
      .execute();
    const may = this.#o.mayWork;
    for (const l of locks) if (!may || may(l.site_id)) this.schedule(l.id);
  }

  stop(): void {
    this.#stopped = true;
    this.#wakes.stop();
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  /** True when no pass is running or queued (timers may still be pending). */
  idle(): boolean {
    return this.#running.size === 0 && this.#queued.size === 0;
  }

  whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Asks for a pass over the lock as soon as a worker is free. */
  schedule(lockId: string): void {
    if (this.#stopped) return;
    if (this.#running.has(lockId)) {
      this.#again.add(lockId);
      return;
    }
    if (this.#queued.has(lockId)) return;
    this.#queued.add(lockId);
    this.#order.push(lockId);
    this.#pump();
  }

  /** Runs one pass over the lock and waits for it (tests, CLI). */
  async syncLock(lockId: string): Promise<PassReport> {
    await this.ready();
    const running = this.#running.get(lockId);
    if (running) await running.catch(() => {});
    return this.#startPass(lockId);
  }

  /** A suspended slot is tried again only when someone asks. */
  async resumeSlot(lockId: string, slot: number): Promise<void> {
    await syncChange(this.#ctx, async (trx, audit) => {
      await writeHealth(trx, lockId, null, slot);
      await audit({ action: 'sync.resume', subjectType: 'lock', subjectId: lockId, detail: { slot } });
    });
    this.schedule(lockId);
  }

  #pump(): void {
    const limit = this.#o.concurrency ?? 16;
    while (this.#running.size < limit && this.#order.length > 0) {
      const id = this.#order.shift()!;
      this.#queued.delete(id);
      void this.#startPass(id).catch(() => {});
    }
    if (this.idle()) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #startPass(lockId: string): Promise<PassReport> {
    const p = this.#pass(lockId).finally(() => {
      this.#running.delete(lockId);
      if (this.#again.delete(lockId)) this.schedule(lockId);
      this.#pump();
    });
    this.#running.set(lockId, p);
    return p;
  }

  #driver(p: { lockId: string; model: string; driver: string }): LockDriver | null {
    if (this.#drivers.has(p.lockId)) return this.#drivers.get(p.lockId)!;
    const d = this.#o.driverFor({ id: p.lockId, model: p.model, driver: p.driver });
    this.#drivers.set(p.lockId, d);
    if (d) this.#unsubscribe.push(d.onEvent((e) => void this.#onEvent(p.lockId, e)));
    return d;
  }

  // ---- one pass ---------------------------------------------------------------------------------

  async #pass(lockId: string): Promise<PassReport> {
    await this.ready();
    this.stats.passes++;
    const report: PassReport = { lockId, sent: 0, confirmed: 0, failed: 0, converged: false };
    // Bounded: each round either converges, or freezes a slot that failed.
    for (let round = 0; round < 64; round++) {
      const p = await loadLockPicture(this.#ctx, lockId);
      if (!p) return { ...report, converged: true };
      if (this.#o.mayWork && !this.#o.mayWork(p.siteId)) return report;
      const model = getModel(p.model);
      const now = this.#o.clock.now();
      const driver = this.#driver(p);
      if (driver) {
        if (p.readAt === null || p.reread) {
          if (!(await this.#fullRead(p, driver, model))) return report;
          continue;
        }
        if (p.intents.length > 0) {
          const resolved = await this.#resolveIntents(p, driver, model);
          if (resolved) continue;
        }
      }
      const frozen = this.#frozen(p, now);
      const lp = planForLock(p, model, now, this.#policy, frozen);
      await this.#recordBlocked(p, lp);
      if (lp.moves.length > 0) {
        await this.#recordMoves(p, lp);
        continue;
      }
      if (!driver) {
        if (lp.plan.ops.length > 0 && this.#o.onManual) await this.#o.onManual(p, lp);
        this.#wakeLater(p, lp, frozen, now);
        return { ...report, converged: lp.plan.ops.length === 0 };
      }
      if (lp.plan.ops.length === 0) {
        await this.#settleLeaving(p, lp);
        await this.#verify(p, driver, now);
        this.#wakeLater(p, lp, frozen, now);
        return { ...report, converged: frozen.size === 0 };
      }
      let failedHere = false;
      for (const op of lp.plan.ops) {
        if (this.#o.mayWork && !this.#o.mayWork(p.siteId)) return report;
        report.sent++;
        const ok = await this.#apply(p, lp, op, driver);
        if (ok) report.confirmed++;
        else {
          report.failed++;
          failedHere = true;
          break;
        }
      }
      if (failedHere) continue;
      // Every op confirmed: the lock holds the plan's end state. Anything that changed meanwhile
      // (an event, a register edit) schedules another pass of its own. Without a way to compute
      // the checksum, take it now, while it describes the state just confirmed.
      if (!driver.expectedChecksum) await this.#verify({ ...p, checksum: null }, driver, now, true);
      this.#wakeLater(p, lp, frozen, now);
      return { ...report, converged: frozen.size === 0 };
    }
    return report;
  }

  /** Slots not to touch now: suspended, backing off, or with an intent still unresolved. */
  #frozen(p: LockSyncPicture, now: number): Set<number> {
    const out = new Set<number>();
    for (const h of p.health.values()) if (h.suspended || h.nextAttemptAt > now) out.add(h.slot);
    for (const i of p.intents) out.add(i.slot);
    return out;
  }

  #wakeLater(p: LockSyncPicture, lp: LockPlan, frozen: Set<number>, now: number): void {
    let at = lp.nextChange ?? Number.POSITIVE_INFINITY;
    for (const slot of frozen) {
      const h = p.health.get(slot);
      if (h && !h.suspended && h.nextAttemptAt > now) at = Math.min(at, h.nextAttemptAt);
    }
    const verify = this.#o.verifyEveryMs;
    const d = this.#drivers.get(p.lockId);
    if (verify && d?.checksum) at = Math.min(at, (p.verifiedAt ?? now) + verify);
    if (Number.isFinite(at)) this.#wakes.wake(p.lockId, at);
  }

  async #recordBlocked(p: LockSyncPicture, lp: LockPlan): Promise<void> {
    const byId = new Map(p.assignments.map((a) => [a.credentialId, a]));
    const changed = lp.blocked.filter((b) => {
      const a = byId.get(b.credentialId);
      return a && (a.error !== b.error || a.status !== 'unset') && a.status !== 'set';
    });
    if (changed.length === 0) return;
    await syncChange(this.#ctx, async (trx, audit) => {
      for (const b of changed) {
        await setAssignment(this.#ctx, trx, b.credentialId, p.lockId, { status: 'unset', error: b.error });
        await audit({
          action: 'sync.blocked',
          subjectType: 'credential',
          subjectId: b.credentialId,
          detail: { lockId: p.lockId, slot: byId.get(b.credentialId)!.slot, error: b.error },
        });
      }
    });
  }

  /** New slots for codes whose own slot is held by a kept code, written before any frame. */
  async #recordMoves(p: LockSyncPicture, lp: LockPlan): Promise<void> {
    await syncChange(this.#ctx, async (trx, audit) => {
      for (const m of lp.moves) {
        await moveAssignment(this.#ctx, trx, m.credentialId, p.lockId, m.to);
        await audit({
          action: 'sync.moved',
          subjectType: 'credential',
          subjectId: m.credentialId,
          detail: { lockId: p.lockId, from: m.from, to: m.to, why: 'its slot is taken' },
        });
      }
    });
  }

  /** Leaving codes whose slot no longer holds them (taken over, or already empty) are done. */
  async #settleLeaving(p: LockSyncPicture, lp: LockPlan): Promise<void> {
    const done = p.assignments.filter((a) => {
      if (!lp.leaving.has(a.credentialId)) return false;
      const r = p.reported.get(a.slot);
      return !r || r.credentialId !== a.credentialId;
    });
    if (done.length === 0) return;
    await syncChange(this.#ctx, async (trx, audit) => {
      for (const a of done) {
        await setAssignment(this.#ctx, trx, a.credentialId, p.lockId, { status: 'removed', error: null });
        await audit({
          action: 'sync.removed',
          subjectType: 'credential',
          subjectId: a.credentialId,
          detail: { lockId: p.lockId, slot: a.slot, how: 'not on the lock' },
        });
      }
    });
  }

  // ---- sending one op --------------------------------------------------------------------------

  async #apply(p: LockSyncPicture, lp: LockPlan, op: PlanOp, driver: LockDriver): Promise<boolean> {
    if (op.op === 'set-programming') return true; // never planned: desired.programming is not set
    const slot = op.slot;
    const now = this.#o.clock.now();
    const before = p.reported.get(slot);
    const wanted = op.op === 'add' ? lp.wanted.get(slot) : undefined;
    const leavingId = before?.credentialId ?? null;
    const intentKind = op.op === 'add' ? 'add' : 'delete';
    const intentId = await syncChange(this.#ctx, async (trx, audit) => {
      const id = await addIntent(trx, p.lockId, {
        slot,
        kind: intentKind,
        credentialId: wanted?.credentialId ?? leavingId,
        startedAt: now,
      });
      if (wanted)
        await setAssignment(this.#ctx, trx, wanted.credentialId, p.lockId, {
          status: 'setting',
          error: null,
        });
      if (leavingId && leavingId !== wanted?.credentialId && lp.leaving.has(leavingId))
        await setAssignment(this.#ctx, trx, leavingId, p.lockId, { status: 'removing' });
      await audit({
        action: 'sync.send',
        subjectType: 'lock',
        subjectId: p.lockId,
        detail: {
          op: op.op,
          slot,
          opId: id,
          credentialId: wanted?.credentialId ?? null,
          replaces: leavingId,
        },
      });
      return id;
    });
    this.stats.opsSent++;
    let result: WriteResult;
    try {
      result = op.op === 'add' ? await driver.setSlot(slot, op.code) : await driver.clearSlot(slot);
    } catch (e) {
      result = { ok: false, error: 'unconfirmed', message: (e as Error).message, retryable: true };
    }
    if (result.ok) {
      this.stats.opsConfirmed++;
      await syncChange(this.#ctx, async (trx, audit) => {
        await dropIntent(trx, intentId);
        if (p.health.has(slot)) await writeHealth(trx, p.lockId, null, slot);
        await this.#landed(
          trx,
          p,
          lp,
          slot,
          op.op === 'add' ? (wanted ?? null) : null,
          op.op === 'add' ? op.code : undefined,
        );
        // The stored checksum no longer describes the lock; the next verification takes a new one.
        if (p.checksum !== null) {
          await writeLockState(trx, p.lockId, { checksum: null });
          p.checksum = null;
        }
        await audit({
          action: 'sync.confirmed',
          subjectType: 'lock',
          subjectId: p.lockId,
          detail: { op: op.op, slot, opId: intentId, confirmedBy: result.confirmedBy },
        });
      });
      this.#o.observer?.confirmed?.(p.lockId, op);
      return true;
    }
    this.stats.opsFailed++;
    const failure = result;
    const health = this.#nextHealth(p.health.get(slot), failure.error, failure.retryable, now);
    await syncChange(this.#ctx, async (trx, audit) => {
      // Unconfirmed: the lock may or may not have it. The intent stays, so the next look at this
      // slot is a read-back, not a resend.
      if (failure.error !== 'unconfirmed') await dropIntent(trx, intentId);
      await writeHealth(trx, p.lockId, health, slot);
      if (wanted) {
        const status = failure.error === 'unconfirmed' ? 'setting' : 'unset';
        await setAssignment(this.#ctx, trx, wanted.credentialId, p.lockId, { status, error: failure.error });
      } else if (leavingId && lp.leaving.has(leavingId)) {
        await setAssignment(this.#ctx, trx, leavingId, p.lockId, {
          status: 'removing',
          error: failure.error,
        });
      }
      await audit({
        action: 'sync.failed',
        subjectType: 'lock',
        subjectId: p.lockId,
        detail: {
          op: op.op,
          slot,
          opId: intentId,
          error: failure.error,
          message: failure.message,
          retryable: failure.retryable,
          failures: health.failures,
          suspended: health.suspended,
          retryAt: health.suspended ? null : health.nextAttemptAt,
        },
      });
    });
    return false;
  }

  #nextHealth(
    prev: SlotHealth | undefined,
    error: AccessCodeError,
    retryable: boolean,
    now: number,
  ): SlotHealth {
    const failures = (prev?.failures ?? 0) + 1;
    const exp = Math.min(this.#backoff.maxMs, this.#backoff.baseMs * 2 ** (failures - 1));
    // Up to a quarter of jitter, so locks that failed together do not retry together.
    const jitter = Math.floor((exp / 4) * (this.#random.int(1000) / 1000));
    return {
      slot: prev?.slot ?? 0,
      failures,
      nextAttemptAt: now + exp + jitter,
      suspended: !retryable || failures >= this.#backoff.suspendAfter,
      lastError: error,
    };
  }

  /**
   * The lock now holds `code` in the slot (or nothing): reported state, deleted-code memory and
   * the lifecycle of whoever was there and whoever is now.
   */
  async #landed(
    trx: Parameters<Parameters<typeof syncChange>[1]>[0],
    p: LockSyncPicture,
    lp: LockPlan,
    slot: number,
    wanted: { credentialId: string } | null,
    code: string | undefined,
  ): Promise<void> {
    const before = p.reported.get(slot);
    await writeReported(
      this.#ctx,
      trx,
      p.lockId,
      { slot, code, credentialId: wanted?.credentialId ?? null, unmanaged: false },
      { remember: before?.code ?? null },
    );
    if (wanted)
      await setAssignment(this.#ctx, trx, wanted.credentialId, p.lockId, { status: 'set', error: null });
    const gone = before?.credentialId;
    if (gone && gone !== wanted?.credentialId) {
      const still = [...lp.wanted.values()].some((w) => w.credentialId === gone);
      await setAssignment(
        this.#ctx,
        trx,
        gone,
        p.lockId,
        still ? { status: 'setting' } : { status: 'removed', error: null },
      );
    }
  }

  // ---- reading back --------------------------------------------------------------------------

  /** First contact, or after "all codes deleted": read every slot once. */
  async #fullRead(p: LockSyncPicture, driver: LockDriver, model: ModelProfile): Promise<boolean> {
    let slots: Record<string, string | null>;
    try {
      slots = (await driver.read()).slots;
      this.stats.fullReads++;
    } catch (e) {
      await syncChange(this.#ctx, async (_trx, audit) => {
        await audit({
          action: 'sync.unreachable',
          subjectType: 'lock',
          subjectId: p.lockId,
          detail: { message: (e as Error).message },
        });
      });
      this.#wakes.wake(p.lockId, this.#o.clock.now() + this.#backoff.baseMs * 8);
      return false;
    }
    const now = this.#o.clock.now();
    await syncChange(this.#ctx, async (trx, audit) => {
      let unmanaged = 0;
      for (let slot = 1; slot <= model.slots; slot++) {
        const truth = slots[String(slot)];
        const known = p.reported.get(slot);
        const changed = await this.#learnSlot(trx, p, model, slot, truth, known, 'read');
        if (changed === 'unmanaged') unmanaged++;
      }
      await writeLockState(trx, p.lockId, { read_at: now, checksum: null, reread: 0 });
      await audit({
        action: 'sync.read',
        subjectType: 'lock',
        subjectId: p.lockId,
        detail: { occupied: Object.keys(slots).length, unmanaged },
      });
    });
    return true;
  }

  /** Reads back each slot an earlier pass, process or keypad event left unknown. */
  async #resolveIntents(p: LockSyncPicture, driver: LockDriver, model: ModelProfile): Promise<boolean> {
    const now = this.#o.clock.now();
    let any = false;
    const seen = new Set<number>();
    for (const intent of p.intents) {
      const h = p.health.get(intent.slot);
      if (h && (h.suspended || h.nextAttemptAt > now)) continue;
      if (intent.slot === 0 || seen.has(intent.slot)) {
        await syncChange(this.#ctx, (trx) => dropIntent(trx, intent.id));
        any = true;
        continue;
      }
      seen.add(intent.slot);
      let truth: string | null | undefined;
      try {
        truth = await driver.readSlot(intent.slot);
        this.stats.slotReads++;
      } catch (e) {
        const health = this.#nextHealth(h, 'unconfirmed', true, now);
        await syncChange(this.#ctx, async (trx, audit) => {
          await writeHealth(trx, p.lockId, { ...health, slot: intent.slot }, intent.slot);
          await audit({
            action: 'sync.read-failed',
            subjectType: 'lock',
            subjectId: p.lockId,
            detail: {
              slot: intent.slot,
              opId: intent.id,
              message: (e as Error).message,
              failures: health.failures,
              suspended: health.suspended,
            },
          });
        });
        // Written health changes the plan: the caller reloads the picture.
        any = true;
        continue;
      }
      any = true;
      const check = intent.kind === 'verify' || intent.kind === 'keypad-added';
      await syncChange(this.#ctx, async (trx, audit) => {
        const outcome = await this.#learnSlot(
          trx,
          p,
          model,
          intent.slot,
          truth,
          p.reported.get(intent.slot),
          check ? 'keypad' : 'intent',
          intent,
        );
        await dropIntent(trx, intent.id);
        // All intents on this slot are answered by this one read.
        for (const other of p.intents)
          if (other.slot === intent.slot && other.id !== intent.id) await dropIntent(trx, other.id);
        await audit({
          action: check ? 'sync.checked' : 'sync.recovered',
          subjectType: 'lock',
          subjectId: p.lockId,
          detail: { slot: intent.slot, opId: intent.id, kind: intent.kind, outcome },
        });
      });
    }
    return any;
  }

  /**
   * Takes what the lock says one slot holds as the truth and squares the register with it. Returns
   * what it found, for the audit row (never the code).
   */
  async #learnSlot(
    trx: Parameters<Parameters<typeof syncChange>[1]>[0],
    p: LockSyncPicture,
    model: ModelProfile,
    slot: number,
    truth: string | null | undefined,
    known: ReportedSlot | undefined,
    why: 'read' | 'intent' | 'keypad',
    intent?: Intent,
  ): Promise<string> {
    const ctx = this.#ctx;
    const status = (id: string, patch: Parameters<typeof setAssignment>[4]) =>
      setAssignment(ctx, trx, id, p.lockId, patch);
    const find = (id: string | null | undefined) => p.assignments.find((a) => a.credentialId === id);
    const outcome = await (async (): Promise<string> => {
      if (truth === undefined) {
        if (!known) return 'empty';
        // It was there and is gone: our delete landed, or someone cleared it at the keypad.
        await writeReported(
          ctx,
          trx,
          p.lockId,
          { slot, code: undefined, credentialId: null, unmanaged: false },
          { remember: known.code },
        );
        const a = find(known.credentialId);
        if (!a) return 'emptied';
        const ours = intent?.kind === 'delete';
        if (a.status === 'removing') await status(a.credentialId, { status: 'removed', error: null });
        else await status(a.credentialId, { status: 'unset', error: ours ? null : 'modified_at_keypad' });
        return ours ? 'deleted' : 'emptied-at-keypad';
      }
      if (truth === null) {
        // Masked read-back: occupied, code unknown. Keep what we knew.
        if (!known)
          await writeReported(ctx, trx, p.lockId, { slot, code: null, credentialId: null, unmanaged: true });
        return 'masked';
      }
      const assigned = p.assignments.find(
        (a) => a.slot === slot && a.status !== 'removed' && samePresses(a.code, truth, model),
      );
      // The lock said this code was added at the keypad, but a read (first contact, while the
      // notification was on its way) already took it for one that was there before Keyward: it
      // is a keypad edit, and the keypad policy, not the unmanaged one, decides its fate.
      const keypadAfterRead =
        intent?.kind === 'keypad-added' && known?.unmanaged === true && known.error === null && !assigned;
      if (
        known?.code === truth &&
        !keypadAfterRead &&
        (!assigned || known.credentialId === assigned.credentialId)
      ) {
        if (assigned && intent?.kind === 'add' && intent.credentialId === assigned.credentialId)
          await status(assigned.credentialId, { status: 'set', error: null });
        return 'unchanged';
      }
      const remember = known?.code && known.code !== truth ? known.code : null;
      if (assigned) {
        // The code we want there is there: our write landed (or it was there all along).
        await writeReported(
          ctx,
          trx,
          p.lockId,
          { slot, code: truth, credentialId: assigned.credentialId, unmanaged: false },
          { remember },
        );
        await status(assigned.credentialId, { status: 'set', error: null });
        if (known?.credentialId && known.credentialId !== assigned.credentialId)
          await status(known.credentialId, { status: 'removed', error: null });
        return 'ours';
      }
      // A code Keyward did not put there: at the keypad, or there before Keyward.
      const keypad = why !== 'read' || p.readAt !== null;
      const displaced = find(known?.credentialId);
      const adopt = keypad ? this.#policy.keypadEdits === 'adopt' : this.#policy.unmanaged === 'adopt';
      if (displaced) {
        const leaving = displaced.status === 'removing';
        await status(
          displaced.credentialId,
          leaving
            ? { status: 'removed', error: null }
            : adopt
              ? { status: 'removed', error: 'modified_at_keypad' }
              : { status: 'unset', error: 'modified_at_keypad' },
        );
      }
      if (adopt) {
        const id = await adoptSlot(
          ctx,
          trx,
          p.lockId,
          slot,
          truth,
          keypad ? `Added at the keypad (slot ${slot})` : `Found in slot ${slot}`,
        );
        await writeReported(
          ctx,
          trx,
          p.lockId,
          { slot, code: truth, credentialId: id, unmanaged: false },
          { remember },
        );
        return 'adopted';
      }
      await writeReported(
        ctx,
        trx,
        p.lockId,
        {
          slot,
          code: truth,
          credentialId: null,
          unmanaged: true,
          error: keypad ? 'modified_at_keypad' : null,
        },
        { remember },
      );
      return keypad ? 'changed-at-keypad' : 'unmanaged';
    })();
    // An add that did not land goes back to waiting; the pass plans it again.
    if (intent?.kind === 'add' && intent.credentialId && outcome !== 'ours' && outcome !== 'unchanged') {
      const a = find(intent.credentialId);
      if (a && a.slot === slot) await status(a.credentialId, { status: 'unset' });
    }
    if (
      intent?.kind === 'add' &&
      intent.credentialId &&
      outcome === 'unchanged' &&
      known?.credentialId !== intent.credentialId
    ) {
      await status(intent.credentialId, { status: 'unset' });
    }
    if (intent?.kind === 'delete' && intent.credentialId && outcome === 'empty') {
      const a = find(intent.credentialId);
      if (a?.status === 'removing') await status(a.credentialId, { status: 'removed', error: null });
    }
    return outcome;
  }

  /**
   * Battery-aware verification: one checksum frame, and a full read only when it disagrees. The
   * checksum is compared with the one the register's slots should give when the driver can
   * compute it; otherwise with the one taken right after Keyward's own last confirmed writes.
   */
  async #verify(p: LockSyncPicture, driver: LockDriver, now: number, force = false): Promise<void> {
    const every = this.#o.verifyEveryMs;
    if (!driver.checksum || every === undefined) return;
    if (!force && p.verifiedAt !== null && p.checksum !== null && p.verifiedAt + every > now) return;
    const known: Record<string, string> = {};
    let masked = false;
    for (const r of p.reported.values()) {
      if (r.code === null) masked = true;
      else known[String(r.slot)] = r.code;
    }
    const expected = driver.expectedChecksum && !masked ? String(driver.expectedChecksum(known)) : p.checksum;
    let sum: number | undefined;
    try {
      sum = await driver.checksum();
      this.stats.checksums++;
    } catch {
      return;
    }
    if (sum === undefined) return;
    const text = String(sum);
    await syncChange(this.#ctx, async (trx, audit) => {
      if (expected !== null && expected !== text) {
        await writeLockState(trx, p.lockId, { reread: 1, checksum: null, verified_at: now });
        await audit({
          action: 'sync.checksum-changed',
          subjectType: 'lock',
          subjectId: p.lockId,
          detail: {},
        });
        this.schedule(p.lockId);
      } else {
        await writeLockState(trx, p.lockId, { checksum: text, verified_at: now });
      }
    });
  }

  // ---- what the lock tells us ----------------------------------------------------------------

  async #onEvent(lockId: string, e: DriverEvent): Promise<void> {
    if (this.#stopped) return;
    try {
      await syncChange(this.#ctx, async (trx, audit) => {
        const detail: Record<string, unknown> = { ...e };
        delete detail.code;
        await audit({ action: `lock.${e.type}`, subjectType: 'lock', subjectId: lockId, detail });
        if (
          e.type === 'code-added-at-keypad' ||
          e.type === 'code-deleted-at-keypad' ||
          e.type === 'duplicate-refused'
        ) {
          if (e.slot !== null)
            await addIntent(trx, lockId, {
              slot: e.slot,
              kind: e.type === 'code-added-at-keypad' ? 'keypad-added' : 'verify',
              credentialId: null,
              startedAt: e.at,
            });
        } else if (e.type === 'all-codes-deleted') {
          await writeLockState(trx, lockId, { reread: 1 });
        } else if (e.type === 'code-used') {
          await trx
            .updateTable('lock_slots')
            .set({ last_used_at: e.at })
            .where('lock_id', '=', lockId)
            .where('slot', '=', e.slot)
            .execute();
        }
      });
      if (e.type === 'battery') await this.#o.store.recordBattery(lockId, e.voltsPerCell);
      if (e.type === 'code-used') {
        const held = await this.#ctx.db
          .selectFrom('lock_slots')
          .select('credential_id')
          .where('lock_id', '=', lockId)
          .where('slot', '=', e.slot)
          .executeTakeFirst();
        // At its use limit a code stops being wanted: the pass takes it off.
        if (held?.credential_id && (await recordUse(this.#ctx, held.credential_id, lockId)).exhausted)
          this.schedule(lockId);
      }
    } catch {
      // The audit row failed (store down): the periodic checksum still catches the change.
    }
    if (e.type !== 'battery' && e.type !== 'code-used') this.schedule(lockId);
  }
}
