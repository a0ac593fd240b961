import type { TimerClock } from '../clock.js';
import type { LockFact } from './facts.js';

/** What a lock says about a write: the facts that answer a set or a clear. */
export type Outcome = Exclude<
  LockFact['fact'],
  'all-deleted' | 'used' | 'lockout' | 'programming-code-changed' | 'battery'
>;

interface Waiter {
  slot: number;
  op: 'set' | 'clear';
  resolve(outcome: Outcome | 'timeout'): void;
}

export interface PendingAnswer {
  /** Starts the time limit (once the frame is out) and waits for the answer or the limit. */
  arm(): Promise<Outcome | 'timeout'>;
  /** Gives up waiting (the frame never went out). */
  cancel(): void;
}

/**
 * Writes waiting for the lock's own notification, matched to what the lock then says. The time
 * limit runs on the clock port, so a simulated clock drives it without real waiting.
 */
export class NotificationWaits {
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly clock: TimerClock,
    private readonly waitMs: number,
  ) {}

  /**
   * Registers the wait before the frame goes out, so a notification racing the acknowledgement
   * is not lost; the time limit starts once the frame is out (`arm`).
   */
  expect(slot: number, op: 'set' | 'clear'): PendingAnswer {
    let cancelTimer: (() => void) | undefined;
    let settled = false;
    let settle: (outcome: Outcome | 'timeout') => void = () => undefined;
    const outcome = new Promise<Outcome | 'timeout'>((resolve) => {
      const waiter: Waiter = {
        slot,
        op,
        resolve: (result) => {
          settled = true;
          cancelTimer?.();
          this.waiters.delete(waiter);
          resolve(result);
        },
      };
      settle = waiter.resolve;
      this.waiters.add(waiter);
    });
    return {
      arm: () => {
        if (!settled) cancelTimer = this.clock.at(this.clock.now() + this.waitMs, () => settle('timeout'));
        return outcome;
      },
      cancel: () => settle('timeout'),
    };
  }

  /**
   * Hands a fact to the pending write it answers: by slot, or the only one when the lock gave
   * no slot. False when no write is waiting for it (someone at the keypad).
   */
  answer(fact: { fact: Outcome; slot: number | null }): boolean {
    const wanted: Waiter['op'] = fact.fact === 'deleted' ? 'clear' : 'set';
    const candidates = [...this.waiters].filter((w) => w.op === wanted);
    const waiter =
      fact.slot !== null
        ? candidates.find((w) => w.slot === fact.slot)
        : candidates.length === 1
          ? candidates[0]
          : undefined;
    if (!waiter) return false;
    waiter.resolve(fact.fact);
    return true;
  }

  /** Ends every wait as a timeout (the driver is closing). */
  endAll(): void {
    for (const waiter of [...this.waiters]) waiter.resolve('timeout');
  }
}
