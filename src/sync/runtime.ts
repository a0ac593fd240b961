import type { PlanOp } from '../core/plan/index.js';
import type { Random } from '../core/ports.js';
import type { StoreContext } from '../store/context.js';
import type { Store } from '../store/index.js';
import type { LockSyncPicture, Opener } from '../store/sync-state.js';
import { type Applied, applySyncWrites, type SyncWrite } from '../store/sync-writes.js';
import type { TimerClock } from './clock.js';
import type { LockDriver } from './driver.js';
import { auditRows, faultMessage, type SyncEvent, type SyncEvents } from './events.js';
import type { LockPlan, SyncPolicy } from './lock-plan.js';
import type { BackoffPolicy, Reachability } from './reach.js';

/** What a decision comes to: register writes, and the events that describe them (audit rows). */
export interface Effects {
  writes: SyncWrite[];
  events: SyncEvent[];
}

export function effects(): Effects {
  return { writes: [], events: [] };
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

/** The counters of a reconciler that has done nothing yet. */
export function noStats(): ReconcilerStats {
  return {
    passes: 0,
    batches: 0,
    opsSent: 0,
    opsConfirmed: 0,
    opsFailed: 0,
    fullReads: 0,
    slotReads: 0,
    checksums: 0,
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

export function emptyReport(lockId: string): PassReport {
  return { lockId, sent: 0, confirmed: 0, failed: 0, converged: false };
}

/** The options of a Reconciler that the parts of a pass read. */
export interface PassOptions {
  onManual?: (picture: LockSyncPicture, plan: LockPlan) => Promise<void>;
  verifyEveryMs?: number;
  mayWork?: (siteId: string) => boolean;
  observer?: {
    woken?: (lockId: string) => void;
    confirmed?: (lockId: string, op: PlanOp) => void;
  };
}

/** The parts a Runtime is made of (see Reconciler's constructor). */
export interface RuntimeParts {
  store: Store;
  clock: TimerClock;
  policy: SyncPolicy;
  backoff: BackoffPolicy;
  /** Slot back-off jitter (seeded 7 unless given). */
  random: Random;
  reach: Reachability;
  events: SyncEvents;
  stats: ReconcilerStats;
  opts: PassOptions;
  open: Opener;
  /** The lock's driver, created (and its events subscribed) on first use. */
  driver: (p: { lockId: string; model: string; driver: string }) => LockDriver | null;
  /** The driver already made for a lock, if any. */
  knownDriver: (lockId: string) => LockDriver | null | undefined;
  /** A pass over the lock at `at` (the wake queue). */
  wake: (lockId: string, at: number) => void;
  /** A pass over the lock as soon as possible. */
  schedule: (lockId: string) => void;
}

/**
 * What every part of a pass shares: the store, the clock, the policies, the locks' drivers and
 * reachability, the wake queue, the event port and the counters. One per Reconciler.
 */
export class Runtime {
  readonly store: Store;
  readonly clock: TimerClock;
  readonly policy: SyncPolicy;
  readonly backoff: BackoffPolicy;
  readonly random: Random;
  readonly reach: Reachability;
  readonly events: SyncEvents;
  readonly stats: ReconcilerStats;
  readonly opts: PassOptions;
  readonly open: Opener;
  readonly driver: RuntimeParts['driver'];
  readonly knownDriver: RuntimeParts['knownDriver'];
  readonly wake: RuntimeParts['wake'];
  readonly schedule: RuntimeParts['schedule'];

  constructor(parts: RuntimeParts) {
    this.store = parts.store;
    this.clock = parts.clock;
    this.policy = parts.policy;
    this.backoff = parts.backoff;
    this.random = parts.random;
    this.reach = parts.reach;
    this.events = parts.events;
    this.stats = parts.stats;
    this.opts = parts.opts;
    this.open = parts.open;
    this.driver = parts.driver;
    this.knownDriver = parts.knownDriver;
    this.wake = parts.wake;
    this.schedule = parts.schedule;
  }

  get ctx(): StoreContext {
    return this.store.ctx;
  }

  /**
   * Writes the effects and their audit rows in one transaction, then tells the listeners (unless
   * `publish` is false: the caller publishes them itself once it knows more).
   */
  async commit(e: Effects, publish = true): Promise<Applied> {
    const applied = await applySyncWrites(this.ctx, e.writes, auditRows(e.events));
    let adopted = 0;
    if (publish)
      this.events.publish(
        e.events.map((ev) =>
          ev.type === 'code-adopted' ? { ...ev, credentialId: applied.adopted[adopted++] ?? null } : ev,
        ),
      );
    return applied;
  }

  /** An event that writes nothing (an error, a lock reachable again). */
  report(event: SyncEvent): void {
    this.events.publish([event]);
  }

  /** The lock answered. */
  reached(lockId: string): void {
    if (this.reach.reached(lockId)) this.report({ type: 'reachable', lockId });
  }

  /** A failure no caller can act on: told with its lock. */
  error(lockId: string | null, during: string, e: unknown): void {
    this.report({ type: 'error', lockId, during, message: faultMessage(e) });
  }
}
