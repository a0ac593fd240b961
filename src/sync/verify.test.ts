import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignmentRow, NOW, picture } from '../../test/support/sync-picture.js';
import { getModel } from '../core/catalog/index.js';
import { seededRandom } from '../core/ports.js';
import type { Intent, LockSyncPicture, ReportedSlot, SlotHealth } from '../store/sync-state.js';
import type { Applied } from '../store/sync-writes.js';
import { SimClock } from './clock.js';
import type { LockDriver, LockReport } from './driver.js';
import { type SyncEvent, SyncEvents } from './events.js';
import { DEFAULT_POLICY } from './lock-plan.js';
import { type BackoffPolicy, nextHealth, Reachability } from './reach.js';
import { type Effects, Runtime } from './runtime.js';
import { fullRead, resolveIntents, verify } from './verify.js';

const model = getModel('914');
const BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 3_600_000, suspendAfter: 5 };
const A = '2947561';
const HOUR = 3_600_000;

/**
 * A runtime with the store left out: what a decision commits, what is told without writing,
 * which wakes and passes it asks for, and the counters.
 */
function world(every: number | null = HOUR) {
  const verifyEveryMs = every ?? undefined;
  const committed: Effects[] = [];
  const told: SyncEvent[] = [];
  const woken: Array<[string, number]> = [];
  const scheduled: string[] = [];
  const events = new SyncEvents();
  events.subscribe((e) => told.push(e));
  const reach = new Reachability(BACKOFF, seededRandom(11));
  const rt = new Runtime({
    store: undefined as never,
    clock: new SimClock(NOW),
    policy: DEFAULT_POLICY,
    backoff: BACKOFF,
    random: seededRandom(7),
    reach,
    events,
    stats: {
      passes: 0,
      batches: 0,
      opsSent: 0,
      opsConfirmed: 0,
      opsFailed: 0,
      fullReads: 0,
      slotReads: 0,
      checksums: 0,
    },
    opts: { verifyEveryMs },
    open: undefined as never,
    driver: () => null,
    knownDriver: () => undefined,
    wake: (lockId, at) => woken.push([lockId, at]),
    schedule: (lockId) => scheduled.push(lockId),
  });
  rt.commit = async (e: Effects) => {
    committed.push(e);
    return {} as Applied;
  };
  return { rt, committed, told, woken, scheduled, reach };
}

/** A driver whose every call is a function the test gives; anything not given throws. */
function driverWith(over: Partial<LockDriver>): LockDriver {
  const no = () => Promise.reject(new Error('not expected'));
  return {
    kind: 'sim',
    read: no,
    readSlot: no,
    setSlot: no,
    clearSlot: no,
    setProgrammingCode: no,
    onEvent: () => () => undefined,
    close: async () => undefined,
    ...over,
  };
}

const held = (slot: number, code: string | null, over: Partial<ReportedSlot> = {}): ReportedSlot => ({
  slot,
  code,
  credentialId: null,
  unmanaged: true,
  error: null,
  ...over,
});
const intent = (id: string, slot: number, kind: Intent['kind'] = 'add'): Intent => ({
  id,
  slot,
  kind,
  credentialId: null,
  startedAt: 0,
});
const kinds = (e: Effects) => e.writes.map((w) => w.kind);

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

