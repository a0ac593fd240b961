import { getModel } from '../core/catalog/index.js';
import type { ModelProfile } from '../core/catalog/types.js';
import { samePresses } from '../core/codes/keypad.js';
import { checkCode, type Reason } from '../core/codes/rules.js';
import { KeywardError } from '../core/errors.js';
import type { PlanOp } from '../core/plan/index.js';
import { type Random, seededRandom } from '../core/ports.js';
import { recordUse } from '../store/assignments.js';
import { aad } from '../store/context.js';
import type { Store } from '../store/index.js';
import {
  type AssignmentPatch,
  addIntent,
  addIntents,
  adoptSlot,
  clearChecksums,
  dropIntent,
  dropIntents,
  ensureSyncTables,
  type Intent,
  type LockSyncPicture,
  loadLockPicture,
  loadLockPictures,
  locksWithIntents,
  moveAssignment,
  type Opener,
  type ReportedSlot,
  type ReportedWriteMany,
  type SlotHealth,
  setAssignment,
  setAssignments,
  syncChange,
  syncDb,
  writeHealth,
  writeLockState,
  writeReported,
  writeReportedMany,
} from '../store/sync-state.js';
import type { TimerClock } from './clock.js';
import type { AccessCodeError, DriverEvent, LockDriver, WriteResult } from './driver.js';
import { DEFAULT_POLICY, type LockPlan, planForLock, type SyncPolicy } from './lock-plan.js';
import { openedCodes } from './opened-codes.js';
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
  /** Passes (or batches of locks) worked on at once. */
  concurrency?: number;
  /** Most locks taken together when several are due at once (1: never batch). */
  batchSize?: number;
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

/** One lock's plan on its way to the lock. */
interface SendItem {
  p: LockSyncPicture;
  lp: LockPlan;
  frozen: Set<number>;
  driver: LockDriver;
  model: ModelProfile;
  now: number;
  report: PassReport;
}

type SlotOp = Exclude<PlanOp, { op: 'set-programming' }>;

interface SentOp {
  item: SendItem;
  op: SlotOp;
  wanted: { credentialId: string; code: string } | null;
  leavingId: string | null;
  intentId: string;
}

type Outcome =
  | { kind: 'confirmed'; s: SentOp; confirmedBy: string }
  | {
      kind: 'failed';
      s: SentOp;
      failure: Extract<WriteResult, { ok: false }>;
      health: SlotHealth;
    }
  | { kind: 'unsent'; s: SentOp };

function groupByLock<T extends { item: SendItem }>(ops: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const s of ops) {
    const list = out.get(s.item.p.lockId);
    if (list) list.push(s);
    else out.set(s.item.p.lockId, [s]);
  }
  return out;
}

