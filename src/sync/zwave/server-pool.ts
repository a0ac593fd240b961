import type { TimerClock } from '../clock.js';
import type { ServerConnection } from './server-connection.js';

export interface ServerPoolLimits {
  /** Connections no lock uses (discovery's) kept open at most; the least recently used goes first. */
  maxIdle?: number;
  /** A connection no lock uses is closed this long after its last use (ms). */
  idleMs?: number;
}

export const DEFAULT_POOL_LIMITS: Required<ServerPoolLimits> = { maxIdle: 4, idleMs: 60_000 };

interface Entry {
  connection: Promise<ServerConnection>;
  /** Lock drivers on it: while any, it stays open. */
  users: number;
  lastUsed: number;
  cancelIdle: (() => void) | undefined;
}

/**
 * The zwave-js-server connections of one process. A lock's connection stays while the lock is
 * driven (their number is the register's, which only an admin extends with new addresses);
 * one opened only to list a network's nodes is closed once idle, and at most `maxIdle` of those
 * are open at once, so the set of open connections cannot be grown from outside.
 */
export class ServerPool {
  private readonly entries = new Map<string, Entry>();
  private readonly limits: Required<ServerPoolLimits>;

  constructor(
    private readonly clock: TimerClock,
    private readonly open: (url: string) => Promise<ServerConnection>,
    /** A connection the pool closed because it was idle or evicted. */
    private readonly onDropped: (url: string, why: string) => void,
    limits: ServerPoolLimits = {},
  ) {
    this.limits = { ...DEFAULT_POOL_LIMITS, ...limits };
  }

  /** The connection to this server, opened if needed; `forLock` keeps it open until released. */
  acquire(url: string, forLock: boolean): Promise<ServerConnection> {
    let entry = this.entries.get(url);
    const created = !entry;
    if (!entry) {
      entry = { connection: this.open(url), users: 0, lastUsed: 0, cancelIdle: undefined };
      this.entries.set(url, entry);
      const held = entry;
      // A connection that fails or closes is forgotten, so the next use connects again.
      held.connection.then(
        (c) => c.onClose(() => this.forget(url, held)),
        () => this.forget(url, held),
      );
    }
    entry.lastUsed = this.clock.now();
    entry.cancelIdle?.();
    entry.cancelIdle = undefined;
    if (forLock) entry.users++;
    if (created) this.trim(url);
    return entry.connection;
  }

  /** A lock driver stopped using its connection. */
  release(url: string, connection: Promise<ServerConnection>): void {
    const entry = this.entries.get(url);
    if (!entry || entry.connection !== connection) return;
    entry.users = Math.max(0, entry.users - 1);
    this.idle(url);
  }

  /** Discovery is done with it: closed after idleMs unless used again. */
  idle(url: string): void {
    const entry = this.entries.get(url);
    if (!entry || entry.users > 0) return;
    entry.lastUsed = this.clock.now();
    entry.cancelIdle?.();
    entry.cancelIdle = this.clock.at(entry.lastUsed + this.limits.idleMs, () => {
      if (this.entries.get(url) === entry && entry.users === 0)
        this.drop(url, entry, 'closed after a minute unused');
    });
  }

  /** How many connections are open or opening (tests, the status page). */
  get size(): number {
    return this.entries.size;
  }

  has(url: string): boolean {
    return this.entries.has(url);
  }

  private forget(url: string, entry: Entry): void {
    if (this.entries.get(url) !== entry) return;
    entry.cancelIdle?.();
    this.entries.delete(url);
  }

  private trim(keep: string): void {
    const idle = [...this.entries.entries()]
      .filter(([url, e]) => url !== keep && e.users === 0)
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    // The one just opened counts too, when no lock uses it.
    const limit = this.limits.maxIdle - ((this.entries.get(keep)?.users ?? 0) === 0 ? 1 : 0);
    for (const [url, entry] of idle.slice(0, Math.max(0, idle.length - limit)))
      this.drop(url, entry, 'closed to make room for another Z-Wave server');
  }

  private drop(url: string, entry: Entry, why: string): void {
    this.forget(url, entry);
    entry.connection.then(
      async (c) => {
        await c.close();
        this.onDropped(url, why);
      },
      () => undefined,
    );
  }

  /** Every connection, for closing; the pool is empty after. */
  takeAll(): Array<[string, Promise<ServerConnection>]> {
    const all = [...this.entries.entries()].map(([url, e]) => {
      e.cancelIdle?.();
      return [url, e.connection] as [string, Promise<ServerConnection>];
    });
    this.entries.clear();
    return all;
  }
}
