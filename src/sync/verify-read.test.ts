import { describe, expect, it } from 'vitest';
import { assignmentRow, NOW, picture } from '../../test/support/sync-picture.js';
import {
  A,
  BACKOFF,
  driverWith,
  held,
  intent,
  kinds,
  model,
  world,
} from '../../test/support/verify-world.js';
import { seededRandom } from '../core/ports.js';
import type { SlotHealth } from '../store/sync-state.js';
import type { LockReport } from './driver.js';
import { nextHealth } from './reach.js';
import { fullRead, resolveIntents } from './verify.js';

describe('reading every slot of a lock', () => {
  const report = (slots: LockReport['slots']) => driverWith({ read: async () => ({ slots, at: NOW }) });

  it('learns each of the model’s slots up to the last one, and records the read with its count of unmanaged codes', async () => {
    const w = world();
    const p = picture({ readAt: null });
    const last = String(model.slots);
    const ok = await fullRead(
      w.rt,
      p,
      report({ '1': '5829', [last]: null, [model.slots + 1]: '7777' }),
      model,
    );
    expect(ok).toBe(true);
    expect(w.committed).toHaveLength(1);
    const [out] = w.committed;
    const learnt = out!.writes.filter((x) => x.kind === 'slot-reported').map((x) => 'slot' in x && x.slot);
    expect(learnt).toEqual([1, model.slots]);
    expect(out!.writes.at(-1)).toEqual({
      kind: 'lock-sync-state',
      lockId: 'lock_1',
      patch: { read_at: NOW, checksum: null, reread: 0 },
    });
    expect(out!.events.at(-1)).toEqual({ type: 'slots-read', lockId: 'lock_1', occupied: 3, unmanaged: 1 });
    expect(w.rt.stats.fullReads).toBe(1);
  });

  it('squares a slot it already knew with what the lock now says (an empty read clears it)', async () => {
    const w = world();
    const p = picture({ reported: new Map([[4, held(4, A)]]) });
    await fullRead(w.rt, p, report({}), model);
    expect(kinds(w.committed[0]!)).toEqual(['slot-cleared', 'lock-sync-state']);
    expect(w.committed[0]!.events).toEqual([
      { type: 'slots-read', lockId: 'lock_1', occupied: 0, unmanaged: 0 },
    ]);
  });

  it('clears the errors shown while the lock could not be read, once it answers, and says it is reachable again', async () => {
    const w = world();
    w.reach.unreached('lock_1', NOW - 10);
    const p = picture({ assignments: [assignmentRow('c1', 2, A, { error: 'failed_to_set' })] });
    await fullRead(w.rt, p, report({}), model);
    expect(w.committed[0]!.writes[0]).toEqual({
      kind: 'assignment',
      credentialId: 'c1',
      lockId: 'lock_1',
      patch: { error: null },
      refreshCleared: false,
    });
    expect(w.told).toEqual([{ type: 'reachable', lockId: 'lock_1' }]);
  });

  it('backs a lock off that does not answer its first read and shows its waiting codes as failed to set', async () => {
    const w = world();
    const p = picture({
      readAt: null,
      assignments: [assignmentRow('c1', 2, A), assignmentRow('c2', 3, '8163402')],
    });
    const ok = await fullRead(
      w.rt,
      p,
      driverWith({ read: () => Promise.reject(new Error('no ack from node 7')) }),
      model,
    );
    expect(ok).toBe(false);
    const retryAt = w.reach.until('lock_1')!;
    expect(retryAt).toBeGreaterThan(NOW);
    expect(w.woken).toEqual([['lock_1', retryAt]]);
    expect(w.committed).toHaveLength(1);
    expect(w.committed[0]!.writes.map((x) => x.kind === 'assignment' && [x.credentialId, x.patch])).toEqual([
      ['c1', { error: 'failed_to_set' }],
      ['c2', { error: 'failed_to_set' }],
    ]);
    expect(w.committed[0]!.events).toEqual([
      {
        type: 'unreachable',
        lockId: 'lock_1',
        during: 'read',
        message: 'no ack from node 7',
        failures: 1,
        retryAt,
        shown: 2,
      },
    ]);
    expect(w.rt.stats.fullReads).toBe(0);
  });

  it('shows nothing as failed when a lock read before does not answer a read again', async () => {
    const w = world();
    const p = picture({ assignments: [assignmentRow('c1', 2, A)] });
    await fullRead(w.rt, p, driverWith({ read: () => Promise.reject(new Error('asleep')) }), model);
    expect(w.committed[0]!.writes).toEqual([]);
    expect(w.committed[0]!.events[0]).toMatchObject({ type: 'unreachable', shown: 0, failures: 1 });
  });

  it('reports a driver that fails with something other than an Error in its own words', async () => {
    for (const [thrown, said] of [
      ['radio gone', 'radio gone'],
      [null, 'null'],
      [undefined, 'undefined'],
    ] as const) {
      const w = world();
      await fullRead(w.rt, picture({}), driverWith({ read: () => Promise.reject(thrown) }), model);
      expect(w.committed[0]!.events[0]).toMatchObject({ type: 'unreachable', during: 'read', message: said });
    }
  });
});

