import type { Random } from '../core/ports.js';
import type { SlotHealth } from '../store/sync-state.js';
import type { AccessCodeError } from './driver.js';

/**
 * Back-off, for a slot whose writes fail and for a lock that does not answer: pure delay and
 * next-health functions, and the per-lock reachability kept in memory (after a restart a lock is
 * simply tried once more).
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Failures in a row before a slot is suspended (refusals that cannot change suspend at once). */
  suspendAfter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 3_600_000, suspendAfter: 5 };

/**
 * Exponential and capped, with up to a quarter of jitter, so locks that failed together do not
 * retry together. Draws one number from `random`.
 */
export function backoffDelay(b: BackoffPolicy, failures: number, random: Random): number {
  const exp = Math.min(b.maxMs, b.baseMs * 2 ** (failures - 1));
  return exp + Math.floor((exp / 4) * (random.int(1000) / 1000));
}

/** A slot's health after one more failure: backing off, or suspended. */
export function nextHealth(
  b: BackoffPolicy,
  prev: SlotHealth | undefined,
  error: AccessCodeError,
  retryable: boolean,
  now: number,
  random: Random,
): SlotHealth {
  const failures = (prev?.failures ?? 0) + 1;
  return {
    slot: prev?.slot ?? 0,
    failures,
    nextAttemptAt: now + backoffDelay(b, failures, random),
    suspended: !retryable || failures >= b.suspendAfter,
    lastError: error,
  };
}

/**
 * When a pass that failed on the store is tried again: no jitter (no draw from a Random, so the
 * slots' and locks' timings stay as they are), doubling from eight base delays.
 */
export function storeRetryDelay(b: BackoffPolicy, faults: number): number {
  return Math.min(b.maxMs, b.baseMs * 8 * 2 ** (faults - 1));
}

export interface Unreached {
  failures: number;
  nextAttemptAt: number;
  /** False: a failure told twice within one back-off (the event and the call's own failure). */
  counted: boolean;
}

/** Locks that did not answer a read or a checksum (or said `unreachable`), and until when. */
export class Reachability {
  readonly #locks = new Map<string, { failures: number; nextAttemptAt: number }>();

  constructor(
    private readonly backoff: BackoffPolicy,
    /** Jitter apart from the slots' own, so their timing is unchanged. */
    private readonly random: Random,
  ) {}

  /** When the lock may be tried again, if it is backing off. */
  until(lockId: string): number | undefined {
    return this.#locks.get(lockId)?.nextAttemptAt;
  }

  /** The lock did not answer at `now`: back it off (once per back-off). */
  unreached(lockId: string, now: number): Unreached {
    const r = this.#locks.get(lockId);
    if (r && r.nextAttemptAt > now) return { ...r, counted: false };
    const failures = (r?.failures ?? 0) + 1;
    const next = { failures, nextAttemptAt: now + backoffDelay(this.backoff, failures, this.random) };
    this.#locks.set(lockId, next);
    return { ...next, counted: true };
  }

  /** The lock answered: its next failure backs off from the start again. True if it was unreachable. */
  reached(lockId: string): boolean {
    return this.#locks.delete(lockId);
  }
}
