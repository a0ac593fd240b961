import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../src/core/access/schedule.js';
import { getModel } from '../src/core/catalog/index.js';
import { seededRandom } from '../src/core/ports.js';
import { SyncWorld } from './sync-harness.js';

let world: SyncWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const CODES = ['2947561', '8163402', '5550193', '7031846', '6420917'];

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
            // Visitors come once Keyward has made first contact with the lock; a code added at
            // the keypad before that is the known race tested (as failing) below.
            await w.settle(HOUR_MS);
            const visitor = seededRandom(seed ^ 0x5bd1e995);
            for (let v = 0; v < 12; v++) {
              await w.settle(visitor.int(3 * HOUR_MS));
              sim.randomVisit(visitor);
            }
            await w.settle(2 * DAY_MS);
            const wanted = Object.fromEntries(
              await Promise.all(
                creds.map(async (c, i) => [String((await w.statuses(c.id))[0]!.slot), CODES[i]!]),
              ),
            );
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

  // Known defect, kept visible: a code added at the keypad into a slot the register has already
  // given to a credential, before Keyward's first read of the lock, is taken for a code that was
  // there before Keyward and kept, so the credential waits with no_free_slot although the lock has
  // free slots. The fix is to move the credential to a free slot (issue 6 stays open for it).
  it.fails('moves a credential whose slot was taken at the keypad before first contact', async () => {
    world = await SyncWorld.create();
    const w = world;
    const { id, sim } = await w.addLock('914', { latencyMs: 300 });
    const creds = [];
    for (const [i, code] of CODES.entries())
      creds.push(await w.store.addCredential({ name: `P${i}`, code, lockIds: [id] }));
    const slot = (await w.statuses(creds[1]!.id))[0]!.slot;
    sim.keypadAdd(slot, '193105');
    await w.reconciler.start([id]);
    await w.settle(DAY_MS);
    for (const c of creds) expect((await w.statuses(c.id))[0]).toMatchObject({ status: 'set', error: null });
  });

  it('reports the drain of its batteries into the register as they cross the low mark', async () => {
    world = await SyncWorld.create();
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
