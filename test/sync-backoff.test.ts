import { afterEach, describe, expect, it } from 'vitest';
import { KeywardError } from '../src/core/errors.js';
import type { TimerClock } from '../src/sync/clock.js';
import type { DriverEvent, LockDriver, LockReport, WriteResult } from '../src/sync/driver.js';
import type { ReconcilerOptions } from '../src/sync/reconciler.js';
import { DIALECTS, type DialectName } from './store/dialects.js';
import { SyncWorld } from './sync-harness.js';

const HOUR_MS = 3_600_000;
const BACKOFF = { baseMs: 2_000, maxMs: 600_000, suspendAfter: 5 };

let world: SyncWorld;
afterEach(async () => {
  await world?.close();
});

/**
 * A radio lock that, while `down`, answers nothing: every call fails after saying `unreachable`
 * (as the Z-Wave driver does), and it keeps saying so on its own every few seconds. Each call is
 * an attempt, timed on the simulated clock.
 */
class SilentLock implements LockDriver {
  readonly kind = 'zwave' as const;
  down = true;
  /** Whether it also says `unreachable` on its own while down (a node marked dead). */
  chatty = true;
  readonly slots = new Map<number, string>();
  readonly attempts: Array<{ what: string; at: number }> = [];
  readonly #listeners = new Set<(e: DriverEvent) => void>();
  readonly #clock: TimerClock;
  #stopChatter: () => void = () => {};

  constructor(clock: TimerClock) {
    this.#clock = clock;
    const chatter = () => {
      if (this.down && this.chatty) this.#say('the node is marked dead');
      this.#stopChatter = clock.at(clock.now() + 7_000, chatter);
    };
    this.#stopChatter = clock.at(clock.now() + 7_000, chatter);
  }

  #say(message: string): void {
    for (const l of this.#listeners) l({ type: 'unreachable', at: this.#clock.now(), message });
  }

