import type { TimerClock } from './clock.js';
import { MinHeap } from './heap.js';

interface Wake {
  at: number;
  lockId: string;
}

/**
 * When each lock next needs a look: a schedule boundary, a back-off running out, a periodic
 * checksum. One heap and one armed timer for every lock, instead of a timer or a poll per lock.
 * A lock keeps only its earliest wake; later entries for it are dropped when they surface.
 */
export class WakeQueue {
  readonly #clock: TimerClock;
  readonly #heap = new MinHeap<Wake>((a, b) => a.at < b.at);
  readonly #earliest = new Map<string, number>();
  readonly #due: (lockId: string) => void;
  #cancel: (() => void) | null = null;
  #armedAt = Number.POSITIVE_INFINITY;
  #stopped = false;

  constructor(clock: TimerClock, due: (lockId: string) => void) {
    this.#clock = clock;
    this.#due = due;
  }

  get size(): number {
    return this.#earliest.size;
  }

  /** Asks for a look at `at`; an earlier request for the same lock wins. */
  wake(lockId: string, at: number): void {
    const known = this.#earliest.get(lockId);
    if (known !== undefined && known <= at) return;
    this.#earliest.set(lockId, at);
    this.#heap.push({ at, lockId });
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = null;
  }

  #arm(): void {
    if (this.#stopped) return;
    const top = this.#heap.peek();
    if (!top || top.at >= this.#armedAt) return;
    this.#cancel?.();
    this.#armedAt = top.at;
    this.#cancel = this.#clock.at(top.at, () => this.#fire());
  }

  #fire(): void {
    this.#cancel = null;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const now = this.#clock.now();
    for (;;) {
      const top = this.#heap.peek();
      if (!top || top.at > now) break;
      this.#heap.pop();
      if (this.#earliest.get(top.lockId) !== top.at) continue;
      this.#earliest.delete(top.lockId);
      this.#due(top.lockId);
    }
    this.#arm();
  }
}
