import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOW, picture } from '../../test/support/sync-picture.js';
import { A, driverWith, HOUR, held, world } from '../../test/support/verify-world.js';
import type { LockSyncPicture } from '../store/sync-state.js';
import { verify } from './verify.js';

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
