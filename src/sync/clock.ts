import type { Clock } from '../core/ports.js';
import { MinHeap } from './heap.js';

/**
 * The sync layer waits (latency, back-off, schedule boundaries), so it needs timers as well as
 * `now`. Everything in src/sync takes this port; tests and benchmarks pass a SimClock and run
 * days of schedule in milliseconds.
 */
export interface TimerClock extends Clock {
  /** Calls fn once at time `at` (or at once if that has passed); returns a cancel function. */
  at(at: number, fn: () => void): () => void;
  sleep(ms: number): Promise<void>;
}

/** setTimeout caps delays at 2^31-1 ms (about 24.8 days); longer waits are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The wall clock. `keepAlive`: whether a pending timer keeps the process running (a radio wait
 * must; the reconciler's sweeps and wakes must not hold a finished process open).
 */
export function wallClock(keepAlive: boolean): TimerClock {
  return {
    now: () => Date.now(),
    at(at, fn) {
      let handle: NodeJS.Timeout;
      const arm = () => {
        const delay = at - Date.now();
        handle = delay > MAX_DELAY ? setTimeout(arm, MAX_DELAY) : setTimeout(fn, Math.max(0, delay));
        if (!keepAlive) handle.unref?.();
      };
      arm();
      return () => clearTimeout(handle);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export const systemClock: TimerClock = wallClock(false);

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Lets every pending promise chain run before time moves (SQLite calls settle in microtasks). */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Time that moves only when told to, after xstate's SimulatedClock. Timers fire in time order,
 * ties in the order they were set. A binary heap keeps 100,000 pending timers cheap.
 */
export class SimClock implements TimerClock {
  #now: number;
  #seq = 0;
  readonly #heap = new MinHeap<Timer>(before);

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  at(at: number, fn: () => void): () => void {
    const timer: Timer = { at: Math.max(at, this.#now), seq: this.#seq++, fn, cancelled: false };
    this.#push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.at(this.#now + ms, resolve));
  }

  /** When the next live timer is due, or undefined when none is pending. */
  nextAt(): number | undefined {
    this.#dropCancelled();
    return this.#heap.peek()?.at;
  }

  /** Moves time to the next timer and fires every timer due then. False when none is pending. */
  fireNext(): boolean {
    const at = this.nextAt();
    if (at === undefined) return false;
    this.#now = Math.max(this.#now, at);
    while (this.#heap.size > 0 && this.#heap.peek()!.at <= this.#now) {
      const t = this.#pop()!;
      if (!t.cancelled) t.fn();
    }
    return true;
  }

  /** Moves time forward by ms, firing timers on the way and letting their work settle. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flush();
    for (;;) {
      const at = this.nextAt();
      if (at === undefined || at > target) break;
      this.fireNext();
      await flush();
    }
    this.#now = target;
    await flush();
  }

  /**
   * Runs until `done` holds, firing the next timer whenever the work in flight has settled.
   * Work that waits on real I/O (PostgreSQL) is given real time before the clock moves.
   */
  async runUntil(done: () => boolean, opts: { maxMs?: number; idle?: () => boolean } = {}): Promise<void> {
    const limit = this.#now + (opts.maxMs ?? Number.POSITIVE_INFINITY);
    for (;;) {
      await flush();
      await flush();
      if (done()) return;
      if (opts.idle && !opts.idle()) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      const at = this.nextAt();
      if (at === undefined) {
        await new Promise((r) => setTimeout(r, 1));
        if (this.nextAt() === undefined && !done() && !opts.idle) return;
        continue;
      }
      if (at > limit) return;
      this.fireNext();
    }
  }

  #push(t: Timer): void {
    this.#heap.push(t);
  }

  #pop(): Timer | undefined {
    return this.#heap.pop();
  }

  #dropCancelled(): void {
    while (this.#heap.size > 0 && this.#heap.peek()!.cancelled) this.#heap.pop();
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
