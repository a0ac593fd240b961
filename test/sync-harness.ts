import { createRequire } from 'node:module';
import pg from 'pg';
import { getModel } from '../src/core/catalog/index.js';
import { prefixKey } from '../src/core/codes/keypad.js';
import { factoryState, type LockState } from '../src/core/codes/lock-state.js';
import { seededRandom } from '../src/core/ports.js';
import { openStore, type Store } from '../src/store/index.js';
import { flush, SimClock } from '../src/sync/clock.js';
import type { LockDriver } from '../src/sync/driver.js';
import { Reconciler, type ReconcilerOptions } from '../src/sync/reconciler.js';
import { SimLock, type SimLockOptions } from '../src/sync/sim-driver.js';
import { createPgDatabase, createSqliteDatabase, type DialectName, type TestDb } from './store/dialects.js';

export const TEST_KEY = Buffer.alloc(32, 7);
/** 2026-11-27 00:00 UTC: schedules in the tests are written against it. */
export const T0 = Date.UTC(2026, 10, 27);

/**
 * Database work in progress, counted below the query builder so that time on the SimClock moves
 * only once the work a timer started has settled: PostgreSQL answers over a socket (real time),
 * and a SQLite pass may hop through several turns of the event loop (group commits).
 */
const activity = { inFlight: 0, statements: 0, waiters: [] as Array<() => void> };

function countStatements(proto: Record<string, unknown>, methods: string[]): void {
  for (const m of methods) {
    const orig = proto[m] as (...a: unknown[]) => unknown;
    proto[m] = function (this: unknown, ...args: unknown[]) {
      activity.statements++;
      return orig.apply(this, args);
    };
  }
}

function countInFlight(proto: Record<string, unknown>, method: string): void {
  const orig = proto[method] as (...a: unknown[]) => unknown;
  proto[method] = function (this: unknown, ...args: unknown[]) {
    const r = orig.apply(this, args) as Promise<unknown> | undefined;
    if (r && typeof r.then === 'function') {
      activity.inFlight++;
      const end = () => {
        activity.inFlight--;
        activity.statements++;
        if (activity.inFlight === 0) for (const w of activity.waiters.splice(0)) w();
      };
      r.then(end, end);
    }
    return r;
  };
}

{
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const probe = new Sqlite(':memory:');
  countStatements(Object.getPrototypeOf(probe.prepare('select 1')), ['run', 'all', 'get', 'iterate']);
  probe.close();
  countInFlight(pg.Client.prototype as unknown as Record<string, unknown>, 'query');
  // Kysely takes a client from the pool and queries it; the store's fast reads query the pool.
  for (const m of ['connect', 'query'])
    countInFlight(pg.Pool.prototype as unknown as Record<string, unknown>, m);
}

/**
 * Resolves once no query is in flight. A query that waits on a row another transaction holds
 * while it waits for simulated time would wait for ever (time moves only once the database is
 * idle): that fails here, named, instead of as a test time-out.
 */
function settled(limitMs = 15_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      activity.waiters.splice(activity.waiters.indexOf(done), 1);
      reject(
        new Error(
          `a database query has been in flight for ${limitMs} ms while simulated time stood still: ` +
            'is a transaction held open across a wait on the SimClock (a driver call, a sleep)?',
        ),
      );
    }, limitMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    activity.waiters.push(done);
  });
}

/**
 * Waits until the database has been idle for three turns of the event loop in a row, no query
 * in flight. Between timers this is what "the work settled" means on either dialect.
 */
export async function quiet(): Promise<void> {
  for (let calm = 0; calm < 3; ) {
    const before = activity.statements;
    await flush();
    if (activity.inFlight > 0) {
      await settled();
      calm = 0;
    } else calm = activity.statements === before ? calm + 1 : 0;
  }
}

export interface WorldOptions {
  /** SQLite in memory (default), or PostgreSQL on a database of its own, dropped on close. */
  dialect?: DialectName;
  /** For SQLite: a file instead of memory (`'file'`: a fresh one in a temporary directory). */
  db?: string;
  reconciler?: Partial<ReconcilerOptions>;
}

