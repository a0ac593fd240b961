import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/sync/clock.js';
import { Reconciler } from '../src/sync/reconciler.js';
import { SimLock } from '../src/sync/sim-driver.js';
import { bearer, type TestServer, testServer } from './support/server-app.js';

/**
 * A change made with PATCH reaches the locks through the reconciler, as a new code does: the lock
 * added gets the same code, the lock dropped lets go of it, the lock kept is not touched.
 */
describe('a code changed in place, as the locks see it', () => {
  let s: TestServer;
  let reconciler: Reconciler;
  const sims = new Map<string, SimLock>();
  let front: string;
  let back: string;

  beforeAll(async () => {
    s = await testServer('sqlite', { lockViewTtlMs: 0 });
    reconciler = new Reconciler({
      store: s.store,
      clock: systemClock,
      driverFor: (lock) => sims.get(lock.id) ?? null,
    });
    const site = await s.store.addSite({ name: 'Home' });
    for (const [name, model] of [
      ['Front door', '264'],
      ['Back door', '910'],
    ] as const) {
      const lock = await s.store.addLock({ siteId: site.id, name, model, driver: 'sim' });
      sims.set(lock.id, new SimLock({ model, clock: systemClock, latencyMs: 0 }));
      if (name === 'Front door') front = lock.id;
      else back = lock.id;
    }
  });
  afterAll(async () => {
    reconciler.stop();
    await s.close();
  });

  const patch = (id: string, payload: object) =>
    s.app.inject({
      method: 'PATCH',
      url: `/api/v1/credentials/${id}`,
      headers: bearer(s.tokens.manager),
      payload,
    });

  it('puts the same code on a lock added and takes it off a lock dropped', async () => {
    const c = await s.store.addCredential({ name: 'Cleaner', code: '582913', lockIds: [front] });
    await reconciler.syncLock(front);
    expect(sims.get(front)!.lock.slots).toEqual({ '1': '582913' });
    const writesBefore = sims.get(front)!.stats.writesReceived;

    expect((await patch(c.id, { lockIds: [front, back] })).statusCode).toBe(200);
    await reconciler.syncLock(back);
    await reconciler.syncLock(front);
    expect(sims.get(back)!.lock.slots).toEqual({ '1': '582913' });
    expect(sims.get(front)!.lock.slots).toEqual({ '1': '582913' });
    expect(sims.get(front)!.stats.writesReceived).toBe(writesBefore);

    expect((await patch(c.id, { lockIds: [back] })).statusCode).toBe(200);
    await reconciler.syncLock(front);
    expect(sims.get(front)!.lock.slots).toEqual({});
    const after = await s.store.getCredential(c.id);
    expect(after.locks.map((l) => [l.lockName, l.slot, l.status])).toEqual([
      ['Back door', 1, 'set'],
      ['Front door', 1, 'removed'],
    ]);
  });

  it('takes the code off at the new departure when a stay is shortened', async () => {
    const c = await s.store.addCredential({
      name: 'Guest',
      code: '7351',
      kind: 'guest',
      lockIds: [front],
      endsAt: Date.now() + 86_400_000,
    });
    await reconciler.syncLock(front);
    expect(Object.values(sims.get(front)!.lock.slots)).toContain('7351');
    const r = await patch(c.id, { endsAt: Date.now() + 300 });
    expect(r.statusCode, r.body).toBe(200);
    await new Promise((done) => setTimeout(done, 400));
    await reconciler.syncLock(front);
    expect(Object.values(sims.get(front)!.lock.slots)).not.toContain('7351');
  });
});
