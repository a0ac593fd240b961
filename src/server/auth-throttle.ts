import type { Store } from '../store/index.js';
import { knownCredentials } from '../store/sessions.js';
import { countSignInAttempt, pruneSignInAttempts, refundSignInAttempt } from '../store/sign-in-attempts.js';

export interface ThrottleOptions {
  /** Lookups of unknown secrets one client address may cause per window. */
  maxFailures?: number;
  windowMs?: number;
  /** How old the list of valid secrets may be when a throttled address presents one. */
  snapshotMs?: number;
  now?: () => number;
}

/** The database side of the throttle (store/sign-in-attempts.ts, store/sessions.ts). */
export interface ThrottleStore {
  count(address: string, windowStart: number): Promise<number>;
  refund(address: string, windowStart: number): Promise<void>;
  prune(before: number): Promise<void>;
  known(): Promise<Set<string>>;
}

export function throttleStore(store: Store): ThrottleStore {
  return {
    count: (address, windowStart) => countSignInAttempt(store.ctx, address, windowStart),
    refund: (address, windowStart) => refundSignInAttempt(store.ctx, address, windowStart),
    prune: (before) => pruneSignInAttempts(store.ctx, before),
    known: () => knownCredentials(store.ctx),
  };
}

export type Checked<T> =
  | { kind: 'found'; value: T }
  | { kind: 'unknown' }
  | { kind: 'limited'; retryAfterMs: number };

/**
 * Sign-in attempts per client address, counted before the secret is looked up.
 *
 * Two counters, both taken before the lookup. In this process a plain map, incremented
 * synchronously: a burst of thousands of concurrent requests cannot all pass the check before
 * any of them is counted. Behind it, while the address is still within its allowance here, one
 * row per address and window in the database, incremented and read in one statement: instances
 * sharing a PostgreSQL database meet one limit. A burst therefore reaches the token table at
 * most `maxFailures` times per window, whatever the number of instances, and the counter row at
 * most `maxFailures` times per instance. A secret that signs in gives its attempt back.
 *
 * Over the limit, nothing is refused for being over the limit alone: the secret is compared
 * with the list of every valid secret's hash (read at most once per `snapshotMs`, whatever the
 * flood), and only one found there is looked up. So a valid token is never refused for
 * someone else's failures from the same address (everyone behind one proxy, say), while a
 * flood of wrong ones costs the database one read per `snapshotMs`.
 */
export class SignInThrottle {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly snapshotMs: number;
  private readonly now: () => number;
  private window = Number.NEGATIVE_INFINITY;
  private readonly local = new Map<string, number>();
  private known: Set<string> | null = null;
  private knownAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<Set<string>> | null = null;

  constructor(
    private readonly db: ThrottleStore,
    opts: ThrottleOptions = {},
  ) {
    this.maxFailures = opts.maxFailures ?? 20;
    this.windowMs = opts.windowMs ?? 60_000;
    this.snapshotMs = opts.snapshotMs ?? 5_000;
    this.now = opts.now ?? Date.now;
  }

  /** `lookup` runs only when this attempt is allowed: within the allowance, or a known secret. */
  async check<T>(address: string, hash: string, lookup: () => Promise<T | null>): Promise<Checked<T>> {
    const t = this.now();
    const windowStart = Math.floor(t / this.windowMs) * this.windowMs;
    if (windowStart !== this.window) this.newWindow(windowStart);
    const retryAfterMs = windowStart + this.windowMs - t;
    const used = this.local.get(address) ?? 0;
    // Bounded memory: past this many addresses in one window, new ones go the known-secret way.
    const full = used === 0 && this.local.size >= 100_000;
    if (used >= this.maxFailures || full) return this.overLimit(hash, lookup, retryAfterMs);
    this.local.set(address, used + 1);
    const shared = await this.db.count(address, windowStart);
    if (shared > this.maxFailures) {
      // Other instances used the allowance: stop asking the database about this address here.
      if (this.window === windowStart) this.local.set(address, this.maxFailures);
      return this.overLimit(hash, lookup, retryAfterMs);
    }
    const value = await lookup();
    if (value === null) return { kind: 'unknown' };
    if (this.window === windowStart) this.local.set(address, Math.max(0, (this.local.get(address) ?? 1) - 1));
    await this.db.refund(address, windowStart);
    return { kind: 'found', value };
  }

  /** A credential was revoked or a session ended: the next throttled check reads the list again. */
  forget(): void {
    this.known = null;
  }

  private newWindow(windowStart: number): void {
    this.window = windowStart;
    this.local.clear();
    // Rows of ended windows are of no use to any instance; a failure here costs nothing.
    this.db.prune(windowStart - this.windowMs).catch(() => {});
  }

  private async overLimit<T>(
    hash: string,
    lookup: () => Promise<T | null>,
    retryAfterMs: number,
  ): Promise<Checked<T>> {
    const known = await this.knownSecrets();
    if (!known.has(hash)) return { kind: 'limited', retryAfterMs };
    const value = await lookup();
    return value === null ? { kind: 'limited', retryAfterMs } : { kind: 'found', value };
  }

  private async knownSecrets(): Promise<Set<string>> {
    if (this.known && this.now() - this.knownAt < this.snapshotMs) return this.known;
    if (!this.loading) {
      const at = this.now();
      this.loading = this.db
        .known()
        .then((set) => {
          this.known = set;
          this.knownAt = at;
          return set;
        })
        .finally(() => {
          this.loading = null;
        });
    }
    return this.loading;
  }
}
