import type { PlanOp } from '../core/plan/index.js';
import { type Random, seededRandom } from '../core/ports.js';
import type { Store } from '../store/index.js';
import { type LockSyncPicture, locksWithIntents, syncLocks } from '../store/sync-state.js';
import type { TimerClock } from './clock.js';
import type { DriverEvent, LockDriver } from './driver.js';
import { type SyncEvent, SyncEvents, type SyncListener } from './events.js';
import { onLockEvent } from './lock-events.js';
import { DEFAULT_POLICY, type LockPlan, type SyncPolicy } from './lock-plan.js';
import { openedCodes } from './opened-codes.js';
import { Passes } from './pass.js';
import { type ProgrammingCodeResult, setProgrammingCode } from './programming-code.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, Reachability } from './reach.js';
import { noStats, type PassReport, type ReconcilerStats, Runtime } from './runtime.js';
import { Sender } from './send.js';
import { WorkQueue } from './work-queue.js';

export type { BackoffPolicy, PassReport, ReconcilerStats, SyncEvent, SyncListener };
export { DEFAULT_BACKOFF };

/**
 * The reconciler: makes every lock hold what the register wants, level-triggered. This file is
 * its public face only; each part has a module of its own (src/sync):
 *
 *   reconciler.ts        the facade: start, stop, sweep, schedule, syncLock, resumeSlot,
 *                        setProgrammingCode, idle, whenIdle, stats, events
 *   work-queue.ts        every requeue decision: batching, one pass per lock at a time, re-runs,
 *                        retry after a store fault, wake times (wake-queue.ts)
 *   pass.ts              a pass over one lock (round after round) or a batch of locks
 *   round.ts             pure: preparing a round (wait, read, read back, plan; blocked codes,
 *                        moves, leaving codes settled, when to look next)
 *   learn-slot.ts        pure: what one slot holds -> outcome and register writes
 *   outcomes.ts          pure: ops to send -> intents and statuses; confirmed, failed and unsent
 *                        outcomes -> register writes
 *   send.ts              sending ops, outcomes written together (src/store/group-commit.ts)
 *   verify.ts            reading back: every slot, one slot's unknown outcome, checksums
 *   reach.ts             back-off: pure delay and next slot health; per-lock reachability
 *   lock-events.ts       a lock's event -> register writes and events (pure), and its handling
 *   programming-code.ts  changing a lock's programming code
 *   events.ts            the SyncEvent union, the port, and the events -> audit rows mapping
 *   runtime.ts           what the parts of a pass share; commit (writes + audit rows, one
 *                        transaction, then the listeners)
 *   lock-plan.ts         pure: register + lock -> the plan (src/core does the planning)
 *
 * and in src/store: sync-writes.ts (the SyncWrite union and applySyncWrites), sync-picture.ts
 * (one lock's picture: what the register wants and the lock last reported), sync-queries.ts (the
 * other reads), group-commit.ts; the tables are migration 0005's (migrations.ts).
 *
 * Decisions are pure and return writes as data (src/store/sync-writes.ts: SyncWrite); one store
 * function applies them set-based in one transaction with their audit rows (applySyncWrites).
 * An op is sent only once its intent is stored, and done only once the driver confirms it
 * (notification or read-back, never an ack). Passes start from events, schedule boundaries and
 * back-offs held in one wake queue; a lock with nothing happening costs no frames.
 *
 * Everything that happens leaves through `events` (see events.ts):
 *     const unsubscribe = reconciler.events.subscribe((e) => log(e));
 */
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
  /** A listener subscribed from the start (the same as events.subscribe). */
  onEvent?: SyncListener;
  /** Timing hooks for benchmarks and metrics. */
  observer?: {
    woken?: (lockId: string) => void;
    confirmed?: (lockId: string, op: PlanOp) => void;
  };
}

export class Reconciler {
  readonly stats: ReconcilerStats = noStats();
  /** Everything sync reports (lock events, ops, codes, errors): subscribe here. */
  readonly events = new SyncEvents();
  readonly #o: ReconcilerOptions;
  readonly #rt: Runtime;
  readonly #queue: WorkQueue;
  readonly #drivers = new Map<string, LockDriver | null>();
  readonly #unsubscribe: Array<() => void> = [];
  #stopped = false;
  #sweeping = false;

