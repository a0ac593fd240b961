import type { TimerClock } from './clock.js';
import { type BackoffPolicy, storeRetryDelay } from './reach.js';
import type { PassReport } from './runtime.js';
import { WakeQueue } from './wake-queue.js';

/** What the queue runs: one lock's pass, or many locks due together as one batch. */
export interface PassRunner {
  pass(lockId: string): Promise<PassReport>;
  /** Per lock: its report, 'alone' (a pass of its own follows), or the store's error. */
  batch(lockIds: readonly string[]): Promise<Map<string, PassReport | 'alone' | Error>>;
}

export interface WorkQueueOptions {
  /** Passes (or batches of locks) worked on at once. */
  concurrency: number;
  /** Most locks taken together when several are due at once (1: never batch). */
  batchSize: number;
  backoff: BackoffPolicy;
  /** A pass or batch failed (the store is down): told with its lock; the lock is tried again. */
  failed: (lockId: string, during: string, error: unknown) => void;
  /** A lock's wake time came (benchmarks' timing hook). */
  woken?: (lockId: string) => void;
}

/**
 * Every requeue decision: which locks run now, together or alone, and when each runs again. One
 * pass per lock at a time (asked again while running: it runs once more after); locks asked for
 * in the same turn go as one batch, and a lock a batch hands back gets a pass of its own; wake
 * times (schedule boundaries, back-offs, verifications) sit in one WakeQueue on the clock; a pass
 * or batch that fails on the store is tried again after a back-off that doubles while it keeps
 * failing (a lone pass included, not only those of a batch).
 */
export class WorkQueue {
  readonly #o: WorkQueueOptions;
  readonly #clock: TimerClock;
  readonly #run: PassRunner;
  readonly #wakes: WakeQueue;
  readonly #queued = new Set<string>();
  readonly #order: string[] = [];
  readonly #running = new Map<string, Promise<PassReport>>();
  readonly #again = new Set<string>();
  /** Locks a batch handed back: their next pass is one of their own. */
  readonly #alone = new Set<string>();
  /** Store faults in a row per lock, for the retry back-off. */
  readonly #faults = new Map<string, number>();
  readonly #idleWaiters: Array<() => void> = [];
  #workers = 0;
  #pumpSoon = false;
  #stopped = false;

  constructor(clock: TimerClock, run: PassRunner, opts: WorkQueueOptions) {
    this.#clock = clock;
    this.#run = run;
    this.#o = opts;
    this.#wakes = new WakeQueue(clock, (id) => {
      opts.woken?.(id);
      this.schedule(id);
    });
  }

  /** A pass over the lock at `at` (kept if an earlier wake is already set). */
  wake(lockId: string, at: number): void {
    this.#wakes.wake(lockId, at);
  }

  stop(): void {
    this.#stopped = true;
    this.#wakes.stop();
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

  /** Runs one pass over the lock now (after the one running, if any) and waits for it. */
  async runNow(lockId: string): Promise<PassReport> {
    const running = this.#running.get(lockId);
    // Its failure is told (and retried) by #failed; this caller only waits for it to end.
    if (running) await running.catch(() => {});
    return this.#startPass(lockId);
  }

  #pump(): void {
    while (this.#workers < this.#o.concurrency && this.#order.length > 0) {
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
          if (ids.length < this.#o.batchSize && !this.#alone.has(id)) ids.push(id);
          else rest.push(id);
        }
      }
      this.#order.splice(0, this.#order.length, ...rest);
      for (const id of ids) {
        this.#queued.delete(id);
        this.#alone.delete(id);
      }
      // Failures are told and retried by #failed, inside #startPass and #startBatch.
      if (ids.length === 1) void this.#startPass(ids[0]!).catch(() => {});
      else void this.#startBatch(ids);
    }
    if (this.idle()) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #startPass(lockId: string): Promise<PassReport> {
    this.#workers++;
    const p = this.#run
      .pass(lockId)
      .then(
        (report) => {
          this.#faults.delete(lockId);
          return report;
        },
        (e: unknown) => {
          this.#failed(lockId, 'pass', e);
          throw e;
        },
      )
      .finally(() => {
        this.#workers--;
        this.#running.delete(lockId);
        if (this.#again.delete(lockId)) this.schedule(lockId);
        this.#pump();
      });
    this.#running.set(lockId, p);
    return p;
  }

  async #startBatch(lockIds: string[]): Promise<void> {
    this.#workers++;
    const b = this.#run.batch(lockIds);
    for (const id of lockIds) {
      const mine = b.then((r) => {
        const got = r.get(id);
        if (got instanceof Error) throw got;
        return got === 'alone' || got === undefined
          ? { lockId: id, sent: 0, confirmed: 0, failed: 0, converged: false }
          : got;
      });
      // Callers waiting on one lock (runNow) see its failure; it is told once, below.
      mine.catch(() => {});
      this.#running.set(id, mine);
    }
    let results: Map<string, PassReport | 'alone' | Error>;
    try {
      results = await b;
    } catch (e) {
      results = new Map(lockIds.map((id) => [id, e as Error]));
    }
    for (const id of lockIds) {
      const r = results.get(id);
      if (r instanceof Error) this.#failed(id, 'batch', r);
      else if (r === 'alone') {
        this.#alone.add(id);
        this.#again.add(id);
      } else this.#faults.delete(id);
    }
    this.#workers--;
    for (const id of lockIds) this.#running.delete(id);
    for (const id of lockIds) if (this.#again.delete(id)) this.schedule(id);
    this.#pump();
  }

  /** The store failed the lock's pass: told, and the lock is looked at again after a back-off. */
  #failed(lockId: string, during: string, e: unknown): void {
    const faults = (this.#faults.get(lockId) ?? 0) + 1;
    this.#faults.set(lockId, faults);
    this.#o.failed(lockId, during, e);
    if (!this.#stopped)
      this.#wakes.wake(lockId, this.#clock.now() + storeRetryDelay(this.#o.backoff, faults));
  }
}