  #attempt(what: string): void {
    this.attempts.push({ what, at: this.#clock.now() });
    if (this.down) {
      this.#say(`no answer to ${what}`);
      throw new KeywardError('DRIVER_FAILED', `no answer to ${what}`);
    }
  }

  async read(): Promise<LockReport> {
    this.#attempt('read');
    return {
      slots: Object.fromEntries([...this.slots].map(([s, c]) => [String(s), c])),
      at: this.#clock.now(),
    };
  }

  async readSlot(slot: number): Promise<string | null | undefined> {
    this.#attempt(`read of slot ${slot}`);
    return this.slots.get(slot);
  }

  async checksum(): Promise<number | undefined> {
    this.#attempt('checksum');
    return this.slots.size;
  }

  expectedChecksum(slots: Record<string, string>): number {
    return Object.keys(slots).length;
  }

  async setSlot(slot: number, code: string): Promise<WriteResult> {
    try {
      this.#attempt(`set of slot ${slot}`);
    } catch (e) {
      return { ok: false, error: 'failed_to_set', message: (e as Error).message, retryable: true };
    }
    this.slots.set(slot, code);
    return { ok: true, confirmedBy: 'notification' };
  }

  async clearSlot(slot: number): Promise<WriteResult> {
    try {
      this.#attempt(`clear of slot ${slot}`);
    } catch (e) {
      return { ok: false, error: 'failed_to_remove', message: (e as Error).message, retryable: true };
    }
    this.slots.delete(slot);
    return { ok: true, confirmedBy: 'notification' };
  }

  async setProgrammingCode(): Promise<WriteResult> {
    return { ok: false, error: 'failed_to_set', message: 'not simulated', retryable: false };
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#stopChatter();
  }
}

/** A world whose one lock is a SilentLock, its reconciler sweeping every 5 s like `serve`. */
async function silentWorld(
  dialect: DialectName,
  extra: Partial<ReconcilerOptions> = {},
): Promise<{ lockId: string; lock: SilentLock }> {
  let lock: SilentLock | null = null;
  world = await SyncWorld.create({
    dialect,
    reconciler: {
      backoff: BACKOFF,
      sweepEveryMs: 5_000,
      driverFor: () => lock,
      ...extra,
    },
  });
  lock = new SilentLock(world.clock);
  const added = await world.store.addLock({
    siteId: world.siteId,
    name: 'Garage',
    model: '914',
    driver: 'zwave',
  });
  return { lockId: added.id, lock };
}

/** Gaps between attempts, in ms. */
function gaps(attempts: ReadonlyArray<{ at: number }>): number[] {
  return attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
}

/** Each gap is the back-off's: base doubling per failure up to the cap, plus up to 25% jitter. */
function expectBackoffGaps(found: number[], from = 1): void {
  found.forEach((gap, i) => {
    const exp = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** (i + from - 1));
    expect(gap).toBeGreaterThanOrEqual(exp);
    expect(gap).toBeLessThanOrEqual(exp * 1.25);
  });
}

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('a lock that does not answer', () => {
    it('is tried as often as its back-off allows over an hour, however often it says unreachable and however often the sweep runs', async () => {
      const { lockId, lock } = await silentWorld(dialect);
      await world.store.addCredential({ name: 'Di', code: '2947561', lockIds: [lockId] });
      await world.reconciler.start();
      await world.settle(HOUR_MS);

      // 2, 4, ... 512 s, then the 10-minute cap: about 14 attempts, where the sweep alone would
      // make 720 and the unreachable events a tight loop.
      expect(lock.attempts.every((a) => a.what === 'read')).toBe(true);
      expect(lock.attempts.length).toBeGreaterThanOrEqual(12);
      expect(lock.attempts.length).toBeLessThanOrEqual(15);
      expectBackoffGaps(gaps(lock.attempts));
      const log = await world.audit();
      expect(log.filter((r) => r.action === 'sync.unreachable')).toHaveLength(lock.attempts.length);
      expect(log.some((r) => r.action === 'lock.unreachable')).toBe(true);
    });

    it('shows the pending codes of a lock it never read as failed_to_set until the first read succeeds', async () => {
      const { lockId, lock } = await silentWorld(dialect);
      const di = await world.store.addCredential({ name: 'Di', code: '2947561', lockIds: [lockId] });
      await world.reconciler.start();
      await world.settle(60_000);
      expect((await world.statuses(di.id))[0]).toMatchObject({ status: 'unset', error: 'failed_to_set' });
      expect((await world.store.lockView(lockId)).slots).toEqual([
        expect.objectContaining({ credentialId: di.id, status: 'unset', error: 'failed_to_set' }),
      ]);

      // A code added while the lock backs off shows the same, without a frame being spent on it.
      const tried = lock.attempts.length;
      const eve = await world.store.addCredential({ name: 'Eve', code: '8163402', lockIds: [lockId] });
      world.reconciler.schedule(lockId);
      await world.settle(1);
      expect(lock.attempts).toHaveLength(tried);
      expect((await world.statuses(eve.id))[0]).toMatchObject({ status: 'unset', error: 'failed_to_set' });

      lock.down = false;
      await world.settle(HOUR_MS);
      for (const c of [di, eve])
        expect((await world.statuses(c.id))[0]).toMatchObject({ status: 'set', error: null });
      expect([...lock.slots.values()].sort()).toEqual(['2947561', '8163402']);
      expect(JSON.stringify(await world.audit())).not.toContain('2947');
    });

    it('backs a failed first read off exponentially up to its cap, and starts again from the base once the lock has answered', async () => {
      const { lock } = await silentWorld(dialect, { verifyEveryMs: HOUR_MS });
      // Only failed calls count here: a node that also says it is dead would be backed off further.
      lock.chatty = false;
      await world.reconciler.start();
      await world.settle(45 * 60_000);
      const reads = lock.attempts.filter((a) => a.what === 'read');
      expect(reads.length).toBe(lock.attempts.length);
      // The sweep ran 540 times; the reads followed the back-off, capped at 10 minutes.
      expectBackoffGaps(gaps(reads));
      expect(Math.max(...gaps(reads))).toBeGreaterThanOrEqual(BACKOFF.maxMs);

      // The lock answers once the next wake comes; then, later, falls silent again.
      lock.down = false;
      await world.settle(BACKOFF.maxMs * 1.25);
      expect((await world.audit()).some((r) => r.action === 'sync.read')).toBe(true);
      lock.down = true;
      lock.attempts.length = 0;
      await world.settle(HOUR_MS + 10 * 60_000);
      const checks = lock.attempts.filter((a) => a.what === 'checksum');
      expect(checks.length).toBeGreaterThanOrEqual(5);
      // From the base again: 2 s, 4 s, 8 s..., not from where the first outage left off.
      expectBackoffGaps(gaps(checks).slice(0, 8));
      expect(gaps(checks)[0]).toBeLessThan(BACKOFF.baseMs * 1.25 + 1);
    });
  });
});
