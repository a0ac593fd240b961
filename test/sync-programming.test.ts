import { afterEach, describe, expect, it } from 'vitest';
import { loadLockPicture } from '../src/store/sync-state.js';
import { DIALECTS } from './store/dialects.js';
import { SyncWorld } from './sync-harness.js';

let world: SyncWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('the programming code through the driver', () => {
    it('is changed on the lock, written to the register sealed only once confirmed, and audited without the code', async () => {
      world = await SyncWorld.create({ dialect });
      const w = world;
      const { id, sim } = await w.addLock('264');
      await w.store.addCredential({ name: 'A', code: '29475', lockIds: [id] });
      await w.reconciler.syncLock(id);
      const result = await w.reconciler.setProgrammingCode(id, '78241');
      expect(result).toEqual({ ok: true, confirmedBy: 'notification' });
      expect(sim.lock.programmingCode).toBe('78241');
      expect((await loadLockPicture(w.store.ctx, id))!.programmingCode).toBe('78241');
      // The lock's codes still work with the new programming code in place.
      await w.store.addCredential({ name: 'B', code: '81630', lockIds: [id] });
      await w.reconciler.syncLock(id);
      expect(Object.values(sim.lock.slots).sort()).toEqual(['29475', '81630']);
      const log = await w.audit();
      expect(log.filter((r) => r.action === 'sync.confirmed').map((r) => r.detail.ops)).toContainEqual([
        expect.objectContaining({ op: 'set-programming', slot: 0 }),
      ]);
      expect(JSON.stringify(log)).not.toContain('78241');
      expect(await w.store.verifyAudit()).toMatchObject({ ok: true });
    });

    it('is refused without a frame when its first four digits are those of a code on the lock or in the register', async () => {
      world = await SyncWorld.create({ dialect });
      const w = world;
      const { id, sim } = await w.addLock('264', { slots: { '7': '55501' } });
      await w.reconciler.syncLock(id);
      await w.store.addCredential({
        name: 'Later',
        code: '29475',
        lockIds: [id],
        startsAt: Date.UTC(2027, 0, 1),
      });
      const frames = sim.stats.frames;
      for (const [code, conflict] of [
        ['555019', 7],
        ['294750', null],
      ] as const) {
        const result = await w.reconciler.setProgrammingCode(id, code);
        expect(result).toMatchObject({ ok: false, error: 'rejected' });
        if (!result.ok) expect(result.reasons?.map((r) => r.rule)).toContain('programming-code');
        if (!result.ok && conflict !== null)
          expect(result.reasons?.some((r) => r.conflictsWith === conflict)).toBe(true);
      }
      expect(sim.stats.frames).toBe(frames);
      expect(sim.lock.programmingCode).toBe('0000');
      expect((await loadLockPicture(w.store.ctx, id))!.programmingCode).toBeNull();
    });

    it('reports a lock that does not answer and leaves the register as it was', async () => {
      world = await SyncWorld.create({ dialect });
      const w = world;
      const { id, sim } = await w.addLock('264');
      await w.reconciler.syncLock(id);
      sim.reachable = false;
      const result = await w.reconciler.setProgrammingCode(id, '78241');
      expect(result).toMatchObject({ ok: false, error: 'unconfirmed' });
      expect((await loadLockPicture(w.store.ctx, id))!.programmingCode).toBeNull();
      expect((await w.audit()).find((r) => r.action === 'sync.failed')?.detail).toMatchObject({
        op: 'set-programming',
        error: 'unconfirmed',
      });
    });
  });

  describe('events from the person at the door', () => {
    it('reports a wrong-code lockout the keypad went into', async () => {
      world = await SyncWorld.create({ dialect });
      const w = world;
      const { id, sim } = await w.addLock('914');
      await w.reconciler.start([id]);
      await w.settle(60_000);
      for (const wrong of ['1111111', '2222222', '3333333']) expect(sim.keypadUse(wrong)).toBe(false);
      await w.settle(1_000);
      expect((await w.audit()).map((r) => r.action)).toContain('lock.wrong-code-lockout');
    });
  });
});
