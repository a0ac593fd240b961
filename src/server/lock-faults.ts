import type { LockFault } from '../core/access/lock-state.js';
import type { SyncEvent, SyncListener } from '../sync/events.js';

/**
 * What sync last said of each lock as a whole, heard on its events port: a lock that does not
 * answer, or a pass that failed. Anything showing the lock answered clears it. Kept in memory:
 * the reconciler of this process is the one that knows, and it tells again after a restart.
 */
export class LockFaults {
  readonly #faults = new Map<string, LockFault>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * A failed pass is retried with back-off and reported again while it keeps failing; one that is
   * not repeated within this time has passed (a pass with nothing to send says nothing).
   */
  static readonly ERROR_SHOWN_MS = 10 * 60_000;

  get(lockId: string): LockFault | null {
    const f = this.#faults.get(lockId);
    if (!f) return null;
    if (f.kind === 'error' && this.#now() - f.at > LockFaults.ERROR_SHOWN_MS) {
      this.#faults.delete(lockId);
      return null;
    }
    return f;
  }

  readonly listener: SyncListener = (e: SyncEvent) => {
    switch (e.type) {
      case 'unreachable':
        this.#faults.set(e.lockId, { kind: 'unreachable', message: e.message, at: this.#now() });
        break;
      case 'error':
        // A fault the driver reported and handled itself is the audit log's business, not a state.
        if (
          e.lockId &&
          !e.reported &&
          e.during !== 'listener' &&
          this.#faults.get(e.lockId)?.kind !== 'unreachable'
        )
          this.#faults.set(e.lockId, { kind: 'error', message: e.message, at: this.#now() });
        break;
      case 'reachable':
      case 'op-confirmed':
      case 'slots-read':
      case 'slot-read-back':
      case 'lock-event':
        this.#faults.delete(e.lockId);
        break;
      default:
        break;
    }
  };
}
