import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../src/sync/events.js';
import { SyncWorld } from './sync-harness.js';

let world: SyncWorld;
afterEach(async () => {
  await world?.close();
});

const CODES = ['2947561', '8163402', '5550193'];

describe('the sync event port', () => {
  it('reports codes used, confirmed and failed ops, unreachable and reachable locks and errors, never a code', async () => {
    world = await SyncWorld.create({ reconciler: { backoff: { baseMs: 1_000, suspendAfter: 2 } } });
    const events: SyncEvent[] = [];
    const unsubscribe = world.reconciler.events.subscribe((e) => events.push(e));
    const person = await world.store.addPerson({ name: 'Ada' });
    const a = await world.addLock('914');
    const cred = await world.store.addCredential({
      name: 'Ada front door',
      code: CODES[0]!,
      lockIds: [a.id],
      personId: person.id,
    });
    await world.reconciler.start([a.id]);
    await world.settle(60_000);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'op-confirmed',
        lockId: a.id,
        op: 'add',
        credentialId: cred.id,
        personId: person.id,
      }),
    );

    // Used at the keypad: which credential, whose.
    a.sim.keypadUse(CODES[0]!);
    await world.settle(60_000);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'lock-event',
        lockId: a.id,
        event: expect.objectContaining({ type: 'code-used' }),
        credentialId: cred.id,
        personId: person.id,
      }),
    );

    // A write the lock never answers fails.
    a.sim.reachable = false;
    const other = await world.store.addCredential({ name: 'Bo', code: CODES[1]!, lockIds: [a.id] });
    world.reconciler.schedule(a.id);
    await world.settle(60_000);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'op-failed',
        lockId: a.id,
        credentialId: other.id,
        error: 'unconfirmed',
      }),
    );

    // A lock that does not answer its first read, then does.
    const b = await world.addLock('914');
    b.sim.reachable = false;
    world.reconciler.schedule(b.id);
    await world.settle(1_000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'unreachable', lockId: b.id, during: 'read' }),
    );
    b.sim.reachable = true;
    await world.settle(60_000);
    expect(events).toContainEqual({ type: 'reachable', lockId: b.id });

    // The store fails a pass: an error with its lock.
    await world.store.addCredential({ name: 'Cy', code: CODES[2]!, lockIds: [b.id] });
    const db = world.store.ctx.db;
    const transaction = db.transaction.bind(db);
    let fail = true;
    db.transaction = (() => {
      if (fail) {
        fail = false;
        throw new Error('disk I/O error');
      }
      return transaction();
    }) as typeof db.transaction;
    world.reconciler.schedule(b.id);
    await world.settle(60_000);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'error',
        lockId: b.id,
        message: expect.stringContaining('disk I/O error'),
      }),
    );

    // Never a code's digits, whatever the event.
    const text = JSON.stringify(events);
    for (const code of CODES) expect(text).not.toContain(code);

    unsubscribe();
    const before = events.length;
    a.sim.keypadUse(CODES[0]!);
    await world.settle(60_000);
    expect(events).toHaveLength(before);
  });

  it('passes every event to an onEvent option too, and tells other listeners what one of them threw', async () => {
    const heard: SyncEvent[] = [];
    world = await SyncWorld.create({ reconciler: { onEvent: (e) => heard.push(e) } });
    world.reconciler.events.subscribe(() => {
      throw new Error('listener broke');
    });
    const a = await world.addLock('914');
    await world.store.addCredential({ name: 'Ada', code: CODES[0]!, lockIds: [a.id] });
    await world.reconciler.syncLock(a.id);
    expect(heard.map((e) => e.type)).toEqual(
      expect.arrayContaining(['slots-read', 'op-sent', 'op-confirmed']),
    );
    expect(heard).toContainEqual(
      expect.objectContaining({ type: 'error', during: 'listener', message: 'listener broke' }),
    );
    expect(Object.values(a.sim.lock.slots)).toEqual([CODES[0]]);
  });
});
