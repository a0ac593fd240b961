import type { Driver } from 'zwave-js';
import type { ModelProfile } from '../../core/catalog/types.js';
import { KeywardError } from '../../core/errors.js';
import { redactUrl, redactUrlsIn, serialPortProblem, serverUrlProblem } from '../../core/radio/address.js';
import type { TimerClock } from '../clock.js';
import { type DiscoveredLock, discoverOnConnection, discoverOnDriver } from './discovery.js';
import { type FaultListener, faultsToStderr } from './faults.js';
import { ZWaveLockDriver } from './lock-driver.js';
import { type LockDriverTuning, openZWaveLock, startZWaveNetwork } from './network.js';
import type { ZWaveOptionsInput } from './options.js';
import { radioClock } from './radio-clock.js';
import { ServerConnection } from './server-connection.js';
import { ServerLink } from './server-link.js';
import { ServerPool, type ServerPoolLimits } from './server-pool.js';
import type { ZWaveTarget } from './target.js';

export type { ZWaveTarget } from './target.js';

/** A lock's radio settings as the API takes them (POST /api/v1/locks). */
export type ZWaveLockConfig =
  | { driver: 'zwave'; serialPort: string; nodeId: number }
  | { driver: 'zwave-server'; url: string; nodeId: number };

export interface NetworkStatus {
  kind: 'zwave' | 'zwave-server';
  /** The serial port or the server's address, without credentials. */
  target: string;
  state: 'connecting' | 'connected' | 'failed' | 'closed';
  /** Why it failed or closed (never contains a code: these are connection errors). */
  error: string | null;
  /** When the state last changed (ms since epoch). */
  at: number;
}

export interface ZWaveNetworksHooks {
  /** Status times and the discovery wait run on it. Default: radioClock (the system clock). */
  clock?: TimerClock;
  /** Hears the failures that concern no single lock (see ZWaveFault). Default: standard error. */
  onFault?: FaultListener;
  /** How many idle zwave-js-server connections stay open, and for how long (server-pool.ts). */
  pool?: ServerPoolLimits;
}

/** Statuses kept at most: those of networks no longer open go first. */
const MAX_STATUSES = 32;

/** A lock driver together with whether the network under it is still there. */
export interface OpenedLock {
  driver: ZWaveLockDriver;
  /** Undefined while usable; otherwise why the network under it went away. */
  gone(): string | undefined;
  /** The driver is done with its network (a server's connection may then be closed when idle). */
  release?(): void;
}

/**
 * One zwave-js driver per serial port and one websocket per zwave-js-server, each shared by
 * every lock on it: a stick can be opened once, one driver schedules the frames of all its
 * locks, and a server should see one client per Keyward, not one per door.
 */
export class ZWaveNetworks {
  private readonly drivers = new Map<string, Promise<Driver>>();
  private readonly servers: ServerPool;
  private readonly states = new Map<string, NetworkStatus>();
  /** Drivers started by someone else (tests, an embedding program): used, never destroyed here. */
  private readonly borrowed = new Set<string>();
  private closing = false;

  private readonly clock: TimerClock;
  private readonly onFault: FaultListener;

  constructor(
    private readonly options: ZWaveOptionsInput = {},
    hooks: ZWaveNetworksHooks = {},
  ) {
    this.clock = hooks.clock ?? radioClock;
    this.onFault = hooks.onFault ?? faultsToStderr;
    this.servers = new ServerPool(
      this.clock,
      (url) => this.connect(url),
      (url, why) => this.mark('zwave-server', url, 'closed', why),
      hooks.pool,
    );
  }

  /** Statuses show addresses and errors without credentials; they are kept for a bounded set. */
  private mark(kind: NetworkStatus['kind'], target: string, state: NetworkStatus['state'], error?: unknown) {
    const text = error === undefined ? null : error instanceof Error ? error.message : String(error);
    const key = `${kind} ${target}`;
    this.states.delete(key);
    this.states.set(key, {
      kind,
      target: redactUrl(target),
      state,
      error: text === null ? null : redactUrlsIn(text),
      at: this.clock.now(),
    });
    if (this.states.size <= MAX_STATUSES) return;
    // Oldest first (a Map keeps insertion order): drop networks no longer open.
    for (const [k, status] of this.states) {
      if (this.states.size <= MAX_STATUSES) break;
      const where = k.slice(status.kind.length + 1);
      const open = status.kind === 'zwave' ? this.drivers.has(where) : this.servers.has(where);
      if (!open) this.states.delete(k);
    }
  }

  /** Every network opened or tried so far, for the API and the start-up banner. */
  status(): NetworkStatus[] {
    return [...this.states.values()].sort((a, b) => a.target.localeCompare(b.target));
  }

  /** Uses an already started zwave-js driver for this port instead of opening the port. */
  attach(serialPort: string, driver: Driver): void {
    this.drivers.set(serialPort, Promise.resolve(driver));
    this.borrowed.add(serialPort);
    this.mark('zwave', serialPort, 'connected');
  }

