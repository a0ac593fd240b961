import type { Driver } from 'zwave-js';
import type { ModelProfile } from '../../core/catalog/types.js';
import type { LockDriver } from '../driver.js';
import { type LockDriverTuning, openZWaveLock, openZWaveServerLock, startZWaveNetwork } from './network.js';
import type { ZWaveOptionsInput } from './options.js';

/** A lock's radio settings as the API takes them (CONTRACT.md, POST /api/v1/locks). */
export type ZWaveLockConfig =
  | { driver: 'zwave'; serialPort: string; nodeId: number }
  | { driver: 'zwave-server'; url: string; nodeId: number };

/**
 * One zwave-js driver per serial port, shared by every lock on that controller: a stick can be
 * opened once, and one driver schedules the frames of all its locks.
 */
export class ZWaveNetworks {
  private readonly drivers = new Map<string, Promise<Driver>>();

  constructor(private readonly options: ZWaveOptionsInput = {}) {}

  network(serialPort: string): Promise<Driver> {
    let driver = this.drivers.get(serialPort);
    if (!driver) {
      driver = startZWaveNetwork({ ...this.options, serialPort });
      // A failed start is not cached: the next lock on that port tries again.
      driver.catch(() => this.drivers.delete(serialPort));
      this.drivers.set(serialPort, driver);
    }
    return driver;
  }

  async open(config: ZWaveLockConfig, model?: ModelProfile, tuning?: LockDriverTuning): Promise<LockDriver> {
    if (config.driver === 'zwave-server') return openZWaveServerLock(config, model, tuning);
    return openZWaveLock(await this.network(config.serialPort), config.nodeId, model, tuning);
  }

  async close(): Promise<void> {
    const drivers = [...this.drivers.values()];
    this.drivers.clear();
    for (const driver of drivers) {
      try {
        await (await driver).destroy();
      } catch {
        // A driver that never started has nothing to close.
      }
    }
  }
}
