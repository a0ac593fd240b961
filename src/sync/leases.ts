import type { Store } from '../store/index.js';
import { recordLease, releaseLeases, siteIds, takeLease } from '../store/leases.js';
import type { TimerClock } from './clock.js';

export interface SiteLeasesOptions {
  store: Store;
  /** Wall time shared by every instance: leases compare expiry times written by others. */
  clock: TimerClock;
  /** This instance's name, unique among the instances sharing the database. */
  holder: string;
  ttlMs: number;
  /**
   * A renewal that failed (the database is down): the next one tries again, and until then the
   * leases held run out on their own. Told here so that it is seen, not swallowed.
   */
  onError?: (error: Error) => void;
}

/**
 * Several reconciler instances share the sites of one PostgreSQL (or SQLite) database by lease:
 * one row per site naming its holder and when the lease runs out. Taking a lease is one
 * conditional UPDATE (mine already, or expired) or an INSERT that loses quietly to a concurrent
 * one, so two instances never both hold a site. Leases are renewed every third of their time; an
 * instance that dies stops renewing and another takes its sites within one lease time plus one
 * renewal period. An op in flight when a lease changes hands is safe: its intent row is read
 * back by the new holder before anything is sent.
 */
export class SiteLeases {
  readonly #o: SiteLeasesOptions;
  readonly #held = new Map<string, number>();
  readonly #acquired: Array<(siteId: string) => void | Promise<void>> = [];
  #cancel: (() => void) | null = null;
  #stopped = false;

  constructor(opts: SiteLeasesOptions) {
    this.#o = opts;
  }

  holds(siteId: string): boolean {
    const until = this.#held.get(siteId);
    return until !== undefined && until > this.#o.clock.now();
  }

  held(): string[] {
    return [...this.#held.keys()].filter((s) => this.holds(s));
  }

  onAcquired(fn: (siteId: string) => void | Promise<void>): void {
    this.#acquired.push(fn);
  }

  async start(): Promise<void> {
    await this.tick();
  }

  /** Renews what this instance holds and takes any site whose lease has run out. */
  async tick(): Promise<void> {
    if (this.#stopped) return;
    const ctx = this.#o.store.ctx;
    const now = this.#o.clock.now();
    const expires = now + this.#o.ttlMs;
    const me = this.#o.holder;
    for (const id of await siteIds(ctx)) {
      const mine = await takeLease(ctx, id, me, now, expires);
      const had = this.holds(id);
      if (mine) {
        this.#held.set(id, expires);
        if (!had) {
          await recordLease(ctx, id, me, 'acquired');
          for (const fn of this.#acquired) await fn(id);
        }
      } else if (this.#held.delete(id)) {
        await recordLease(ctx, id, me, 'lost');
      }
    }
    if (!this.#stopped) {
      this.#cancel = this.#o.clock.at(this.#o.clock.now() + Math.floor(this.#o.ttlMs / 3), () => {
        void this.tick().catch((e: unknown) =>
          this.#o.onError?.(e instanceof Error ? e : new Error(String(e))),
        );
      });
    }
  }

  /** Gives the sites back at once, so another instance need not wait for expiry. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancel?.();
    await releaseLeases(this.#o.store.ctx, this.#o.holder);
    this.#held.clear();
  }
}
