import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../src/core/access/schedule.js';
import { suspendedSlots } from '../src/store/sync-state.js';
import { DIALECTS } from './store/dialects.js';
import { SyncWorld, T0 } from './sync-harness.js';

let world: SyncWorld;
afterEach(async () => {
  await world?.close();
});

const CODES = ['2947561', '8163402', '5550193', '7031846', '6420917', '3198270', '9876012', '4102938'];

async function register(
  w: SyncWorld,
  lockId: string,
  codes: string[],
  extra: { kind?: 'guest'; endsAt?: number } = {},
) {
  const out = [];
  for (const [i, code] of codes.entries())
    out.push(await w.store.addCredential({ name: `Person ${i}`, code, lockIds: [lockId], ...extra }));
  return out;
}

/** Ops named by rows of this action (send and confirmed rows list their ops; others are one each). */
function actions(rows: Array<{ action: string; detail: Record<string, unknown> }>, name: string): number {
  return rows
    .filter((r) => r.action === name)
    .reduce((n, r) => n + (Array.isArray(r.detail.ops) ? r.detail.ops.length : 1), 0);
}

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('faults on the way to the lock', () => {
    it('converges through dropped frames without carrying out any write twice', async () => {
      world = await SyncWorld.create({ dialect });
      const { id, sim } = await world.addLock('914', { dropRate: 0.3, latencyMs: 500 });
      const creds = await register(world, id, CODES);
      await world.reconciler.start([id]);
      await world.settle(6 * HOUR_MS);
      expect(Object.values(sim.lock.slots).sort()).toEqual([...CODES].sort());
      // Each code went onto the lock once: a lost confirmation led to a read-back, not a resend.
      expect(sim.stats.writesApplied).toBe(CODES.length);
      expect(sim.stats.dropped).toBeGreaterThan(0);
      for (const c of creds)
        expect((await world.statuses(c.id))[0]).toMatchObject({ status: 'set', error: null });
      const log = await world.audit();
      expect(actions(log, 'sync.confirmed') + actions(log, 'sync.recovered')).toBeGreaterThanOrEqual(
        CODES.length,
      );
      expect(await world.store.verifyAudit()).toMatchObject({ ok: true });
    });

    it('backs off while the lock does not answer, suspends the slot visibly, and finishes once resumed', async () => {
      world = await SyncWorld.create({
        dialect,
        reconciler: { backoff: { baseMs: 1_000, suspendAfter: 4 } },
      });
      const { id, sim } = await world.addLock('914');
      await world.reconciler.syncLock(id); // first contact while the radio works
      sim.reachable = false;
      const [cred] = await register(world, id, [CODES[0]!]);
      world.reconciler.schedule(id);
      await world.settle(HOUR_MS);
      const stuck = await suspendedSlots(world.store.ctx, id);
      expect(stuck).toEqual([
        expect.objectContaining({ suspended: true, lastError: 'unconfirmed', failures: 4 }),
      ]);
      expect((await world.statuses(cred!.id))[0]).toMatchObject({ status: 'setting', error: 'unconfirmed' });
      const framesWhileSuspended = sim.stats.frames;
      await world.settle(24 * HOUR_MS);
      expect(sim.stats.frames).toBe(framesWhileSuspended);

      sim.reachable = true;
      await world.reconciler.resumeSlot(id, stuck[0]!.slot);
      await world.settle(HOUR_MS);
      expect(Object.values(sim.lock.slots)).toEqual([CODES[0]]);
      expect((await world.statuses(cred!.id))[0]).toMatchObject({ status: 'set', error: null });
      const log = await world.audit();
      expect(log.map((r) => r.action)).toEqual(
        expect.arrayContaining(['sync.failed', 'sync.resume', 'sync.confirmed']),
      );
    });

    it('suspends a code the lock refuses as a duplicate at once, instead of retrying it forever', async () => {
      world = await SyncWorld.create({ dialect });
      const { id, sim } = await world.addLock('914');
      await world.reconciler.syncLock(id);
      // Someone adds a code at the keypad while the radio is out: Keyward never hears of it.
      sim.reachable = false;
      expect(sim.keypadAdd(9, '2947000')).toBe(true);
      await world.settle(60_000);
      sim.reachable = true;
      const [cred] = await register(world, id, ['2947561']);
      world.reconciler.schedule(id);
      await world.settle(24 * HOUR_MS);
      expect((await world.statuses(cred!.id))[0]).toMatchObject({
        status: 'unset',
        error: 'duplicate_on_device',
      });
      const log = await world.audit();
      expect(actions(log, 'sync.send')).toBe(1);
      expect(log.find((r) => r.action === 'sync.failed')?.detail).toMatchObject({
        error: 'duplicate_on_device',
        retryable: false,
        suspended: true,
      });
      expect(JSON.stringify(log)).not.toContain('2947');
    });

    it('keeps a full lock’s unmanaged codes under "keep" and reports no_free_slot without sending', async () => {
      world = await SyncWorld.create({ dialect });
      const slots: Record<string, string> = {};
      for (let s = 1; s <= 30; s++) slots[String(s)] = String(1000 + s * 271).padEnd(6, '5');
      const { id, sim } = await world.addLock('914', { slots });
      await world.reconciler.syncLock(id);
      const [cred] = await register(world, id, ['9999123']);
      await world.reconciler.syncLock(id);
      expect((await world.statuses(cred!.id))[0]).toMatchObject({ status: 'unset', error: 'no_free_slot' });
      expect(sim.stats.writesReceived).toBe(0);
      expect(sim.lock.slots).toEqual(slots);
      const view = await world.store.lockView(id);
      expect(view.slots.find((s) => s.credentialId === cred!.id)).toMatchObject({ error: 'no_free_slot' });
      expect(view.slots.filter((s) => s.status === 'unmanaged')).toHaveLength(29);
    });

    it('clears codes it never gave the lock under "remove", and adopts them under "adopt"', async () => {
      world = await SyncWorld.create({ dialect, reconciler: { policy: { unmanaged: 'remove' } } });
      const { id, sim } = await world.addLock('914', { slots: { '3': '1234567' } });
      const [cred] = await register(world, id, [CODES[1]!]);
      await world.reconciler.syncLock(id);
      expect(Object.values(sim.lock.slots)).toEqual([CODES[1]]);
      expect((await world.statuses(cred!.id))[0]).toMatchObject({ status: 'set' });
      await world.close();

      world = await SyncWorld.create({ dialect, reconciler: { policy: { unmanaged: 'adopt' } } });
      const second = await world.addLock('914', { slots: { '3': '1234567' } });
      await world.reconciler.syncLock(second.id);
      expect(second.sim.lock.slots).toEqual({ '3': '1234567' });
      const adopted = await world.store.listCredentials({ lockId: second.id });
      expect(adopted).toEqual([expect.objectContaining({ name: 'Found in slot 3' })]);
      expect(adopted[0]!.locks[0]).toMatchObject({ slot: 3, status: 'set' });
    });

    it('reverts keypad edits by default: a stranger’s code comes off and a deleted code goes back', async () => {
      world = await SyncWorld.create({ dialect });
      const { id, sim } = await world.addLock('914');
      const [cred] = await register(world, id, [CODES[0]!]);
      await world.reconciler.start([id]);
      await world.settle(60_000);
      const slot = (await world.statuses(cred!.id))[0]!.slot;
      expect(sim.keypadAdd(12, '5551234')).toBe(true);
      expect(sim.keypadDelete(slot)).toBe(true);
      await world.settle(60_000);
      expect(sim.lock.slots).toEqual({ [String(slot)]: CODES[0] });
      expect((await world.statuses(cred!.id))[0]).toMatchObject({ status: 'set', error: null });
      const log = await world.audit();
      expect(log.map((r) => r.action)).toEqual(
        expect.arrayContaining(['lock.code-added-at-keypad', 'lock.code-deleted-at-keypad', 'sync.checked']),
      );
      const outcomes = log.filter((r) => r.action === 'sync.checked').map((r) => r.detail.outcome);
      expect(outcomes).toEqual(expect.arrayContaining(['changed-at-keypad', 'emptied-at-keypad']));
    });

    it('adopts keypad additions into the register when the policy says so', async () => {
      world = await SyncWorld.create({ dialect, reconciler: { policy: { keypadEdits: 'adopt' } } });
      const { id, sim } = await world.addLock('914');
      await world.reconciler.start([id]);
      await world.settle(60_000);
      sim.keypadAdd(4, '5551234');
      await world.settle(60_000);
      expect(sim.lock.slots).toEqual({ '4': '5551234' });
      const creds = await world.store.listCredentials({ lockId: id });
      expect(creds).toEqual([expect.objectContaining({ name: 'Added at the keypad (slot 4)' })]);
    });

    it('takes a guest’s code off the moment the stay ends, woken by the schedule rather than by polling', async () => {
      world = await SyncWorld.create({ dialect });
      const { id, sim } = await world.addLock('914');
      const [guest] = await register(world, id, [CODES[2]!], { kind: 'guest', endsAt: T0 + 5 * HOUR_MS });
      await world.reconciler.start([id]);
      await world.settle(60_000);
      expect(Object.values(sim.lock.slots)).toEqual([CODES[2]]);
      const passes = world.reconciler.stats.passes;
      await world.settle(6 * HOUR_MS);
      expect(sim.lock.slots).toEqual({});
      expect(world.reconciler.stats.passes - passes).toBe(1);
      expect((await world.statuses(guest!.id))[0]).toMatchObject({ status: 'removed', error: null });
      const rows = await world.store.ctx.db
        .selectFrom('audit_log')
        .select(['at', 'detail'])
        .where('action', '=', 'sync.confirmed')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(rows.at).toBe(T0 + 5 * HOUR_MS);
    });

    it('takes a one-time code off the lock after its first use at the keypad', async () => {
      world = await SyncWorld.create({ dialect });
      const { id, sim } = await world.addLock('914');
      const once = await world.store.addCredential({
        name: 'Courier',
        code: CODES[4]!,
        lockIds: [id],
        useLimit: 1,
      });
      await world.reconciler.start([id]);
      await world.settle(60_000);
      expect(Object.values(sim.lock.slots)).toEqual([CODES[4]]);
      expect(sim.keypadUse(CODES[4]!)).toBe(true);
      await world.settle(60_000);
      expect(sim.lock.slots).toEqual({});
      expect((await world.statuses(once.id))[0]).toMatchObject({ status: 'removed' });
      expect((await world.store.getCredential(once.id)).uses).toBe(1);
    });

    it('reports weak batteries and fails programming as the lock does, then recovers on fresh cells', async () => {
      world = await SyncWorld.create({
        dialect,
        reconciler: { backoff: { baseMs: 1_000, suspendAfter: 10 } },
      });
      const { id, sim } = await world.addLock('914');
      await world.reconciler.syncLock(id);
      sim.setVolts(1.15);
      const [cred] = await register(world, id, [CODES[3]!]);
      world.reconciler.schedule(id);
      await world.settle(10_000);
      expect((await world.statuses(cred!.id))[0]).toMatchObject({ error: 'failed_to_set' });
      expect((await world.store.getLock(id)).voltsPerCell).toBe(1.15);
      sim.setVolts(1.5);
      await world.settle(HOUR_MS);
      expect((await world.statuses(cred!.id))[0]).toMatchObject({ status: 'set', error: null });
    });

    it('verifies an untouched lock by checksum alone, and a changed checksum leads to one full read', async () => {
      world = await SyncWorld.create({ dialect, reconciler: { verifyEveryMs: 24 * HOUR_MS } });
      const { id, sim } = await world.addLock('914', { checksum: true });
      await register(world, id, CODES.slice(0, 3));
      await world.reconciler.start([id]);
      await world.settle(60_000);
      const reads = sim.stats.slotReads;
      await world.settle(7 * 24 * HOUR_MS);
      expect(sim.stats.slotReads).toBe(reads);
      expect(sim.stats.checksums).toBeGreaterThanOrEqual(7);
      // A keypad change whose notification is lost is caught by the next checksum.
      sim.reachable = false;
      sim.keypadAdd(20, '5551234');
      await world.settle(1_000);
      sim.reachable = true;
      await world.settle(25 * HOUR_MS);
      expect(sim.lock.slots['20']).toBeUndefined();
      expect((await world.audit()).map((r) => r.action)).toContain('sync.checksum-changed');
    });
  });
});
