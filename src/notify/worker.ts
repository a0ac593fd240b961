import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type ActivityEvent, activityByIds } from '../store/activity.js';
import type { Store } from '../store/index.js';
import { claimDue, type Finish, finishDeliveries, nextDueAt } from '../store/outbox.js';
import type { OutboxTable } from '../store/schema.js';
import { type Subscription, subscriptionWithSecret } from '../store/subscriptions.js';
import { type ChannelOptions, Channels, type Sent } from './channels.js';
import { messageFor, testMessage } from './messages.js';
import { localTime, Places } from './places.js';
import { retryDelay } from './retry.js';

export interface NotifierOptions extends ChannelOptions {
  store: Store;
  /** Where the UI is served (links in messages), without a trailing slash. */
  baseUrl: string;
  /** This worker's name in leases (default host-pid-random). */
  holder?: string;
  /** How long a claimed delivery is this worker's (ms). */
  leaseMs?: number;
  /** Deliveries claimed at once. */
  batch?: number;
  /** Longest sleep when nothing is due: another instance may have queued something. */
  idleMs?: number;
  onError?: (e: unknown) => void;
  /** After each attempt (tests, metrics). */
  onAttempt?: (deliveryId: string, sent: Sent) => void;
}

/**
 * Delivers the outbox. Claims due rows by lease (src/store/outbox.ts), so several workers, in
 * one process or many on one PostgreSQL database, never hold the same row; a worker killed
 * mid-delivery leaves rows whose lease runs out and are claimed again (at least once; the
 * receiver tells repeats apart by webhook-id). Woken at once when the recorder queues rows,
 * otherwise it sleeps until the next retry is due (at most idleMs).
 */
export class Notifier {
  readonly holder: string;
  readonly #o: NotifierOptions;
  readonly #channels: Channels;
  readonly #places: Places;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #woken = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: NotifierOptions) {
    this.#o = opts;
    this.holder = opts.holder ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.#channels = new Channels(opts);
    this.#places = new Places(opts.store, 5_000, this.#now);
  }

  readonly #now = () => (this.#o.now ?? Date.now)();

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Something was queued: look now. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    this.#channels.close();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let done = 0;
      try {
        done = await this.runOnce();
      } catch (e) {
        this.#o.onError?.(e);
        await this.#sleep(1_000);
        continue;
      }
      if (done > 0) continue;
      let wait = this.#o.idleMs ?? 5_000;
      try {
        const due = await nextDueAt(this.#o.store.ctx);
        if (due !== null) wait = Math.max(0, Math.min(wait, due - this.#now()));
      } catch (e) {
        this.#o.onError?.(e);
      }
      if (wait > 0) await this.#sleep(wait);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken || !this.#running) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#timer = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(this.#timer);
        this.#wake = null;
        this.#woken = false;
        resolve();
      };
    });
  }

  /** Claims one batch of due deliveries and makes them; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const ctx = this.#o.store.ctx;
    const now = this.#now();
    const rows = await claimDue(ctx, this.holder, now, this.#o.leaseMs ?? 60_000, this.#o.batch ?? 200);
    if (rows.length === 0) return 0;
    const events = await activityByIds(
      ctx,
      rows.flatMap((r) => (r.event_id ? [r.event_id] : [])),
    );
    const subs = new Map<string, { sub: Subscription; secret: string | null } | null>();
    for (const id of new Set(rows.map((r) => r.subscription_id)))
      subs.set(id, await subscriptionWithSecret(ctx, id));
    const finished = await Promise.all(
      rows.map((r) => this.#deliver(r, subs.get(r.subscription_id) ?? null, events)),
    );
    await finishDeliveries(ctx, this.holder, finished);
    return rows.length;
  }

  async #deliver(
    r: OutboxTable,
    s: { sub: Subscription; secret: string | null } | null,
    events: Map<string, ActivityEvent>,
  ): Promise<Finish & { at: number; durationMs: number }> {
    const started = this.#now();
    const t0 = performance.now();
    const event = r.event_id ? (events.get(r.event_id) ?? null) : null;
    if (!s || (!s.sub.enabled && r.kind !== 'test') || (r.event_id && !event))
      return {
        id: r.id,
        outcome: 'failed',
        statusCode: null,
        error: !s
          ? 'the subscription was removed'
          : event
            ? 'the subscription is turned off'
            : 'the event was pruned',
        at: started,
        durationMs: 0,
      };
    const place = event ? await this.#places.get(event.lockId) : null;
    const message = event
      ? messageFor(event, {
          lockName: place?.lockName ?? null,
          time: localTime(event.at, place),
          baseUrl: this.#o.baseUrl,
        })
      : testMessage(this.#o.baseUrl, s.sub.name);
    const sent = await this.#channels.send({
      deliveryId: r.id,
      sub: s.sub,
      secret: s.secret,
      event,
      message,
    });
    this.#o.onAttempt?.(r.id, sent);
    const base = { id: r.id, at: started, durationMs: performance.now() - t0 };
    if (sent.outcome === 'delivered') return { ...base, outcome: 'delivered', statusCode: sent.statusCode };
    if (sent.outcome === 'gone')
      return {
        ...base,
        outcome: 'failed',
        statusCode: sent.statusCode,
        error: sent.error,
        disable: {
          subscriptionId: s.sub.id,
          reason: 'the receiver answered 410 Gone: it no longer wants these',
        },
      };
    // A test is tried once: its answer is what the person who pressed "send a test" wants to see.
    const delay = r.kind === 'test' ? null : retryDelay(r.attempts + 1, sent.retryAfterMs);
    if (delay === null) return { ...base, outcome: 'failed', statusCode: sent.statusCode, error: sent.error };
    return {
      ...base,
      outcome: 'retry',
      statusCode: sent.statusCode,
      error: sent.error,
      nextAttemptAt: started + delay,
    };
  }
}
