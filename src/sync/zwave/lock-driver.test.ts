import { describe, expect, it } from 'vitest';
import { SimClock } from '../clock.js';
import type { DriverEvent, WriteResult } from '../driver.js';
import { LazyZWaveDriver } from './lazy-driver.js';
import type { LinkCapabilities, LinkSignal, LockLink, SlotRead } from './link.js';
import { ZWaveLockDriver, type ZWaveLockDriverOptions } from './lock-driver.js';

const HOUR = 3_600_000;

/** A node in memory: every call is a function the test sets, every signal one it sends. */
class FakeLink implements LockLink {
  readonly kind = 'zwave' as const;
  readonly nodeId = 7;
  readonly slots = new Map<number, string>();
  readonly calls: string[] = [];
  private readonly listeners = new Set<(signal: LinkSignal) => void>();
  set: (slot: number, code: string) => Promise<void> = async (slot, code) => {
    this.calls.push(`set ${slot}`);
    this.slots.set(slot, code);
  };
  get: (slot: number) => Promise<SlotRead | undefined> = async (slot) => {
    this.calls.push(`get ${slot}`);
    const code = this.slots.get(slot);
    return code === undefined ? { status: 'empty' } : { status: 'occupied', code };
  };
  capabilities(): LinkCapabilities {
    return { users: 30, checksum: false, adminCode: false };
  }
  cachedSlots() {
    return new Map<number, string | null>();
  }
  cachedBattery() {
    return undefined;
  }
  async clear(slot: number) {
    this.slots.delete(slot);
  }
  async checksum() {
    return undefined;
  }
  async setAdminCode() {}
  async getAdminCode() {
    return undefined;
  }
  subscribe(listener: (signal: LinkSignal) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  send(signal: LinkSignal): void {
    for (const listener of this.listeners) listener(signal);
  }
  async close() {}
}

function driverOn(link: FakeLink, clock: SimClock, options: Partial<ZWaveLockDriverOptions> = {}) {
  const driver = new ZWaveLockDriver({ link, clock, ...options });
  const events: DriverEvent[] = [];
  driver.onEvent((e) => events.push(e));
  return { driver, events };
}

/** The promise's result once it has one, or 'pending'. */
function watch<T>(promise: Promise<T>): () => T | 'pending' {
  let result: T | 'pending' = 'pending';
  void promise.then((r) => {
    result = r;
  });
  return () => result;
}

describe('the Z-Wave lock driver on a simulated clock', () => {
  it('waits for the lock to confirm a set for as long as told, on the clock, then reads the slot back', async () => {
    const clock = new SimClock(1_000);
    const link = new FakeLink();
    const { driver } = driverOn(link, clock, { notificationWaitMs: HOUR });
    const result = watch(driver.setSlot(3, '2580'));
    await clock.advance(HOUR - 1);
    expect(result()).toBe('pending');
    expect(link.calls).toEqual(['set 3']);
    await clock.advance(1);
    expect(result()).toEqual<WriteResult>({ ok: true, confirmedBy: 'read-back' });
    expect(link.calls).toEqual(['set 3', 'get 3']);
    expect(clock.nextAt()).toBeUndefined();
  });

  it('takes the lock notification that arrives within the wait and reads nothing back', async () => {
    const clock = new SimClock();
    const link = new FakeLink();
    const { driver } = driverOn(link, clock, { notificationWaitMs: HOUR });
    const result = watch(driver.setSlot(3, '2580'));
    await clock.advance(10);
    link.send({ kind: 'notification', type: 6, event: 14, userId: 3 });
    await clock.advance(0);
    expect(result()).toEqual<WriteResult>({ ok: true, confirmedBy: 'notification' });
    expect(link.calls).toEqual(['set 3']);
    expect(clock.nextAt()).toBeUndefined();
  });

  it('gives up on a node that never answers when the call limit passes on the clock', async () => {
    const clock = new SimClock();
    const link = new FakeLink();
    link.set = () => new Promise<void>(() => undefined);
    const { driver, events } = driverOn(link, clock, { callTimeoutMs: HOUR });
    const result = watch(driver.setSlot(3, '2580'));
    await clock.advance(HOUR);
    expect(result()).toMatchObject({ ok: false, error: 'failed_to_set', retryable: true });
    expect(events).toEqual([{ type: 'unreachable', at: HOUR, message: expect.stringContaining('node 7') }]);
  });

  it('backs off between unacknowledged tries on the clock, doubling each time', async () => {
    const clock = new SimClock();
    const link = new FakeLink();
    let tries = 0;
    link.set = async () => {
      tries++;
      throw new Error('no ack');
    };
    const { driver, events } = driverOn(link, clock, { attempts: 3, backoffMs: 1_000 });
    const result = watch(driver.setSlot(3, '2580'));
    await clock.advance(999);
    expect(tries).toBe(1);
    await clock.advance(1);
    expect(tries).toBe(2);
    await clock.advance(1_999);
    expect(tries).toBe(2);
    await clock.advance(1);
    expect(tries).toBe(3);
    expect(result()).toMatchObject({ ok: false, error: 'failed_to_set' });
    expect(events.map((e) => e.type)).toEqual(['unreachable']);
  });

  it('reports a keypad addition it cannot read back as a fault, then as an addition of an unknown code', async () => {
    const clock = new SimClock(5_000);
    const link = new FakeLink();
    link.get = async () => {
      throw new Error('no ack');
    };
    const { events } = driverOn(link, clock, { attempts: 1 });
    link.send({ kind: 'notification', type: 6, event: 14, userId: 4 });
    await clock.advance(0);
    expect(events).toEqual([
      { type: 'unreachable', at: 5_000, message: expect.stringContaining('a read of slot 4') },
      {
        type: 'fault',
        at: 5_000,
        message: expect.stringContaining('slot 4 could not be read after a code was added at the keypad'),
        during: 'read-back after a keypad alarm',
      },
      { type: 'code-added-at-keypad', slot: 4, code: null, at: 5_000 },
    ]);
  });
});

describe('the lazy Z-Wave driver', () => {
  it('reports a lock driver that fails to close as a fault of its lock instead of dropping it silently', async () => {
    const clock = new SimClock(9_000);
    const link = new FakeLink();
    link.close = async () => {
      throw new Error('the stick went away');
    };
    const lazy = new LazyZWaveDriver({
      kind: 'zwave',
      name: 'lock L1',
      clock,
      open: async () => ({ driver: new ZWaveLockDriver({ link, clock }), gone: () => undefined }),
    });
    const events: DriverEvent[] = [];
    lazy.onEvent((e) => events.push(e));
    await lazy.readSlot(1);
    await lazy.close();
    expect(events).toEqual([
      {
        type: 'fault',
        at: 9_000,
        message: 'lock L1: the stick went away',
        during: 'closing the lock driver',
      },
    ]);
  });
});
