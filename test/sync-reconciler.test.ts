import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from './store/dialects.js';
import { SyncWorld } from './sync-harness.js';

let world: SyncWorld;
afterEach(async () => {
  await world?.close();
});

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('the reconciler', () => {
    it('puts every registered code on a new lock with the planner’s ops, each confirmed and audited', async () => {
      world = await SyncWorld.create({ dialect });
      const { id, sim } = await world.addLock('914');
      const codes = ['2947561', '8163402', '5550193'];
      const creds = [];
      for (const [i, code] of codes.entries())
        creds.push(await world.store.addCredential({ name: `Person ${i}`, code, lockIds: [id] }));
      const pass = await world.reconciler.syncLock(id);
      expect(pass.converged).toBe(true);
      expect(Object.values(sim.lock.slots).sort()).toEqual([...codes].sort());
      expect(world.reconciler.stats.opsSent).toBe(3);
      for (const c of creds)
        expect(await world.statuses(c.id)).toEqual([
          { status: 'set', error: null, slot: expect.any(Number) },
        ]);
      const log = await world.audit();
      const ops = (action: string) =>
        log.filter((r) => r.action === action).flatMap((r) => r.detail.ops as Array<{ opId: string }>);
      expect(ops('sync.send')).toHaveLength(3);
      // Every op sent was confirmed, each under the id its intent carried.
      expect(
        ops('sync.confirmed')
          .map((o) => o.opId)
          .sort(),
      ).toEqual(
        ops('sync.send')
          .map((o) => o.opId)
          .sort(),
      );
      expect(log.map((r) => r.action)).toContain('sync.read');
      const view = await world.store.lockView(id);
      expect(view.slots.every((s) => s.status === 'set')).toBe(true);
    });

    it('sends nothing on a second pass over a lock already in step', async () => {
      world = await SyncWorld.create({ dialect });
      const { id, sim } = await world.addLock('914');
      await world.store.addCredential({ name: 'A', code: '2947561', lockIds: [id] });
      await world.reconciler.syncLock(id);
      const frames = sim.stats.frames;
      const pass = await world.reconciler.syncLock(id);
      expect(pass).toMatchObject({ sent: 0, converged: true });
      expect(sim.stats.frames).toBe(frames);
    });

    it('finds register edits made elsewhere on its next sweep, without being told', async () => {
      world = await SyncWorld.create({ dialect, reconciler: { sweepEveryMs: 5 * 60_000 } });
      const { id, sim } = await world.addLock('914');
      await world.reconciler.start([id]);
      await world.settle(60_000);
      await world.store.addCredential({ name: 'Late', code: '2947561', lockIds: [id] });
      await world.settle(3 * 60_000);
      expect(sim.lock.slots).toEqual({});
      await world.settle(2 * 60_000);
      expect(Object.values(sim.lock.slots)).toEqual(['2947561']);
    });

    it('sweeps locks added after it started, as the API, the CLI or another instance add them', async () => {
      world = await SyncWorld.create({ dialect, reconciler: { sweepEveryMs: 5 * 60_000 } });
      await world.reconciler.start();
      await world.settle(60_000);
      // Nobody calls schedule() for this lock: only the sweep can find it.
      const { id, sim } = await world.addLock('914');
      await world.store.addCredential({ name: 'New door', code: '2947561', lockIds: [id] });
      await world.settle(5 * 60_000);
      expect(Object.values(sim.lock.slots)).toEqual(['2947561']);
    });

    it('sweeps only the sites it may work on, new locks on them included', async () => {
      let mine = '';
      world = await SyncWorld.create({
        dialect,
        reconciler: { sweepEveryMs: 5 * 60_000, mayWork: (siteId) => siteId === mine },
      });
      mine = world.siteId;
      await world.reconciler.start();
      const here = await world.addLock('914');
      world.siteId = (await world.store.addSite({ name: 'Held by another instance' })).id;
      const there = await world.addLock('914');
      for (const lock of [here, there])
        await world.store.addCredential({ name: 'Code', code: '2947561', lockIds: [lock.id] });
      await world.settle(10 * 60_000);
      expect(Object.values(here.sim.lock.slots)).toEqual(['2947561']);
      expect(there.sim.lock.slots).toEqual({});
      expect(there.sim.stats.frames).toBe(0);
    });
  });
});