describe('verifying a lock by its checksum', () => {
  const checksumOf = (sum: number | undefined, expected?: (slots: Record<string, string>) => number) =>
    driverWith({ checksum: async () => sum, ...(expected ? { expectedChecksum: expected } : {}) });
  const verified = (over: Partial<LockSyncPicture> = {}) =>
    picture({ checksum: '1234', verifiedAt: NOW - HOUR + 1, ...over });

  it('asks nothing of a lock without a checksum, or when verification is off', async () => {
    const off = world(null);
    let asked = 0;
    const counting = driverWith({ checksum: async () => ++asked });
    await verify(off.rt, picture(), counting, NOW, true);
    const none = world();
    await verify(none.rt, picture(), driverWith({}), NOW, true);
    expect(asked).toBe(0);
    for (const w of [off, none]) {
      expect(w.committed).toEqual([]);
      expect(w.told).toEqual([]);
      expect(w.woken).toEqual([]);
    }
  });

  it('waits a full period after the last verification unless forced, then verifies', async () => {
    let asked = 0;
    const driver = driverWith({ checksum: async () => ++asked && 1234 });
    await verify(world().rt, verified(), driver, NOW);
    expect(asked).toBe(0);
    await verify(world().rt, verified(), driver, NOW, true);
    expect(asked).toBe(1);
    await verify(world().rt, verified({ verifiedAt: NOW - HOUR }), driver, NOW);
    expect(asked).toBe(2);
    await verify(world().rt, verified({ verifiedAt: null }), driver, NOW);
    expect(asked).toBe(3);
    await verify(world().rt, verified({ checksum: null }), driver, NOW);
    expect(asked).toBe(4);
  });

  it('verifies a lock never verified before even within the first period of a clock that started at 0', async () => {
    let asked = 0;
    const driver = driverWith({ checksum: async () => ++asked && 1234 });
    await verify(world().rt, verified({ verifiedAt: null }), driver, 1_000);
    expect(asked).toBe(1);
  });

  it('stores the checksum it took when there is nothing to compare it with', async () => {
    const w = world();
    await verify(w.rt, picture(), checksumOf(4321), NOW);
    expect(w.committed).toEqual([
      {
        writes: [
          { kind: 'lock-sync-state', lockId: 'lock_1', patch: { checksum: '4321', verified_at: NOW } },
        ],
        events: [],
      },
    ]);
    expect(w.rt.stats.checksums).toBe(1);
    expect(w.scheduled).toEqual([]);
  });

  it('marks the lock for a re-read and schedules a pass when the checksum differs from the last one taken', async () => {
    const w = world();
    await verify(w.rt, verified({ verifiedAt: null }), checksumOf(999), NOW);
    expect(w.committed).toEqual([
      {
        writes: [
          {
            kind: 'lock-sync-state',
            lockId: 'lock_1',
            patch: { reread: 1, checksum: null, verified_at: NOW },
          },
        ],
        events: [{ type: 'checksum-changed', lockId: 'lock_1' }],
      },
    ]);
    expect(w.scheduled).toEqual(['lock_1']);
  });

  it('compares with the checksum the register’s slots should give when the driver computes it', async () => {
    const p = verified({
      verifiedAt: null,
      checksum: '999',
      reported: new Map([
        [2, held(2, A)],
        [5, held(5, '5829')],
      ]),
    });
    const given: Array<Record<string, string>> = [];
    const expected = (slots: Record<string, string>) => {
      given.push(slots);
      return 77;
    };
    const same = world();
    await verify(same.rt, p, checksumOf(77, expected), NOW);
    expect(given).toEqual([{ '2': A, '5': '5829' }]);
    expect(same.committed[0]!.writes[0]).toMatchObject({ patch: { checksum: '77', verified_at: NOW } });
    const other = world();
    await verify(other.rt, p, checksumOf(999, expected), NOW);
    expect(other.committed[0]!.events).toEqual([{ type: 'checksum-changed', lockId: 'lock_1' }]);
  });

  it('falls back on the last checksum taken when a masked slot keeps the expected one from being computed', async () => {
    const p = verified({ verifiedAt: null, reported: new Map([[2, held(2, null)]]) });
    const w = world();
    await verify(
      w.rt,
      p,
      checksumOf(1234, () => 77),
      NOW,
    );
    expect(w.committed[0]!.writes[0]).toMatchObject({ patch: { checksum: '1234' } });
    expect(w.scheduled).toEqual([]);
  });

  it('writes nothing when the lock answers without a checksum, and tells it reachable again', async () => {
    const w = world();
    w.reach.unreached('lock_1', NOW - 10);
    await verify(w.rt, picture(), checksumOf(undefined), NOW, true);
    expect(w.committed).toEqual([]);
    expect(w.told).toEqual([{ type: 'reachable', lockId: 'lock_1' }]);
  });

  it('backs the lock off when the checksum fails and reports it once per back-off', async () => {
    const w = world();
    const driver = driverWith({ checksum: () => Promise.reject(new Error('no answer')) });
    await verify(w.rt, picture(), driver, NOW, true);
    const retryAt = w.reach.until('lock_1')!;
    expect(w.woken).toEqual([['lock_1', retryAt]]);
    expect(w.told).toEqual([
      {
        type: 'unreachable',
        lockId: 'lock_1',
        during: 'checksum',
        message: 'no answer',
        failures: 1,
        retryAt,
      },
    ]);
    await verify(w.rt, picture(), driver, NOW, true);
    expect(w.told).toHaveLength(1);
    expect(w.woken).toEqual([
      ['lock_1', retryAt],
      ['lock_1', retryAt],
    ]);
    expect(w.committed).toEqual([]);
    expect(w.rt.stats.checksums).toBe(0);
  });

  it('reports a failure that is not an Error by its text', async () => {
    for (const [thrown, message] of [
      ['radio gone', 'radio gone'],
      [null, 'null'],
      [undefined, 'undefined'],
    ] as const) {
      const w = world();
      await verify(w.rt, picture(), driverWith({ checksum: () => Promise.reject(thrown) }), NOW, true);
      expect(w.told).toMatchObject([{ type: 'unreachable', message }]);
    }
  });

  it('never stores a checksum other than the one the lock gave, and re-reads whenever it differs from the expected one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0xffff }),
        fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 0xffff }).map(String), { nil: null }),
        async (sum, computed, last) => {
          const w = world();
          const driver = checksumOf(sum, computed === undefined ? undefined : () => computed);
          await verify(w.rt, picture({ checksum: last }), driver, NOW, true);
          const expected = computed === undefined ? last : String(computed);
          const differs = expected !== null && expected !== String(sum);
          const patch =
            w.committed[0]!.writes[0]!.kind === 'lock-sync-state' && w.committed[0]!.writes[0]!.patch;
          expect(patch).toEqual(
            differs
              ? { reread: 1, checksum: null, verified_at: NOW }
              : { checksum: String(sum), verified_at: NOW },
          );
          expect(w.scheduled).toEqual(differs ? ['lock_1'] : []);
        },
      ),
    );
  });
});