  network(serialPort: string): Promise<Driver> {
    if (this.closing) return Promise.reject(new KeywardError('DRIVER_FAILED', 'Z-Wave is shutting down'));
    const problem = this.drivers.has(serialPort) ? null : serialPortProblem(serialPort);
    if (problem) return Promise.reject(new KeywardError('BAD_INPUT', `serialPort ${problem}`));
    let driver = this.drivers.get(serialPort);
    if (!driver) {
      this.mark('zwave', serialPort, 'connecting');
      driver = startZWaveNetwork({ ...this.options, serialPort });
      driver.then(
        (d) => {
          this.mark('zwave', serialPort, 'connected');
          // After start, a failing stick reports here; without a listener it would end the process.
          d.on('error', (error) => this.mark('zwave', serialPort, 'failed', error));
        },
        (error: unknown) => {
          // A failed start is not kept: the next use of that port tries again.
          this.drivers.delete(serialPort);
          this.mark('zwave', serialPort, 'failed', error);
        },
      );
      this.drivers.set(serialPort, driver);
    }
    return driver;
  }

  /** The connection to a zwave-js-server; `forLock` keeps it open until the lock releases it. */
  server(url: string, forLock = false): Promise<ServerConnection> {
    if (this.closing) return Promise.reject(new KeywardError('DRIVER_FAILED', 'Z-Wave is shutting down'));
    const problem = serverUrlProblem(url);
    if (problem) return Promise.reject(new KeywardError('BAD_INPUT', `url ${problem}`));
    return this.servers.acquire(url, forLock);
  }

  private connect(url: string): Promise<ServerConnection> {
    this.mark('zwave-server', url, 'connecting');
    const connection = ServerConnection.connect(url, { onFault: this.onFault, clock: this.clock });
    connection.then(
      (c) => {
        this.mark('zwave-server', url, 'connected');
        c.onClose((why) => {
          if (!this.closing) this.mark('zwave-server', url, 'closed', why);
        });
      },
      (error: unknown) => this.mark('zwave-server', url, 'failed', error),
    );
    return connection;
  }

  /** The lock's driver on its shared network; rejects with DRIVER_FAILED when it cannot be reached. */
  async openLock(
    config: ZWaveLockConfig,
    model?: ModelProfile,
    tuning: LockDriverTuning = {},
  ): Promise<OpenedLock> {
    const timed = { ...tuning, clock: tuning.clock ?? this.clock };
    if (config.driver === 'zwave-server') {
      const held = this.server(config.url, true);
      const release = () => this.servers.release(config.url, held);
      try {
        const connection = await held;
        const link = await ServerLink.open(connection, config.nodeId, false, timed.clock);
        return {
          driver: new ZWaveLockDriver({ ...timed, link, model }),
          gone: () => connection.closed,
          release,
        };
      } catch (error) {
        release();
        throw error;
      }
    }
    const driver = await this.network(config.serialPort);
    return { driver: openZWaveLock(driver, config.nodeId, model, timed), gone: () => undefined };
  }

  async open(
    config: ZWaveLockConfig,
    model?: ModelProfile,
    tuning?: LockDriverTuning,
  ): Promise<ZWaveLockDriver> {
    return (await this.openLock(config, model, tuning)).driver;
  }

  /** The Kwikset locks on a network, from the controller's cache: nothing is sent to the locks. */
  async discover(target: ZWaveTarget, waitMs = 0): Promise<DiscoveredLock[]> {
    if ('url' in target) {
      try {
        return await discoverOnConnection(await this.server(target.url));
      } finally {
        this.servers.idle(target.url);
      }
    }
    const driver = await this.network(target.serialPort);
    // Keyward's own stick: interviews run after start, and a lock's codes are known only once
    // its interview is done. A server shared with Home Assistant has long finished them.
    if (waitMs > 0 && [...driver.controller.nodes.values()].some((n) => !n.ready)) {
      let cancel: (() => void) | undefined;
      await Promise.race([
        new Promise<void>((resolve) => driver.once('all nodes ready', () => resolve())),
        new Promise<void>((resolve) => {
          cancel = this.clock.at(this.clock.now() + waitMs, resolve);
        }),
      ]);
      cancel?.();
    }
    return discoverOnDriver(driver);
  }

  private fault(target: string, during: string, error: unknown): void {
    const message = redactUrlsIn(error instanceof Error ? error.message : String(error));
    this.onFault({ at: this.clock.now(), target: redactUrl(target), during, message });
  }

  async close(): Promise<void> {
    this.closing = true;
    const drivers = [...this.drivers.entries()];
    const servers = this.servers.takeAll();
    this.drivers.clear();
    for (const [port, starting] of drivers) {
      if (this.borrowed.has(port)) continue;
      const driver = await settled(starting);
      // A driver that never started has nothing to close; its failure is already in status().
      if (!driver) continue;
      try {
        await driver.destroy();
        this.mark('zwave', port, 'closed');
      } catch (error) {
        this.mark('zwave', port, 'failed', error);
        this.fault(port, 'closing the Z-Wave network', error);
      }
    }
    for (const [url, connecting] of servers) {
      const server = await settled(connecting);
      // Never connected: nothing to close, and the failure is already in status().
      if (!server) continue;
      try {
        await server.close();
        this.mark('zwave-server', url, 'closed');
      } catch (error) {
        this.mark('zwave-server', url, 'failed', error);
        this.fault(url, 'closing the zwave-js-server connection', error);
      }
    }
  }
}

/** The value, or undefined when the promise failed (its failure was reported where it failed). */
async function settled<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}