describe('reading back the slots earlier passes left unknown', () => {
  it('reads a slot once for all its intents, drops them all, and reports what the read found', async () => {
    const w = world();
    const p = picture({ intents: [intent('op_1', 4), intent('op_2', 4, 'verify'), intent('op_3', 6)] });
    const read: number[] = [];
    const driver = driverWith({
      readSlot: async (slot) => {
        read.push(slot);
        return slot === 4 ? A : undefined;
      },
    });
    expect(await resolveIntents(w.rt, p, driver, model)).toBe(true);
    expect(read).toEqual([4, 6]);
    expect(w.rt.stats.slotReads).toBe(2);
    const dropped = w.committed.map((e) =>
      e.writes.flatMap((x) => (x.kind === 'intent-dropped' ? [x.id] : [])),
    );
    expect(dropped).toEqual([['op_1', 'op_2'], ['op_2'], ['op_3']]);
    expect(w.committed[0]!.events.at(-1)).toEqual({
      type: 'slot-read-back',
      lockId: 'lock_1',
      slot: 4,
      opId: 'op_1',
      kind: 'add',
      outcome: 'changed-at-keypad',
      check: false,
    });
    expect(w.committed[2]!.events.at(-1)).toMatchObject({
      slot: 6,
      opId: 'op_3',
      outcome: 'empty',
      check: false,
    });
  });

  it('counts a verify or a keypad addition as a check of a keypad edit, and nothing else', async () => {
    for (const [kind, check] of [
      ['verify', true],
      ['keypad-added', true],
      ['add', false],
      ['delete', false],
    ] as const) {
      const w = world();
      const p = picture({
        assignments: [assignmentRow('c1', 4, A, { status: 'set' })],
        reported: new Map([[4, held(4, A, { credentialId: 'c1', unmanaged: false })]]),
        intents: [intent('op_1', 4, kind)],
      });
      await resolveIntents(w.rt, p, driverWith({ readSlot: async () => '5829' }), model);
      expect(w.committed[0]!.events.at(-1)).toMatchObject({ type: 'slot-read-back', kind, check });
    }
  });

  it('drops an intent on slot 0 without reading the lock', async () => {
    const w = world();
    const p = picture({ intents: [intent('op_0', 0)] });
    expect(await resolveIntents(w.rt, p, driverWith({}), model)).toBe(true);
    expect(w.committed).toEqual([{ writes: [{ kind: 'intent-dropped', id: 'op_0' }], events: [] }]);
  });

  it('leaves a slot alone while it backs off or is suspended, and reads it once its back-off has run out', async () => {
    const health = (slot: number, over: Partial<SlotHealth>): [number, SlotHealth] => [
      slot,
      { slot, failures: 1, nextAttemptAt: NOW, suspended: false, lastError: 'unconfirmed', ...over },
    ];
    const w = world();
    const p = picture({
      intents: [intent('op_1', 1), intent('op_2', 2), intent('op_3', 3)],
      health: new Map([health(1, { nextAttemptAt: NOW + 1 }), health(2, { suspended: true }), health(3, {})]),
    });
    const read: number[] = [];
    const driver = driverWith({
      readSlot: async (slot) => {
        read.push(slot);
        return undefined;
      },
    });
    expect(await resolveIntents(w.rt, p, driver, model)).toBe(true);
    expect(read).toEqual([3]);
  });

  it('answers false when every intent waits for its back-off, so the pass plans instead of reloading', async () => {
    const w = world();
    const p = picture({
      intents: [intent('op_1', 1)],
      health: new Map([
        [1, { slot: 1, failures: 1, nextAttemptAt: NOW + 1, suspended: false, lastError: null }],
      ]),
    });
    expect(await resolveIntents(w.rt, p, driverWith({}), model)).toBe(false);
    expect(w.committed).toEqual([]);
  });

  it('backs the slot off when its read-back fails, keeps the intent, and reports the failure', async () => {
    const w = world();
    w.reach.unreached('lock_1', NOW - 10);
    const p = picture({ intents: [intent('op_1', 5)] });
    const driver = driverWith({ readSlot: () => Promise.reject(new Error('no report for slot 5')) });
    expect(await resolveIntents(w.rt, p, driver, model)).toBe(true);
    const health = nextHealth(BACKOFF, undefined, 'unconfirmed', true, NOW, seededRandom(7));
    expect(w.committed).toEqual([
      {
        writes: [{ kind: 'slot-health', lockId: 'lock_1', slot: 5, health }],
        events: [
          {
            type: 'slot-read-failed',
            lockId: 'lock_1',
            slot: 5,
            opId: 'op_1',
            message: 'no report for slot 5',
            failures: 1,
            suspended: false,
          },
        ],
      },
    ]);
    expect(w.rt.stats.slotReads).toBe(0);
    // The lock did not answer: it is not told reachable.
    expect(w.told).toEqual([]);
  });

  it('tells the lock reachable again when a slot read answers', async () => {
    const w = world();
    w.reach.unreached('lock_1', NOW - 10);
    const p = picture({ intents: [intent('op_1', 5)] });
    await resolveIntents(w.rt, p, driverWith({ readSlot: async () => undefined }), model);
    expect(w.told).toEqual([{ type: 'reachable', lockId: 'lock_1' }]);
    expect(w.reach.until('lock_1')).toBeUndefined();
  });
});