  constructor(opts: ReconcilerOptions) {
    this.#o = opts;
    if (opts.onEvent) this.events.subscribe(opts.onEvent);
    const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#rt = new Runtime({
      store: opts.store,
      clock: opts.clock,
      policy: { ...DEFAULT_POLICY, ...opts.policy },
      backoff,
      random: opts.random ?? seededRandom(7),
      // Its own jitter, apart from the slots', so their timing is unchanged.
      reach: new Reachability(backoff, seededRandom(11)),
      events: this.events,
      stats: this.stats,
      opts,
      open: openedCodes((sealed, aad) => opts.store.ctx.sealer.open(sealed, aad)),
      driver: (p) => this.#driver(p),
      knownDriver: (lockId) => this.#drivers.get(lockId),
      wake: (lockId, at) => this.#queue.wake(lockId, at),
      schedule: (lockId) => this.schedule(lockId),
    });
    const passes = new Passes(this.#rt, new Sender(this.#rt));
    this.#queue = new WorkQueue(
      opts.clock,
      {
        pass: (lockId) => passes.pass(lockId),
        batch: (lockIds) => passes.batch(lockIds),
      },
      {
        concurrency: opts.concurrency ?? 16,
        batchSize: opts.batchSize ?? 256,
        backoff,
        failed: (lockId, during, e) => this.#rt.error(lockId, during, e),
        woken: opts.observer?.woken,
      },
    );
  }

  /**
   * Looks at every given lock now (default: every lock in the register), locks with unresolved
   * intents first: after a restart, they are the ones whose last frame may or may not have landed.
   */
  async start(lockIds?: string[]): Promise<void> {
    const pending = await locksWithIntents(this.#o.store.ctx);
    const all = lockIds ?? (await syncLocks(this.#o.store.ctx)).map((l) => l.id);
    const chosen = new Set(all);
    for (const id of pending) if (chosen.has(id)) this.schedule(id);
    for (const id of all) this.schedule(id);
    const every = this.#o.sweepEveryMs;
    if (every && !this.#sweeping) {
      this.#sweeping = true;
      const clock = this.#o.clock;
      // One timer at a time, re-armed after each sweep (not one cancel hook kept per sweep).
      let cancel = () => {};
      const sweep = async () => {
        if (this.#stopped) return;
        try {
          await this.sweep();
        } catch (e) {
          // The store is down: told, and the next sweep tries again.
          this.#rt.error(null, 'sweep', e);
        }
        if (!this.#stopped) cancel = clock.at(clock.now() + every, sweep);
      };
      cancel = clock.at(clock.now() + every, sweep);
      this.#unsubscribe.push(() => cancel());
    }
  }

  /** Asks for a pass over every lock in the register that this instance may work on. */
  async sweep(): Promise<void> {
    const may = this.#o.mayWork;
    for (const l of await syncLocks(this.#o.store.ctx)) if (!may || may(l.siteId)) this.schedule(l.id);
  }

  stop(): void {
    this.#stopped = true;
    this.#queue.stop();
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  /** True when no pass is running or queued (timers may still be pending). */
  idle(): boolean {
    return this.#queue.idle();
  }

  whenIdle(): Promise<void> {
    return this.#queue.whenIdle();
  }

  /** Asks for a pass over the lock as soon as a worker is free. */
  schedule(lockId: string): void {
    if (!this.#stopped) this.#queue.schedule(lockId);
  }

  /** Runs one pass over the lock and waits for it (tests, CLI). */
  async syncLock(lockId: string): Promise<PassReport> {
    return this.#queue.runNow(lockId);
  }

  /** A suspended slot is tried again only when someone asks. */
  async resumeSlot(lockId: string, slot: number): Promise<void> {
    await this.#rt.commit({
      writes: [{ kind: 'slot-health', lockId, slot, health: null }],
      events: [{ type: 'slot-resumed', lockId, slot }],
    });
    this.schedule(lockId);
  }

  /**
   * Reads every slot of the lock again on its next pass, and starts that pass: someone asked to
   * check the lock now (Home Assistant's button), so the register is compared with the lock
   * itself, not with what Keyward last confirmed.
   */
  async recheck(lockId: string): Promise<void> {
    await this.#rt.commit({
      writes: [{ kind: 'lock-sync-state', lockId, patch: { reread: 1 } }],
      events: [],
    });
    this.schedule(lockId);
  }

  /** Changes a lock's programming code through its driver (see programming-code.ts). */
  async setProgrammingCode(lockId: string, code: string): Promise<ProgrammingCodeResult> {
    return setProgrammingCode(this.#rt, lockId, code);
  }

  #driver(p: { lockId: string; model: string; driver: string }): LockDriver | null {
    if (this.#drivers.has(p.lockId)) return this.#drivers.get(p.lockId)!;
    const d = this.#o.driverFor({ id: p.lockId, model: p.model, driver: p.driver });
    this.#drivers.set(p.lockId, d);
    if (d) this.#unsubscribe.push(d.onEvent((e) => this.#onEvent(p.lockId, e)));
    return d;
  }

  #onEvent(lockId: string, e: DriverEvent): void {
    if (this.#stopped) return;
    // onLockEvent reports its own failures (an error event); nothing else can reject here.
    void onLockEvent(this.#rt, lockId, e).catch((err) => this.#rt.error(lockId, `lock event ${e.type}`, err));
  }
}
