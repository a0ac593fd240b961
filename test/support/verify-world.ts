import { getModel } from '../../src/core/catalog/index.js';
import { seededRandom } from '../../src/core/ports.js';
import type { Intent, ReportedSlot } from '../../src/store/sync-state.js';
import type { Applied } from '../../src/store/sync-writes.js';
import { SimClock } from '../../src/sync/clock.js';
import type { LockDriver } from '../../src/sync/driver.js';
import { type SyncEvent, SyncEvents } from '../../src/sync/events.js';
import { DEFAULT_POLICY } from '../../src/sync/lock-plan.js';
import { type BackoffPolicy, Reachability } from '../../src/sync/reach.js';
import { type Effects, noStats, Runtime } from '../../src/sync/runtime.js';
import { NOW } from './sync-picture.js';

/** What src/sync/verify-*.test.ts share: a runtime without a store, drivers made by hand. */
export const model = getModel('914');
export const BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 3_600_000, suspendAfter: 5 };
export const A = '2947561';
export const HOUR = 3_600_000;

/**
 * A runtime with the store left out: what a decision commits, what is told without writing,
 * which wakes and passes it asks for, and the counters.
 */
export function world(every: number | null = HOUR) {
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
    stats: noStats(),
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
export function driverWith(over: Partial<LockDriver>): LockDriver {
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

export const held = (slot: number, code: string | null, over: Partial<ReportedSlot> = {}): ReportedSlot => ({
  slot,
  code,
  credentialId: null,
  unmanaged: true,
  error: null,
  ...over,
});
export const intent = (id: string, slot: number, kind: Intent['kind'] = 'add'): Intent => ({
  id,
  slot,
  kind,
  credentialId: null,
  startedAt: 0,
});
export const kinds = (e: Effects) => e.writes.map((w) => w.kind);
