import { type ActivityInput, type RecordResult, recordActivity } from '../store/activity.js';
import type { Store } from '../store/index.js';
import type { SyncEvent, SyncListener } from '../sync/events.js';
import { activityOf } from './mapping.js';

export interface RecorderOptions {
  store: Store;
  now?: () => number;
  /** Events gathered before a write (one transaction per batch). */
  batchSize?: number;
  /** How long an event may wait for others to share its write, ms. */
  gatherMs?: number;
  /** After each write: the rows stored and the deliveries queued (the notifier wakes on it). */
  onRecorded?: (r: RecordResult) => void;
  /** A write that failed (the store is down): the events are kept and tried again. */
  onError?: (e: unknown) => void;
}

/**
 * Keeps every event of the locks and of sync as activity. A subscriber of sync's events port:
 * it maps each event (src/activity/mapping.ts, pure) and writes them in batches, one transaction
 * per batch with their notifications' outbox rows, so ten thousand events a second cost a few
 * hundred transactions, not ten thousand. Writes are serial; a failed write keeps its events
 * for the next one.
 */
export class ActivityRecorder {
  readonly #o: Required<Pick<RecorderOptions, 'batchSize' | 'gatherMs'>> & RecorderOptions;
  #pending: ActivityInput[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | null = null;
  #failures = 0;

  constructor(opts: RecorderOptions) {
    this.#o = { batchSize: 1_000, gatherMs: 20, ...opts };
  }

  /** The listener to subscribe to sync (SyncHandle.subscribe, reconciler.events.subscribe). */
  readonly listener: SyncListener = (e: SyncEvent) => {
    const now = (this.#o.now ?? Date.now)();
    for (const d of activityOf(e, now)) this.#pending.push(d);
    if (this.#pending.length >= this.#o.batchSize) this.#kick();
    else if (this.#pending.length > 0 && !this.#timer && !this.#writing)
      this.#timer = setTimeout(() => this.#kick(), this.#o.gatherMs);
  };

  /** Events waiting to be written. */
  get backlog(): number {
    return this.#pending.length;
  }

  /** Writes everything heard so far and waits for it. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0 || this.#writing) {
      if (!this.#writing) this.#kick();
      await this.#writing;
      if (this.#failures > 0 && this.#pending.length > 0) return;
    }
  }

  #kick(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#writing || this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.#o.batchSize * 4);
    this.#writing = recordActivity(this.#o.store.ctx, batch)
      .then((r) => {
        this.#failures = 0;
        this.#o.onRecorded?.(r);
      })
      .catch((e) => {
        this.#failures++;
        this.#pending.unshift(...batch);
        this.#o.onError?.(e);
      })
      .finally(() => {
        this.#writing = null;
        if (this.#pending.length === 0) return;
        // After a failure wait (up to 30 s) rather than hammer a database that is down.
        const wait = this.#failures > 0 ? Math.min(30_000, 250 * 2 ** this.#failures) : 0;
        if (this.#pending.length >= this.#o.batchSize && wait === 0) this.#kick();
        else this.#timer ??= setTimeout(() => this.#kick(), wait || this.#o.gatherMs);
      });
  }

  /** Writes what is pending, then stops. */
  async close(): Promise<void> {
    await this.flush().catch(() => {});
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
