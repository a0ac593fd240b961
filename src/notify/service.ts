import { ActivityRecorder } from '../activity/recorder.js';
import { DEFAULT_RETENTION_DAYS, startRetention } from '../activity/retention.js';
import type { Store } from '../store/index.js';
import type { SyncListener } from '../sync/events.js';
import { Notifier } from './worker.js';

export interface NotificationOptions {
  /** Where the UI is served, for links in messages (read at each delivery). */
  baseUrl: string | (() => string);
  /** --allow-private-urls */
  allowPrivate?: boolean;
  smtpUrl?: string;
  smtpFrom?: string;
  /** --events-retention-days (default 365). */
  retentionDays?: number;
  onError?: (during: string, e: unknown) => void;
}

/**
 * Activity and notifications in one server: the recorder that sync's events port feeds, the
 * outbox worker it wakes, and the retention pruner. `listener` goes to sync (onEvent or
 * subscribe) before its first pass.
 */
export class NotificationService {
  readonly recorder: ActivityRecorder;
  readonly notifier: Notifier;
  readonly allowPrivate: boolean;
  readonly #retention: ReturnType<typeof startRetention>;

  constructor(store: Store, opts: NotificationOptions) {
    this.allowPrivate = opts.allowPrivate ?? false;
    this.notifier = new Notifier({
      store,
      baseUrl: opts.baseUrl,
      allowPrivate: this.allowPrivate,
      ...(opts.smtpUrl ? { smtpUrl: opts.smtpUrl } : {}),
      ...(opts.smtpFrom ? { smtpFrom: opts.smtpFrom } : {}),
      onError: (e) => opts.onError?.('delivering notifications', e),
    });
    this.recorder = new ActivityRecorder({
      store,
      onRecorded: (r) => {
        if (r.deliveries > 0) this.notifier.wake();
      },
      onError: (e) => opts.onError?.('recording activity', e),
    });
    this.#retention = startRetention(store, {
      days: opts.retentionDays ?? DEFAULT_RETENTION_DAYS,
      onError: (e) => opts.onError?.('pruning old activity', e),
    });
    this.notifier.start();
  }

  get listener(): SyncListener {
    return this.recorder.listener;
  }

  /** A delivery was queued or made due by hand (send a test, retry now). */
  wake(): void {
    this.notifier.wake();
  }

  async stop(): Promise<void> {
    this.#retention.stop();
    await this.recorder.close();
    await this.notifier.stop();
  }
}