/** Where one round of a pass got to before anything is sent (see #prepare). */
type Step =
  | { kind: 'again' | 'fallback' }
  | { kind: 'done'; report: PassReport }
  | ({ kind: 'send' } & SendItem);

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
  /** Wakes that found several locks due and took them as one batch. */
  batches: number;
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
    batches: 0,
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
  #workers = 0;
  /** Locks a batch handed back: their next pass is one of their own. */
  readonly #alone = new Set<string>();
  #pumpSoon = false;
  /** Outcomes of ops from every lock in flight, written together when they arrive together. */
  readonly #outcomes = { submit: (o: Outcome) => this.#submitOutcome(o) };
  #waitingOutcomes: Array<{ o: Outcome; resolve: () => void; reject: (e: unknown) => void }> = [];
  #writingOutcomes = false;
  readonly #open: Opener;
  #ready: Promise<void> | null = null;
  /**
   * Locks that did not answer a read or a checksum (or said `unreachable`), and when they may be
   * tried again. In memory: after a restart a lock is simply tried once more.
   */
  readonly #reach = new Map<string, { failures: number; nextAttemptAt: number }>();
  /** Jitter for #reach, apart from the slots' own so their timing is unchanged. */
  readonly #reachRandom: Random;

  constructor(opts: ReconcilerOptions) {
    this.#o = opts;
    this.#policy = { ...DEFAULT_POLICY, ...opts.policy };
    this.#backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#random = opts.random ?? seededRandom(7);
    this.#reachRandom = seededRandom(11);
    this.#open = openedCodes((sealed, aad) => opts.store.ctx.sealer.open(sealed, aad));
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
    // A microtask later: every lock a wake, a sweep or start() asks for in the same turn is
    // queued by then, and they go together as one batch.
    if (this.#pumpSoon) return;
    this.#pumpSoon = true;
    queueMicrotask(() => {
      this.#pumpSoon = false;
      this.#pump();
    });
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

  /**
   * Changes a lock's programming code through its driver: checked first against every code on
   * the lock and in the register (the first four digits must differ), sent with an intent like
   * any op, and written to the register (sealed) only once the driver confirms it. A refusal is
   * data with the rule's reasons; no frame is sent for a code the lock would refuse.
   */
  async setProgrammingCode(
    lockId: string,
    code: string,
  ): Promise<
    | { ok: true; confirmedBy: string }
    | { ok: false; error: AccessCodeError | 'rejected' | 'no_radio'; message: string; reasons?: Reason[] }
  > {
    await this.ready();
    const p = await loadLockPicture(this.#ctx, lockId, this.#open);
    if (!p) throw new KeywardError('NOT_FOUND', `no lock with id ${lockId}`);
    const model = getModel(p.model);
    if (!model.programmingCode)
      throw new KeywardError('UNSUPPORTED', `model ${model.id} has no programming code`);
    const driver = this.#driver(p);
    if (!driver)
      return {
        ok: false,
        error: 'no_radio',
        message: 'this lock has no radio: follow the set-programming-code guide at the lock',
      };
    const now = this.#o.clock.now();
    const { current } = planForLock(p, model, now, this.#policy, this.#frozen(p, now));
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
    const opId = await syncChange(this.#ctx, async (trx, audit) => {
      const id = await addIntent(trx, lockId, {
        slot: 0,
        kind: 'set-programming',
        credentialId: null,
        startedAt: now,
      });
      await audit({
        action: 'sync.send',
        subjectType: 'lock',
        subjectId: lockId,
        detail: { ops: [{ op: 'set-programming', slot: 0, opId: id }] },
      });
      return id;
    });
    this.stats.opsSent++;
    let result: WriteResult;
    try {
      result = await driver.setProgrammingCode(code);
    } catch (e) {
      result = { ok: false, error: 'unconfirmed', message: (e as Error).message, retryable: true };
    }
    await syncChange(this.#ctx, async (trx, audit) => {
      // The programming code cannot be read back: an unknown outcome is reported, not resolved.
      await dropIntent(trx, opId);
      if (result.ok) {
        await trx
          .updateTable('locks')
          .set((eb) => ({
            programming_code_enc: this.#ctx.sealer.seal(code, aad.programming(lockId)),
            version: eb('version', '+', 1),
          }))
          .where('id', '=', lockId)
          .execute();
        await audit({
          action: 'sync.confirmed',
          subjectType: 'lock',
          subjectId: lockId,
          detail: { ops: [{ op: 'set-programming', slot: 0, opId, confirmedBy: result.confirmedBy }] },
        });
      } else {
        await audit({
          action: 'sync.failed',
          subjectType: 'lock',
          subjectId: lockId,
          detail: {
            op: 'set-programming',
            slot: 0,
            opId,
            error: result.error,
            message: result.message,
            retryable: result.retryable,
          },
        });
      }
    });
    if (!result.ok) {
      this.stats.opsFailed++;
      return { ok: false, error: result.error, message: result.message };
    }
    this.stats.opsConfirmed++;
    this.schedule(lockId);
    return { ok: true, confirmedBy: result.confirmedBy };
  }

  #pump(): void {
    const limit = this.#o.concurrency ?? 16;
    const batch = this.#o.batchSize ?? 256;
    while (this.#workers < limit && this.#order.length > 0) {
      // Several locks waiting (a schedule boundary shared by many, a sweep): one batch. A lock a
      // batch handed back (first contact, intents to read back, a move) gets a pass of its own.
      const ids: string[] = [];
      const rest: string[] = [];
      const first = this.#order[0]!;
      if (this.#alone.has(first)) {
        ids.push(first);
        rest.push(...this.#order.slice(1));
      } else {
        for (const id of this.#order) {
          if (ids.length < batch && !this.#alone.has(id)) ids.push(id);
          else rest.push(id);
        }
      }
      this.#order.splice(0, this.#order.length, ...rest);
      for (const id of ids) {
        this.#queued.delete(id);
        this.#alone.delete(id);
      }
      if (ids.length === 1) void this.#startPass(ids[0]!).catch(() => {});
      else void this.#startBatch(ids).catch(() => {});
    }
    if (this.idle()) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #startPass(lockId: string): Promise<PassReport> {
    this.#workers++;
    const p = this.#pass(lockId).finally(() => {
      this.#workers--;
      this.#running.delete(lockId);
      if (this.#again.delete(lockId)) this.schedule(lockId);
      this.#pump();
    });
    this.#running.set(lockId, p);
    return p;
  }

  #startBatch(lockIds: string[]): Promise<Map<string, PassReport>> {
    this.#workers++;
    const b = this.#batch(lockIds).finally(() => {
      this.#workers--;
      for (const id of lockIds) this.#running.delete(id);
      for (const id of lockIds) if (this.#again.delete(id)) this.schedule(id);
      this.#pump();
    });
    for (const id of lockIds)
      this.#running.set(
        id,
        b.then((r) => r.get(id)!),
      );
    // Callers waiting on one lock see the batch's failure; nobody else must.
    for (const id of lockIds) this.#running.get(id)!.catch(() => {});
    return b;
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
      const p = await loadLockPicture(this.#ctx, lockId, this.#open);
      if (!p) return { ...report, converged: true };
      const step = await this.#prepare(p, report, false);
      if (step.kind === 'done') return step.report;
      if (step.kind !== 'send') continue; // 'fallback' is only given to a batch
      const sent = (await this.#send([step])).get(lockId);
      if (sent instanceof Error) throw sent;
      if (sent) return this.#sent(step);
    }
    return report;
  }

  /**
   * One round of a pass up to the ops to send: first contact, unresolved intents, blocked codes,
   * moves, manual locks and locks with nothing to send are dealt with here. In a batch, what
   * needs the lock's radio for reading or another round is left to a pass of its own.
   */
  async #prepare(p: LockSyncPicture, report: PassReport, batch: boolean): Promise<Step> {
    if (this.#o.mayWork && !this.#o.mayWork(p.siteId)) return { kind: 'done', report };
    const model = getModel(p.model);
    const now = this.#o.clock.now();
    const driver = this.#driver(p);
    if (driver) {
      // Whatever asked for this pass (an event, a sweep, a register edit), a lock that stopped
      // answering is not sent a frame before its back-off runs out.
      const reach = this.#reach.get(p.lockId);
      if (reach && reach.nextAttemptAt > now) {
        if (p.readAt === null) await this.#showUnreached(p, model, now);
        this.#wakes.wake(p.lockId, reach.nextAttemptAt);
        return { kind: 'done', report };
      }
      if (batch && (p.readAt === null || p.reread || p.intents.length > 0)) return { kind: 'fallback' };
      if (p.readAt === null || p.reread) {
        if (!(await this.#fullRead(p, driver, model))) return { kind: 'done', report };
        return { kind: 'again' };
      }
      if (p.intents.length > 0) {
        const resolved = await this.#resolveIntents(p, driver, model);
        if (resolved) return { kind: 'again' };
      }
    }
    const frozen = this.#frozen(p, now);
    const lp = planForLock(p, model, now, this.#policy, frozen);
    await this.#recordBlocked(p, lp);
    if (lp.moves.length > 0) {
      await this.#recordMoves(p, lp);
      return { kind: batch ? 'fallback' : 'again' };
    }
    if (!driver) {
      if (lp.plan.ops.length > 0 && this.#o.onManual) await this.#o.onManual(p, lp);
      this.#wakeLater(p, lp, frozen, now);
      return { kind: 'done', report: { ...report, converged: lp.plan.ops.length === 0 } };
    }
    if (lp.plan.ops.length === 0) {
      await this.#settleLeaving(p, lp);
      await this.#verify(p, driver, now);
      this.#wakeLater(p, lp, frozen, now);
      return { kind: 'done', report: { ...report, converged: frozen.size === 0 } };
    }
    // Two ops on one slot (a delete before a same-prefix replacement) go through a pass of
    // their own, one op at a time in the plan's order.
    const slots = lp.plan.ops.map((o) => (o.op === 'set-programming' ? 0 : o.slot));
    if (batch && new Set(slots).size !== slots.length) return { kind: 'fallback' };
    return { kind: 'send', p, lp, frozen, driver, model, now, report };
  }

  /** Every op of the lock confirmed: the lock holds the plan's end state. */
  async #sent(item: SendItem): Promise<PassReport> {
    // Anything that changed meanwhile (an event, a register edit) schedules another pass of its
    // own. Without a way to compute the checksum, take it now, while it describes the state just
    // confirmed.
    if (!item.driver.expectedChecksum)
      await this.#verify({ ...item.p, checksum: null }, item.driver, item.now, true);
    this.#wakeLater(item.p, item.lp, item.frozen, item.now);
    return { ...item.report, converged: item.frozen.size === 0 };
  }

  /**
   * Many locks due at once (a checkout at 11:00, a sweep): their pictures are read together,
   * their ops sent together, and any lock that needs more than one plain round gets a pass of
   * its own afterwards.
   */
  async #batch(lockIds: readonly string[]): Promise<Map<string, PassReport>> {
    await this.ready();
    this.stats.batches++;
    const out = new Map<string, PassReport>();
    const pictures = await loadLockPictures(this.#ctx, lockIds, this.#open);
    const items: SendItem[] = [];
    await Promise.all(
      lockIds.map(async (lockId) => {
        const report: PassReport = { lockId, sent: 0, confirmed: 0, failed: 0, converged: false };
        const p = pictures.get(lockId);
        if (!p) {
          out.set(lockId, { ...report, converged: true });
          return;
        }
        this.stats.passes++;
        let step: Step;
        try {
          step = await this.#prepare(p, report, true);
        } catch {
          this.#wakes.wake(lockId, this.#o.clock.now() + this.#backoff.baseMs * 8);
          return;
        }
        if (step.kind === 'send') items.push(step);
        else if (step.kind === 'done') out.set(lockId, step.report);
        else {
          this.#alone.add(lockId);
          this.#again.add(lockId);
        }
      }),
    );
    if (items.length > 0) {
      let ok: Map<string, boolean | Error>;
      try {
        ok = await this.#send(items);
      } catch (e) {
        ok = new Map(items.map((item) => [item.p.lockId, e as Error]));
      }
      for (const item of items) {
        const sent = ok.get(item.p.lockId);
        if (sent === true) out.set(item.p.lockId, await this.#sent(item));
        // The store failed: look again after a back-off, as a failed read of the lock does.
        else if (sent instanceof Error)
          this.#wakes.wake(item.p.lockId, this.#o.clock.now() + this.#backoff.baseMs * 8);
        else {
          // A failed op: the pass plans again around the slot, as a pass of its own would.
          this.#alone.add(item.p.lockId);
          this.#again.add(item.p.lockId);
        }
      }
    }
    for (const id of lockIds)
      if (!out.has(id)) out.set(id, { lockId: id, sent: 0, confirmed: 0, failed: 0, converged: false });
    return out;
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
    // A verification that failed is overdue, but the lock is left alone until its back-off ends.
    const reach = this.#reach.get(p.lockId);
    if (reach && reach.nextAttemptAt > now) at = Math.max(at, reach.nextAttemptAt);
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

  // ---- sending ops ---------------------------------------------------------------------------

  /**
   * Sends the plans of one or many locks. Every op's intent, status and audit row are written
   * first, in one transaction for all of them, so no frame leaves before its intent is stored.
   * Each lock's ops then go one after another (locks side by side), and each outcome is written
   * as soon as the driver confirms or refuses it; outcomes that arrive together share a
   * transaction (group commit) with set-based writes, which is what keeps a checkout at 11:00
   * sharp on a thousand locks inside a second. A lock stops at its first failure; its unsent ops
   * are withdrawn (intents dropped, statuses restored) and its pass plans again around the slot.
   */
  async #send(items: readonly SendItem[]): Promise<Map<string, boolean | Error>> {
    const ops: Array<{ item: SendItem; op: SlotOp }> = [];
    for (const item of items) {
      for (const op of item.lp.plan.ops) {
        if (op.op === 'set-programming') continue; // never planned: desired.programming is not set
        ops.push({ item, op });
      }
    }
    const sent = ops.map(({ item, op }) => {
      const before = item.p.reported.get(op.slot);
      const wanted = op.op === 'add' ? (item.lp.wanted.get(op.slot) ?? null) : null;
      return { item, op, wanted, leavingId: before?.credentialId ?? null, intentId: '' };
    });
    await syncChange(this.#ctx, async (trx, audit) => {
      const ids = await addIntents(
        this.#ctx,
        trx,
        sent.map((s) => ({
          lockId: s.item.p.lockId,
          slot: s.op.slot,
          kind: s.op.op,
          credentialId: s.wanted?.credentialId ?? s.leavingId,
          startedAt: s.item.now,
        })),
      );
      const patches: AssignmentPatch[] = [];
      sent.forEach((s, i) => {
        s.intentId = ids[i]!;
        const lockId = s.item.p.lockId;
        if (s.wanted)
          patches.push({
            credentialId: s.wanted.credentialId,
            lockId,
            patch: { status: 'setting', error: null },
          });
        if (s.leavingId && s.leavingId !== s.wanted?.credentialId && s.item.lp.leaving.has(s.leavingId))
          patches.push({ credentialId: s.leavingId, lockId, patch: { status: 'removing' } });
      });
      // Setting and removing keep a credential open on the lock: its cleared mark cannot change.
      await setAssignments(this.#ctx, trx, patches, { refreshCleared: false });
      // One row per lock, naming every op with the id its intent carries.
      for (const [lockId, mine] of groupByLock(sent)) {
        await audit({
          action: 'sync.send',
          subjectType: 'lock',
          subjectId: lockId,
          detail: {
            ops: mine.map((s) => ({
              op: s.op.op,
              slot: s.op.slot,
              opId: s.intentId,
              credentialId: s.wanted?.credentialId ?? null,
              replaces: s.leavingId,
            })),
          },
        });
      }
    });
    this.stats.opsSent += sent.length;
    const byLock = groupByLock(sent);
    const ok = new Map<string, boolean | Error>();
    await Promise.all(
      items.map(async (item) => {
        const mine = byLock.get(item.p.lockId) ?? [];
        const written: Array<Promise<void>> = [];
        let failed = false;
        for (const s of mine) {
          if (failed || (this.#o.mayWork && !this.#o.mayWork(item.p.siteId))) {
            failed = true;
            written.push(this.#outcomes.submit({ kind: 'unsent', s }));
            continue;
          }
          let result: WriteResult;
          try {
            result =
              s.op.op === 'add'
                ? await item.driver.setSlot(s.op.slot, s.op.code)
                : await item.driver.clearSlot(s.op.slot);
          } catch (e) {
            result = { ok: false, error: 'unconfirmed', message: (e as Error).message, retryable: true };
          }
          item.report.sent++;
          if (result.ok) {
            this.#reached(item.p.lockId);
            item.report.confirmed++;
            this.stats.opsConfirmed++;
            written.push(this.#outcomes.submit({ kind: 'confirmed', s, confirmedBy: result.confirmedBy }));
          } else {
            item.report.failed++;
            this.stats.opsFailed++;
            failed = true;
            const health = this.#nextHealth(
              item.p.health.get(s.op.slot),
              result.error,
              result.retryable,
              this.#o.clock.now(),
            );
            written.push(this.#outcomes.submit({ kind: 'failed', s, failure: result, health }));
          }
        }
        // An outcome the store could not take (it is down) leaves its intent: the lock's next
        // pass reads that slot back. One lock's trouble is not its neighbours'.
        const stored = await Promise.allSettled(written);
        const fault = stored.find((r) => r.status === 'rejected');
        ok.set(item.p.lockId, fault ? (fault.reason as Error) : !failed);
      }),
    );
    return ok;
  }

  /**
   * Group commit for outcomes: those submitted while a write is under way go together in the
   * next one. The drain starts in a microtask, not on a timer, so a simulated clock never moves
   * while an outcome is unwritten. A batch that fails is written again one outcome at a time, so
   * one bad outcome cannot fail its neighbours.
   */
  #submitOutcome(o: Outcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waitingOutcomes.push({ o, resolve, reject });
      if (this.#writingOutcomes) return;
      this.#writingOutcomes = true;
      queueMicrotask(() => void this.#drainOutcomes());
    });
  }

  async #drainOutcomes(): Promise<void> {
    try {
      while (this.#waitingOutcomes.length > 0) {
        const batch = this.#waitingOutcomes.splice(0, 4_000);
        try {
          await this.#writeOutcomes(batch.map((b) => b.o));
          for (const b of batch) b.resolve();
        } catch (e) {
          if (batch.length === 1) batch[0]!.reject(e);
          else for (const b of batch) await this.#writeOutcomes([b.o]).then(b.resolve, b.reject);
        }
      }
    } finally {
      this.#writingOutcomes = false;
    }
  }

  /** Writes outcomes of ops, from any number of locks, in one transaction. */
  async #writeOutcomes(outcomes: readonly Outcome[]): Promise<void> {
    const done: Outcome[] = [];
    await syncChange(this.#ctx, async (trx, audit) => {
      const confirmed = outcomes.filter((o) => o.kind === 'confirmed');
      const slotWrites: ReportedWriteMany[] = [];
      const patches: AssignmentPatch[] = [];
      const checksums = new Set<string>();
      for (const o of confirmed) {
        const { item, op, wanted } = o.s;
        const p = item.p;
        const before = p.reported.get(op.slot);
        if (p.health.has(op.slot)) await writeHealth(trx, p.lockId, null, op.slot);
        slotWrites.push({
          lockId: p.lockId,
          model: item.model,
          w: {
            slot: op.slot,
            code: op.op === 'add' ? op.code : undefined,
            credentialId: wanted?.credentialId ?? null,
            unmanaged: false,
          },
          remember: before?.code ?? null,
        });
        if (wanted)
          patches.push({
            credentialId: wanted.credentialId,
            lockId: p.lockId,
            patch: { status: 'set', error: null },
          });
        const gone = before?.credentialId;
        if (gone && gone !== wanted?.credentialId) {
          const still = [...item.lp.wanted.values()].some((w) => w.credentialId === gone);
          patches.push({
            credentialId: gone,
            lockId: p.lockId,
            patch: still ? { status: 'setting' } : { status: 'removed', error: null },
          });
        }
        // The stored checksum no longer describes the lock; the next verification takes a new one.
        if (p.checksum !== null) checksums.add(p.lockId);
      }
      await dropIntents(
        this.#ctx,
        trx,
        confirmed.map((o) => o.s.intentId),
      );
      await writeReportedMany(this.#ctx, trx, slotWrites);
      await setAssignments(this.#ctx, trx, patches);
      await clearChecksums(this.#ctx, trx, [...checksums]);
      for (const [lockId, mine] of groupByLock(
        confirmed.map((o) => ({ ...o.s, confirmedBy: o.confirmedBy })),
      )) {
        await audit({
          action: 'sync.confirmed',
          subjectType: 'lock',
          subjectId: lockId,
          detail: {
            ops: mine.map((s) => ({
              op: s.op.op,
              slot: s.op.slot,
              opId: s.intentId,
              confirmedBy: s.confirmedBy,
            })),
          },
        });
      }
      for (const o of outcomes) {
        const { item, op, wanted, leavingId, intentId } = o.s;
        const p = item.p;
        if (o.kind === 'confirmed') continue;
        if (o.kind === 'failed') {
          const { failure, health } = o;
          // Unconfirmed: the lock may or may not have it. The intent stays, so the next look at
          // this slot is a read-back, not a resend.
          if (failure.error !== 'unconfirmed') await dropIntent(trx, intentId);
          await writeHealth(trx, p.lockId, { ...health, slot: op.slot }, op.slot);
          if (wanted) {
            const status = failure.error === 'unconfirmed' ? 'setting' : 'unset';
            await setAssignment(this.#ctx, trx, wanted.credentialId, p.lockId, {
              status,
              error: failure.error,
            });
          } else if (leavingId && item.lp.leaving.has(leavingId)) {
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
              slot: op.slot,
              opId: intentId,
              error: failure.error,
              message: failure.message,
              retryable: failure.retryable,
              failures: health.failures,
              suspended: health.suspended,
              retryAt: health.suspended ? null : health.nextAttemptAt,
            },
          });
        } else {
          // Never sent: as if never planned.
          await dropIntent(trx, intentId);
          const prior = (id: string) => p.assignments.find((a) => a.credentialId === id);
          for (const id of [wanted?.credentialId, leavingId]) {
            const a = id ? prior(id) : undefined;
            if (a)
              await setAssignment(this.#ctx, trx, a.credentialId, p.lockId, {
                status: a.status,
                error: a.error,
              });
          }
          await audit({
            action: 'sync.withdrawn',
            subjectType: 'lock',
            subjectId: p.lockId,
            detail: { op: op.op, slot: op.slot, opId: intentId },
          });
        }
      }
      done.push(...confirmed);
    });
    for (const o of done) {
      o.s.item.p.checksum = null;
      this.#o.observer?.confirmed?.(o.s.item.p.lockId, o.s.op);
    }
  }

  #nextHealth(
    prev: SlotHealth | undefined,
    error: AccessCodeError,
    retryable: boolean,
    now: number,
  ): SlotHealth {
    const failures = (prev?.failures ?? 0) + 1;
    return {
      slot: prev?.slot ?? 0,
      failures,
      nextAttemptAt: now + this.#delay(failures, this.#random),
      suspended: !retryable || failures >= this.#backoff.suspendAfter,
      lastError: error,
    };
  }

  /**
   * Exponential and capped, with up to a quarter of jitter, so locks that failed together do not
   * retry together.
   */
  #delay(failures: number, random: Random): number {
    const exp = Math.min(this.#backoff.maxMs, this.#backoff.baseMs * 2 ** (failures - 1));
    return exp + Math.floor((exp / 4) * (random.int(1000) / 1000));
  }

  /**
   * The lock did not answer (a read, a checksum, or its driver said `unreachable`): back it off
   * and look again when that runs out. A failure reported while already backing off is the same
   * attempt told twice (the event and the call's own failure), so it does not count again.
   */
  #unreached(lockId: string, now: number): void {
    let r = this.#reach.get(lockId);
    if (!r || r.nextAttemptAt <= now) {
      const failures = (r?.failures ?? 0) + 1;
      r = { failures, nextAttemptAt: now + this.#delay(failures, this.#reachRandom) };
      this.#reach.set(lockId, r);
    }
    this.#wakes.wake(lockId, r.nextAttemptAt);
  }

  /** The lock answered: its next failure backs off from the start again. */
  #reached(lockId: string): void {
    this.#reach.delete(lockId);
  }

  /**
   * A lock never read cannot be planned against, so its pending codes would sit `unset` with no
   * sign of why: they show the retryable error of a write that could not reach the lock, until a
   * read succeeds. Errors already shown (a blocked code) are left as they are.
   */
  async #showUnreached(p: LockSyncPicture, model: ModelProfile, now: number): Promise<void> {
    const patches = this.#unreachedPatches(p, model, now);
    if (patches.length === 0) return;
    await syncChange(this.#ctx, (trx) => setAssignments(this.#ctx, trx, patches, { refreshCleared: false }));
  }

  #unreachedPatches(p: LockSyncPicture, model: ModelProfile, now: number): AssignmentPatch[] {
    const lp = planForLock(p, model, now, this.#policy, this.#frozen(p, now));
    const wanted = new Set([...lp.wanted.values()].map((w) => w.credentialId));
    const patches: AssignmentPatch[] = [];
    for (const a of p.assignments) {
      if (a.error !== null) continue;
      const error: AccessCodeError | null =
        a.status === 'removing'
          ? 'failed_to_remove'
          : (a.status === 'unset' || a.status === 'setting') && wanted.has(a.credentialId)
            ? 'failed_to_set'
            : null;
      if (error) patches.push({ credentialId: a.credentialId, lockId: p.lockId, patch: { error } });
    }
    return patches;
  }

  // ---- reading back --------------------------------------------------------------------------

  /** First contact, or after "all codes deleted": read every slot once. */
  async #fullRead(p: LockSyncPicture, driver: LockDriver, model: ModelProfile): Promise<boolean> {
    let slots: Record<string, string | null>;
    try {
      slots = (await driver.read()).slots;
      this.stats.fullReads++;
    } catch (e) {
      const at = this.#o.clock.now();
      this.#unreached(p.lockId, at);
      const shown = p.readAt === null ? this.#unreachedPatches(p, model, at) : [];
      await syncChange(this.#ctx, async (trx, audit) => {
        if (shown.length > 0) await setAssignments(this.#ctx, trx, shown, { refreshCleared: false });
        await audit({
          action: 'sync.unreachable',
          subjectType: 'lock',
          subjectId: p.lockId,
          detail: {
            message: (e as Error).message,
            failures: this.#reach.get(p.lockId)?.failures ?? 1,
            retryAt: this.#reach.get(p.lockId)?.nextAttemptAt ?? null,
            shown: shown.length,
          },
        });
      });
      return false;
    }
    this.#reached(p.lockId);
    const now = this.#o.clock.now();
    await syncChange(this.#ctx, async (trx, audit) => {
      // The errors shown while the lock could not be read go: a failed write has a health row.
      const cleared = p.assignments.filter(
        (a) =>
          (a.error === 'failed_to_set' || a.error === 'failed_to_remove') &&
          (a.status === 'unset' || a.status === 'setting' || a.status === 'removing') &&
          !p.health.has(a.slot),
      );
      if (cleared.length > 0)
        await setAssignments(
          this.#ctx,
          trx,
          cleared.map((a) => ({ credentialId: a.credentialId, lockId: p.lockId, patch: { error: null } })),
          { refreshCleared: false },
        );
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
        this.#reached(p.lockId);
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
      // Not verified: looked at again when the lock's back-off runs out, not on the next event.
      this.#unreached(p.lockId, this.#o.clock.now());
      return;
    }
    this.#reached(p.lockId);
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
    // A failure event is not news to act on at once: a pass now would only meet the same silence
    // (a tight loop). It backs the lock off like a failed read; the pass comes when that runs out.
    // Anything else the lock sends shows it is awake and in range: the best moment to try it.
    if (e.type === 'unreachable') this.#unreached(lockId, this.#o.clock.now());
    else this.#reached(lockId);
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
    if (e.type !== 'battery' && e.type !== 'code-used' && e.type !== 'unreachable' && e.type !== 'fault')
      this.schedule(lockId);
  }
}
