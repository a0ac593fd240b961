import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../src/core/access/schedule.js';
import { DIALECTS } from './store/dialects.js';
import { distinctCodes, SyncWorld, T0 } from './sync-harness.js';

let world: SyncWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const CHECKOUT = T0 + 11 * HOUR_MS;

async function hotel(w: SyncWorld, locks: number) {
  const codes = distinctCodes(locks * 4, 31);
  const out = [];
  for (let l = 0; l < locks; l++) {
    const { id, sim } = await w.addLock('914', { latencyMs: 200 });
    const leaving = [];
    for (let g = 0; g < 3; g++)
      leaving.push(
        await w.store.addCredential({
          name: `Guest ${l}-${g}`,
          code: codes[l * 4 + g]!,
          lockIds: [id],
          kind: 'guest',
          startsAt: T0,
          endsAt: CHECKOUT,
        }),
      );
    const staying = await w.store.addCredential({
      name: `Staff ${l}`,
      code: codes[l * 4 + 3]!,
      lockIds: [id],
    });
    out.push({ id, sim, leaving, staying, stayingCode: codes[l * 4 + 3]! });
  }
  return out;
}

type Row = { action: string; detail: Record<string, unknown> };
const ops = (log: Row[], action: string) =>
  log
    .filter((r) => r.action === action)
    .flatMap((r) => (r.detail.ops as Array<{ opId: string; op: string }>) ?? []);

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('many locks due at the same instant', () => {
    it('takes every departing guest off every lock at checkout, each op sent under an intent and confirmed', async () => {
      world = await SyncWorld.create({ dialect });
      const w = world;
      const rooms = await hotel(w, 6);
      await w.reconciler.start();
      await w.settle(HOUR_MS);
      for (const r of rooms) expect(Object.keys(r.sim.lock.slots)).toHaveLength(4);
      const before = (await w.audit()).length;
      const batches = w.reconciler.stats.batches;
      await w.settle(11 * HOUR_MS);
      // The six locks woken by one boundary went as one batch.
      expect(w.reconciler.stats.batches - batches).toBe(1);
      for (const r of rooms) {
        expect(Object.values(r.sim.lock.slots)).toEqual([r.stayingCode]);
        for (const g of r.leaving)
          expect((await w.statuses(g.id))[0]).toMatchObject({ status: 'removed', error: null });
        expect((await w.store.getCredential(r.staying.id)).locks[0]).toMatchObject({ status: 'set' });
      }
      const log = (await w.audit()).slice(before);
      // One send row and one confirmed row per lock, listing its three deletes.
      expect(log.filter((r) => r.action === 'sync.send')).toHaveLength(rooms.length);
      const sent = ops(log, 'sync.send');
      expect(sent).toHaveLength(rooms.length * 3);
      expect(sent.every((o) => o.op === 'delete')).toBe(true);
      expect(
        ops(log, 'sync.confirmed')
          .map((o) => o.opId)
          .sort(),
      ).toEqual(sent.map((o) => o.opId).sort());
      // Removed at the schedule boundary, not at a later poll: the locks side by side, each lock's
      // three deletes one after another (two frames of 200 ms each).
      const times = await w.store.ctx.db
        .selectFrom('audit_log')
        .select('at')
        .where('action', '=', 'sync.confirmed')
        .where('at', '>=', CHECKOUT)
        .execute();
      expect(times.length).toBeGreaterThan(0);
      expect(Math.max(...times.map((r) => r.at))).toBe(CHECKOUT + 3 * 2 * 200);
      expect(await w.store.ctx.db.selectFrom('sync_ops').selectAll().execute()).toEqual([]);
      const cleared = await w.store.ctx.db
        .selectFrom('credentials')
        .select(['id', 'cleared_at'])
        .where('kind', '=', 'guest')
        .execute();
      expect(cleared.every((c) => c.cleared_at !== null)).toBe(true);
      expect(await w.store.verifyAudit()).toMatchObject({ ok: true });
    });

    it('lets a lock that stops answering mid-batch back off alone, its unsent ops withdrawn, and finishes it later', async () => {
      world = await SyncWorld.create({ dialect, reconciler: { backoff: { baseMs: 60_000 } } });
      const w = world;
      const rooms = await hotel(w, 4);
      await w.reconciler.start();
      await w.settle(HOUR_MS);
      await w.settle(CHECKOUT - w.clock.now() - 1);
      const dead = rooms[2]!;
      dead.sim.reachable = false;
      await w.settle(30_000);
      for (const r of rooms) if (r !== dead) expect(Object.values(r.sim.lock.slots)).toEqual([r.stayingCode]);
      expect(Object.keys(dead.sim.lock.slots)).toHaveLength(4);
      const log = await w.audit();
      // Its first delete failed; the two after it were withdrawn unsent, and the pass planned
      // again around the backed-off slot, so each slot was tried once and backs off on its own.
      const failed = log.filter((r) => r.action === 'sync.failed').map((r) => r.detail);
      expect(failed.map((d) => d.slot).sort()).toEqual([1, 2, 3]);
      expect(failed.every((d) => d.error === 'unconfirmed' && d.retryable === true)).toBe(true);
      expect(log.filter((r) => r.action === 'sync.withdrawn').map((r) => r.detail.slot)).toEqual([2, 3, 3]);
      for (const g of dead.leaving)
        expect((await w.statuses(g.id))[0]).toMatchObject({ status: 'removing', error: 'unconfirmed' });
      dead.sim.reachable = true;
      await w.settle(HOUR_MS);
      expect(Object.values(dead.sim.lock.slots)).toEqual([dead.stayingCode]);
      for (const g of dead.leaving) expect((await w.statuses(g.id))[0]).toMatchObject({ status: 'removed' });
      expect(await w.store.verifyAudit()).toMatchObject({ ok: true });
    });
  });
});
