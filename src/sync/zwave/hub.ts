import { getModel } from '../../core/catalog/index.js';
import { KeywardError } from '../../core/errors.js';
import {
  networkKey,
  SERIAL_PORT_RULE,
  SERVER_URL_RULE,
  serialPortProblem,
  serverUrlProblem,
} from '../../core/radio/address.js';
import type { TimerClock } from '../clock.js';
import type { DiscoveredLock } from './discovery.js';
import type { FaultListener } from './faults.js';
import { LazyZWaveDriver } from './lazy-driver.js';
import type { LockDriverTuning } from './network.js';
import type { SecurityKeysConfig } from './options.js';
import type { NetworkStatus, ZWaveLockConfig, ZWaveNetworks, ZWaveTarget } from './registry.js';

/** Networks registered by an admin, remembered at most (in memory). */
const MAX_REGISTERED = 16;

export interface ZWaveHubOptions {
  /** Keyward's data directory: zwave-js's cache lives in <dataDir>/zwave. */
  dataDir?: string;
  securityKeys?: SecurityKeysConfig;
  /** Retries and waits of every lock driver (defaults: see ZWaveLockDriverOptions). */
  tuning?: LockDriverTuning;
  /** Every wait of the networks and their lock drivers runs on it. Default: radioClock (the system clock). */
  clock?: TimerClock;
  /** Hears the failures that concern no single lock (see ZWaveFault). Default: standard error. */
  onFault?: FaultListener;
}

/** A lock as the register holds it: which driver, and the radio settings in its configuration. */
export interface ZWaveRegisterLock {
  id: string;
  model: string;
  driver: string;
}

/** Reads a lock's stored configuration into the settings its driver needs, or says what is missing. */
export function zwaveLockConfig(driver: string, config: Record<string, unknown>): ZWaveLockConfig {
  const nodeId = config.nodeId;
  if (typeof nodeId !== 'number' || !Number.isInteger(nodeId) || nodeId < 1) {
    throw new KeywardError('BAD_INPUT', `a ${driver} lock needs a nodeId in its configuration`);
  }
  // The one address rule again: a row written before it, or by hand, is not opened either.
  if (driver === 'zwave-server') {
    if (typeof config.url !== 'string' || serverUrlProblem(config.url) !== null)
      throw new KeywardError(
        'BAD_INPUT',
        `a zwave-server lock needs the url of its zwave-js-server: ${SERVER_URL_RULE}`,
      );
    return { driver, url: config.url, nodeId };
  }
  if (driver === 'zwave') {
    if (typeof config.serialPort !== 'string' || serialPortProblem(config.serialPort) !== null)
      throw new KeywardError(
        'BAD_INPUT',
        `a zwave lock needs the serialPort of its controller, which ${SERIAL_PORT_RULE}`,
      );
    return { driver, serialPort: config.serialPort, nodeId };
  }
  throw new KeywardError('BAD_INPUT', `driver ${driver} is not a Z-Wave driver`);
}

/**
 * Keyward's Z-Wave side in a long-running process: the lock drivers the reconciler uses and
 * discovery for the API share one network per stick or server. zwave-js takes about a second
 * to load, so it is loaded the first time a Z-Wave lock or route is used, not at start-up.
 */
export class ZWaveHub {
  private loaded: Promise<ZWaveNetworks> | undefined;
  private networksNow: ZWaveNetworks | undefined;
  private readonly drivers = new Set<LazyZWaveDriver>();
  /** Networks an admin used, by networkKey: others may then use them too (bounded, oldest out). */
  private readonly registered = new Map<string, ZWaveTarget>();
  private closed = false;

  constructor(private readonly options: ZWaveHubOptions = {}) {}

  networks(): Promise<ZWaveNetworks> {
    if (this.closed) return Promise.reject(new KeywardError('DRIVER_FAILED', 'Z-Wave is shutting down'));
    this.loaded ??= import('./registry.js').then((m) => {
      const { dataDir, securityKeys, clock, onFault } = this.options;
      this.networksNow = new m.ZWaveNetworks(
        {
          ...(dataDir !== undefined ? { dataDir } : {}),
          ...(securityKeys ? { securityKeys } : {}),
        },
        { ...(clock ? { clock } : {}), ...(onFault ? { onFault } : {}) },
      );
      return this.networksNow;
    });
    return this.loaded;
  }

  /**
   * The driver of a `zwave` or `zwave-server` lock. It opens the lock's network on first use;
   * `config` is read then, so a lock's settings are looked up only when it is driven.
   */
  lockDriver(lock: ZWaveRegisterLock, config: () => Promise<Record<string, unknown>>): LazyZWaveDriver {
    if (lock.driver !== 'zwave' && lock.driver !== 'zwave-server')
      throw new KeywardError('BAD_INPUT', `driver ${lock.driver} is not a Z-Wave driver`);
    const driver = new LazyZWaveDriver({
      kind: lock.driver,
      // Errors from the network name the stick or server; this names the lock.
      name: `lock ${lock.id}`,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      open: async () => {
        const settings = zwaveLockConfig(lock.driver, await config());
        const networks = await this.networks();
        return networks.openLock(settings, getModel(lock.model), this.options.tuning);
      },
    });
    this.drivers.add(driver);
    return driver;
  }

  async discover(target: ZWaveTarget, waitMs = 0): Promise<DiscoveredLock[]> {
    return (await this.networks()).discover(target, waitMs);
  }

  /**
   * An admin used this network: from now on (until the process ends) others may list its locks
   * and add locks on it, as they may on the networks of locks in the register.
   */
  register(target: ZWaveTarget): void {
    const key = networkKey(target);
    this.registered.delete(key);
    this.registered.set(key, target);
    while (this.registered.size > MAX_REGISTERED) {
      const oldest = this.registered.keys().next().value as string;
      this.registered.delete(oldest);
    }
  }

  /** The network an admin registered under this key, with the credentials they gave. */
  registeredNetwork(key: string): ZWaveTarget | undefined {
    return this.registered.get(key);
  }

  /** The networks tried so far; empty until a Z-Wave lock or route was used. */
  status(): NetworkStatus[] {
    return this.networksNow?.status() ?? [];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const driver of this.drivers) await driver.close();
    this.drivers.clear();
    if (this.loaded) await (await this.loaded).close();
  }
}