/** A register on a store (SQLite or PostgreSQL), simulated locks and a reconciler on a SimClock. */
export class SyncWorld {
  readonly clock = new SimClock(T0);
  readonly sims = new Map<string, SimLock>();
  store!: Store;
  reconciler!: Reconciler;
  siteId!: string;
  dialect: DialectName = 'sqlite';
  #db: TestDb | null = null;
  #reconcilerOpts: Partial<ReconcilerOptions> = {};

  static async create(opts: WorldOptions = {}): Promise<SyncWorld> {
    const w = new SyncWorld();
    w.dialect = opts.dialect ?? 'sqlite';
    let url = opts.db ?? ':memory:';
    if (w.dialect === 'postgres') {
      w.#db = await createPgDatabase();
      url = w.#db.url;
    } else if (opts.db === 'file') {
      w.#db = createSqliteDatabase();
      url = w.#db.url;
    }
    w.store = await openStore({
      db: url,
      secretKey: TEST_KEY,
      dataDir: '/nonexistent',
      env: {},
      now: () => w.clock.now(),
      actor: 'reconciler',
    });
    w.siteId = (await w.store.addSite({ name: 'Test site' })).id;
    w.#reconcilerOpts = opts.reconciler ?? {};
    w.reconciler = w.newReconciler();
    return w;
  }

  /** A reconciler on this world's store and locks (the world's options, overridden by `extra`). */
  newReconciler(extra: Partial<ReconcilerOptions> = {}): Reconciler {
    return new Reconciler({
      store: this.store,
      clock: this.clock,
      driverFor: (lock) => this.sims.get(lock.id) ?? null,
      ...this.#reconcilerOpts,
      ...extra,
    });
  }

  async addLock(
    model: string,
    sim: Partial<Omit<SimLockOptions, 'model' | 'clock'>> & { slots?: Record<string, string> } = {},
  ): Promise<{ id: string; sim: SimLock }> {
    const lock = await this.store.addLock({
      siteId: this.siteId,
      name: `Door ${this.sims.size + 1}`,
      model,
      driver: 'sim',
    });
    const initial: LockState = { ...factoryState(getModel(model)), slots: { ...(sim.slots ?? {}) } };
    const s = new SimLock({
      model,
      clock: this.clock,
      random: seededRandom(this.sims.size + 11),
      initial,
      ...sim,
    });
    this.sims.set(lock.id, s);
    return { id: lock.id, sim: s };
  }

  driver(id: string): LockDriver {
    return this.sims.get(id)!;
  }

  /**
   * Lets `ms` of simulated time pass, the reconciler working through every timer on the way:
   * timers due at one instant fire together, and time moves on once their work has settled.
   */
  async settle(ms = 60_000): Promise<void> {
    const target = this.clock.now() + ms;
    await quiet();
    for (;;) {
      const at = this.clock.nextAt();
      if (at === undefined || at > target) break;
      this.clock.fireNext();
      await quiet();
    }
    await this.clock.advance(target - this.clock.now());
  }

  async statuses(
    credentialId: string,
  ): Promise<Array<{ status: string; error: string | null; slot: number }>> {
    const c = await this.store.getCredential(credentialId);
    return c.locks.map((l) => ({ status: l.status, error: l.error, slot: l.slot }));
  }

  async audit(): Promise<Array<{ action: string; detail: Record<string, unknown> }>> {
    const rows = await this.store.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async close(): Promise<void> {
    this.reconciler.stop();
    await quiet();
    await this.store.close();
    await this.#db?.drop();
  }
}

/** Codes whose first four digits all differ, so any slot order is valid on the lock. */
export function distinctCodes(n: number, seed: number): string[] {
  const model = getModel('914');
  const seen = new Set<number>();
  const codes: string[] = [];
  let x = seed;
  while (codes.length < n) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const code = String(1_000_000 + (x % 9_000_000));
    const key = prefixKey(code, model);
    if (seen.has(key)) continue;
    seen.add(key);
    codes.push(code);
  }
  return codes;
}
