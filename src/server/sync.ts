import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import { driverSettings } from '../store/lock-config.js';
import { systemClock } from '../sync/clock.js';
import type { SyncEvent, SyncListener } from '../sync/events.js';
import { SiteLeases } from '../sync/leases.js';
import { ManualSessions } from '../sync/manual-session.js';
import { Reconciler } from '../sync/reconciler.js';
import { SimLock } from '../sync/sim-driver.js';
import { ZigbeeHub } from '../sync/zigbee2mqtt/hub.js';
import { ZWaveHub } from '../sync/zwave/hub.js';

export interface SyncHandle {
  /** Whether a reconciler runs in this process. */
  running: boolean;
  /** What it does and does not drive, for the start-up banner. */
  note: string | null;
  nudge(lockIds: readonly string[]): void;
  /** Reads the whole lock again and compares it with the register (a "check now" button). */
  recheck(lockId: string): Promise<void>;
  /** Hears everything sync reports (src/sync/events.ts); returns the unsubscribe. */
  subscribe(listener: SyncListener): () => void;
  /**
   * Tells the port's subscribers of a failure found beside sync (a Z-Wave network's, not one
   * lock's), so it is seen where everything sync reports is seen.
   */
  report(error: Extract<SyncEvent, { type: 'error' }>): void;
  stop(): Promise<void>;
}

export interface SyncOptions {
  /** Simulated locks keep their memory here, so they outlive a restart; none: in memory. */
  simDir?: string;
  /** One-way radio latency of a simulated lock, ms (a real FLiRS wake-up beam is about 1 s). */
  simLatencyMs?: number;
  /**
   * Drives `zwave` and `zwave-server` locks; shared with the API's discovery routes. Default: a
   * hub of this sync's own, closed when it stops.
   */
  zwave?: ZWaveHub;
  /** Drives `zigbee2mqtt` locks. Default: a hub of this sync's own (no default broker). */
  zigbee?: ZigbeeHub;
  /** Back-off of failed writes and unreachable locks (tests shorten it). */
  backoff?: ConstructorParameters<typeof Reconciler>[0]['backoff'];
  /** Lease time on a shared database. */
  leaseMs?: number;
  sweepEveryMs?: number;
  /** A listener subscribed before the first pass (the server's logger: logSyncEvents). */
  onEvent?: SyncListener;
}

export const NO_SYNC: SyncHandle = {
  running: false,
  note: null,
  nudge: () => {},
  recheck: async () => {},
  subscribe: () => () => {},
  report: () => {},
  stop: async () => {},
};

/** The few methods of a logger (pino's, fastify's) that logSyncEvents uses. */
export interface SyncLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * One log line per sync event: failures and errors at warn and error, with the lock id (events
 * never carry a code's digits, so the line never does either).
 */
export function logSyncEvents(log: SyncLogger): SyncListener {
  return (e: SyncEvent) => {
    const { type, ...fields } = e;
    const what =
      e.type === 'lock-event'
        ? `sync: lock reported ${e.event.type}`
        : e.type === 'error'
          ? `sync: error during ${e.during}: ${e.message}`
          : `sync: ${type}`;
    if (e.type === 'error') log.error(fields, what);
    else if (e.type === 'unreachable' || e.type === 'op-failed' || e.type === 'code-blocked')
      log.warn(fields, what);
    else log.info(fields, what);
  };
}

const NUDGE_GATHER_MS = 100;

/**
 * Runs src/sync's reconciler over the register. On PostgreSQL every instance takes leases per
 * site, so several servers on one database share the locks and never drive one lock twice; on
 * SQLite there is one instance and it works on every lock. A manual lock's changes become a guide
 * session (src/sync/manual-session.ts) that a person works through from the lock page.
 */
export async function startSync(store: Store, opts: SyncOptions = {}): Promise<SyncHandle> {
  if (opts.simDir) mkdirSync(opts.simDir, { recursive: true, mode: 0o700 });
  let leases: SiteLeases | null = null;
  const sessions = new ManualSessions(store);
  const zwave = opts.zwave ?? new ZWaveHub();
  const zigbee = opts.zigbee ?? new ZigbeeHub();
  const reconciler = new Reconciler({
    store,
    clock: systemClock,
    driverFor: (lock) => {
      if (lock.driver === 'sim')
        return new SimLock({
          model: lock.model,
          clock: systemClock,
          latencyMs: opts.simLatencyMs ?? 40,
          checksum: true,
          ...(opts.simDir ? { file: join(opts.simDir, `${lock.id}.json`) } : {}),
        });
      // The network is opened on the lock's first pass, not here: a stick or server that cannot
      // be reached is then a retryable failure of that pass, never an exception at start-up.
      if (lock.driver === 'zwave' || lock.driver === 'zwave-server')
        return zwave.lockDriver(lock, () => driverSettings(store.ctx, lock.id));
      if (lock.driver === 'zigbee2mqtt')
        return zigbee.lockDriver(lock, async () => (await store.getLock(lock.id)).driverConfig);
      return null;
    },
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    // Only a lock without a radio gets a guide session.
    onManual: async (p, lp) => {
      if (p.driver === 'manual') await sessions.open(p, lp);
    },
    mayWork: (siteId) => (leases ? leases.holds(siteId) : true),
    // Edits from elsewhere (another instance, `keyward code add` beside the server) reach the
    // locks within this time even though nobody scheduled them here.
    sweepEveryMs: opts.sweepEveryMs ?? 5_000,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  if (store.dialect === 'postgres') {
    leases = new SiteLeases({
      store,
      clock: systemClock,
      holder: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      ttlMs: opts.leaseMs ?? 15_000,
      onError: (e) =>
        reconciler.events.publish([
          { type: 'error', lockId: null, during: 'renewing site leases', message: e.message },
        ]),
    });
    leases.onAcquired(async (siteId) => {
      const locks = await store.listLocks(siteId);
      await reconciler.start(locks.map((l) => l.id));
    });
    await leases.start();
  } else {
    await reconciler.start();
  }
  const nudged = new Set<string>();
  let nudgeTimer: NodeJS.Timeout | undefined;
  return {
    running: true,
    note:
      store.dialect === 'postgres'
        ? 'reconciler running; sites are shared with other instances on this database by lease'
        : 'reconciler running on every lock',
    nudge: (lockIds) => {
      for (const id of lockIds) nudged.add(id);
      // Changes that arrive within a few milliseconds of each other (a burst of new codes, a
      // bulk import) reach the reconciler together, so it reads their locks as one batch.
      nudgeTimer ??= setTimeout(() => {
        nudgeTimer = undefined;
        const ids = [...nudged];
        nudged.clear();
        for (const id of ids) reconciler.schedule(id);
      }, NUDGE_GATHER_MS);
    },
    recheck: (lockId) => reconciler.recheck(lockId),
    subscribe: (listener) => reconciler.events.subscribe(listener),
    report: (error) => reconciler.events.publish([error]),
    stop: async () => {
      if (nudgeTimer) clearTimeout(nudgeTimer);
      reconciler.stop();
      await reconciler.whenIdle();
      await leases?.stop();
      if (!opts.zwave) await zwave.close();
      if (!opts.zigbee) await zigbee.close();
    },
  };
}
