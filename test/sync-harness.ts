import { getModel } from '../src/core/catalog/index.js';
import { prefixKey } from '../src/core/codes/keypad.js';
import { factoryState, type LockState } from '../src/core/codes/lock-state.js';
import { seededRandom } from '../src/core/ports.js';
import { openStore, type Store } from '../src/store/index.js';
import { SimClock } from '../src/sync/clock.js';
import type { LockDriver } from '../src/sync/driver.js';
import { Reconciler, type ReconcilerOptions } from '../src/sync/reconciler.js';
import { SimLock, type SimLockOptions } from '../src/sync/sim-driver.js';

export const TEST_KEY = Buffer.alloc(32, 7);
/** 2026-11-27 00:00 UTC: schedules in the tests are written against it. */
export const T0 = Date.UTC(2026, 10, 27);

/** A register on an in-memory SQLite store, simulated locks and a reconciler on a SimClock. */
export class SyncWorld {
  readonly clock = new SimClock(T0);
  readonly sims = new Map<string, SimLock>();
  store!: Store;
  reconciler!: Reconciler;
  siteId!: string;

  static async create(
    opts: { db?: string; reconciler?: Partial<ReconcilerOptions> } = {},
  ): Promise<SyncWorld> {
    const w = new SyncWorld();
    w.store = await openStore({
      db: opts.db ?? ':memory:',
      secretKey: TEST_KEY,
      dataDir: '/nonexistent',
      env: {},
      now: () => w.clock.now(),
      actor: 'reconciler',
    });
    w.siteId = (await w.store.addSite({ name: 'Test site' })).id;
    w.reconciler = new Reconciler({
      store: w.store,
      clock: w.clock,
      driverFor: (lock) => w.sims.get(lock.id) ?? null,
      ...opts.reconciler,
    });
    await w.reconciler.ready();
    return w;
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

  /** Lets `ms` of simulated time pass, the reconciler working through every timer on the way. */
  async settle(ms = 60_000): Promise<void> {
    await this.clock.advance(ms);
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
    await this.store.close();
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
