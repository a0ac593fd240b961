import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../src/sync/events.js';
import { SyncWorld } from './sync-harness.js';

let world: SyncWorld;
afterEach(async () => {
  await world?.close();
});

/** The store's next `times` write transactions fail as a database fault would. */
function failWrites(w: SyncWorld, times: number): void {
  const db = w.store.ctx.db;
  const transaction = db.transaction.bind(db);
  let left = times;
  db.transaction = (() => {
    if (left > 0) {
      left--;
      throw new Error('disk I/O error');
    }
    return transaction();
  }) as typeof db.transaction;
}

describe('the work queue', () => {
  it('tries a lone pass that hit a store fault again after a back-off, with no sweep to hide it', async () => {
    world = await SyncWorld.create({ reconciler: { backoff: { baseMs: 1_000 } } });
    const { id, sim } = await world.addLock('914');
    const cred = await world.store.addCredential({ name: 'Guest', code: '2947561', lockIds: [id] });
    failWrites(world, 1);
    world.reconciler.schedule(id);
    await world.settle(1_000);
    // The pass failed on the store: nothing on the lock yet.
    expect(Object.values(sim.lock.slots)).toEqual([]);
    // Eight base delays later it is tried again and converges.
    await world.settle(60_000);
    expect(Object.values(sim.lock.slots)).toEqual(['2947561']);
    expect((await world.statuses(cred.id))[0]).toMatchObject({ status: 'set', error: null });
  });

  it('backs a lock off longer each time the store fails its pass again, and converges once the store is back', async () => {
    world = await SyncWorld.create({ reconciler: { backoff: { baseMs: 1_000 } } });
    const errors: number[] = [];
    const told: SyncEvent[] = [];
    world.reconciler.events.subscribe((e) => {
      if (e.type !== 'error') return;
      told.push(e);
      errors.push(world.clock.now());
    });
    const { id, sim } = await world.addLock('914');
    await world.store.addCredential({ name: 'Guest', code: '2947561', lockIds: [id] });
    failWrites(world, 3);
    world.reconciler.schedule(id);
    await world.settle(10 * 60_000);
    expect(errors).toHaveLength(3);
    // Each failure told with its lock.
    for (const e of told) expect(e).toMatchObject({ type: 'error', lockId: id, during: 'pass' });
    // 8 s, then 16 s between the failures: the retries double.
    expect(errors[1]! - errors[0]!).toBe(8_000);
    expect(errors[2]! - errors[1]!).toBe(16_000);
    expect(Object.values(sim.lock.slots)).toEqual(['2947561']);
  });
});
