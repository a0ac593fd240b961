import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../src/core/access/schedule.js';
import { getModel } from '../src/core/catalog/index.js';
import { seededRandom } from '../src/core/ports.js';
import { DIALECTS } from './store/dialects.js';
import { SyncWorld } from './sync-harness.js';

let world: SyncWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const CODES = ['2947561', '8163402', '5550193', '7031846', '6420917'];

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('a lock with people at its keypad and a lossy radio', () => {
    it('ends up holding exactly the register’s codes, whatever the visitors did and whichever frames were lost', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 2 ** 30 }),
          fc.constantFrom(0, 0.1, 0.25),
          async (seed, dropRate) => {
            let w0: SyncWorld | undefined;
            try {
              w0 = await SyncWorld.create({
                dialect,
                reconciler: { verifyEveryMs: 6 * HOUR_MS, backoff: { suspendAfter: 50 } },
              });
              const w = w0;
              world = w;
              const { id, sim } = await w.addLock('914', {
                dropRate,
                latencyMs: 300,
                checksum: true,
                random: seededRandom(seed),
              });
              const creds = [];
              for (const [i, code] of CODES.entries())
                creds.push(await w.store.addCredential({ name: `P${i}`, code, lockIds: [id] }));
              await w.reconciler.start([id]);
              // Visitors come from the start: the first few while Keyward's first read of the lock
              // (30 slots, two frames each, more with losses) is under way, the rest over hours.
              const visitor = seededRandom(seed ^ 0x5bd1e995);
              const added: Array<{ at: number; code: string }> = [];
              for (let v = 0; v < 12; v++) {
                await w.settle(visitor.int(v < 3 ? 15_000 : 3 * HOUR_MS));
                const visit = sim.randomVisit(visitor);
                if (visit.action === 'add' && visit.ok)
                  added.push({ at: w.clock.now(), code: sim.lock.slots[String(visit.slot)]! });
              }
              await w.settle(2 * DAY_MS);
              const wanted: Record<string, string> = Object.fromEntries(
                await Promise.all(
                  creds.map(async (c, i) => [String((await w.statuses(c.id))[0]!.slot), CODES[i]!]),
                ),
              );
              // A code the register keeps as unmanaged can only be one a visitor added before
              // Keyward's first read whose notification was lost: to Keyward it was there before it.
              const firstRead = await w.store.ctx.db
                .selectFrom('audit_log')
                .select('at')
                .where('action', '=', 'sync.read')
                .orderBy('seq')
                .executeTakeFirstOrThrow();
              const beforeContact = new Set(added.filter((a) => a.at <= firstRead.at).map((a) => a.code));
              const view = await w.store.lockView(id);
              for (const u of view.slots.filter((s) => s.status === 'unmanaged')) {
                const code = sim.lock.slots[String(u.slot)]!;
                expect(beforeContact.has(code)).toBe(true);
                wanted[String(u.slot)] = code;
              }
              expect(sim.lock.slots).toEqual(wanted);
              for (const c of creds)
                expect((await w.statuses(c.id))[0]).toMatchObject({ status: 'set', error: null });
              expect(await w.store.verifyAudit()).toMatchObject({ ok: true });
            } finally {
              // Every run closes its own world, shrinking runs included.
              world = undefined;
              await w0?.close();
            }
          },
        ),
        { numRuns: 8 },
      );
    }, 120_000);

    it('puts a code created after first contact beside a kept keypad code, so nothing has to move', async () => {
      world = await SyncWorld.create({ dialect });
      const w = world;
      const { id, sim } = await w.addLock('914', { slots: { '1': '193105' } });
      await w.reconciler.syncLock(id);
      const cred = await w.store.addCredential({ name: 'Ann', code: CODES[0]!, lockIds: [id] });
      await w.reconciler.syncLock(id);
      const [placed] = await w.statuses(cred.id);
      expect(placed).toMatchObject({ status: 'set', error: null });
      expect(placed!.slot).not.toBe(1);
      expect(sim.lock.slots).toEqual({ '1': '193105', [String(placed!.slot)]: CODES[0] });
      expect((await w.audit()).map((r) => r.action)).not.toContain('sync.moved');
    });

    it('moves a credential whose slot was taken at the keypad before first contact', async () => {
      world = await SyncWorld.create({ dialect });
      const w = world;
      const { id, sim } = await w.addLock('914', { latencyMs: 300 });
      const creds = [];
      for (const [i, code] of CODES.entries())
        creds.push(await w.store.addCredential({ name: `P${i}`, code, lockIds: [id] }));
      const slot = (await w.statuses(creds[1]!.id))[0]!.slot;
      // Its notification is lost: to Keyward this code looks like one that was there before it came.
      sim.reachable = false;
      sim.keypadAdd(slot, '193105');
      await w.settle(1_000);
      sim.reachable = true;
      await w.reconciler.start([id]);
      await w.settle(DAY_MS);
      for (const c of creds)
        expect((await w.statuses(c.id))[0]).toMatchObject({ status: 'set', error: null });
      const moved = (await w.statuses(creds[1]!.id))[0]!.slot;
      expect(moved).not.toBe(slot);
      const taken = new Set(await Promise.all(creds.map(async (c) => (await w.statuses(c.id))[0]!.slot)));
      expect(taken.size).toBe(CODES.length);
      // The kept code stays where it was, and the credential's code is in its new slot.
      expect(sim.lock.slots[String(slot)]).toBe('193105');
      expect(sim.lock.slots[String(moved)]).toBe(CODES[1]);
      const log = await w.audit();
      expect(log.filter((r) => r.action === 'sync.moved').map((r) => r.detail)).toEqual([
        { lockId: id, from: slot, to: moved, why: 'its slot is taken' },
      ]);
      expect(log.map((r) => r.action)).not.toContain('sync.blocked');
      expect(await w.store.verifyAudit()).toMatchObject({ ok: true });
    });

    it('reverts a code whose keypad notification arrives after the first read took it for an old one', async () => {
      world = await SyncWorld.create({ dialect });
      const w = world;
      const { id, sim } = await w.addLock('914', { latencyMs: 300 });
      const [cred] = [await w.store.addCredential({ name: 'P0', code: CODES[0]!, lockIds: [id] })];
      const slot = (await w.statuses(cred!.id))[0]!.slot;
      await w.reconciler.start([id]);
      // The first read takes 30 slot reads of two frames each; the stranger's code goes into the
      // last slot before the read reaches it, and the lock's notification comes in meanwhile.
      await w.settle(1_000);
      expect(sim.keypadAdd(30, '193105')).toBe(true);
      await w.settle(DAY_MS);
      expect(sim.lock.slots).toEqual({ [String(slot)]: CODES[0] });
      expect((await w.statuses(cred!.id))[0]).toMatchObject({ status: 'set', error: null, slot });
      const log = await w.audit();
      expect(log.find((r) => r.action === 'sync.read')?.detail).toMatchObject({ unmanaged: 1 });
      expect(log.filter((r) => r.action === 'sync.checked').map((r) => r.detail.outcome)).toContain(
        'changed-at-keypad',
      );
      expect((await w.store.lockView(id)).slots.filter((s) => s.status === 'unmanaged')).toEqual([]);
    });

    it('reports the drain of its batteries into the register as they cross the low mark', async () => {
      world = await SyncWorld.create({ dialect });
      const { id, sim } = await world.addLock('914', { drainPerFrame: 0.002 });
      sim.setVolts(1.25);
      await world.store.addCredential({ name: 'A', code: CODES[0]!, lockIds: [id] });
      await world.reconciler.syncLock(id);
      await world.settle(60_000);
      const lock = await world.store.getLock(id);
      expect(lock.voltsPerCell).not.toBeNull();
      expect(lock.voltsPerCell!).toBeLessThanOrEqual(getModel('914').battery.programmingFailsAtOrBelow);
      expect((await world.audit()).map((r) => r.action)).toContain('lock.battery');
    });
  });
});
