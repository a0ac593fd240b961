import { existsSync } from 'node:fs';
import { Driver } from 'zwave-js';
import type { ModelProfile } from '../../core/catalog/types.js';
import { KeywardError } from '../../core/errors.js';
import { DriverLink } from './driver-link.js';
import { ZWaveLockDriver, type ZWaveLockDriverOptions } from './lock-driver.js';
import { type ZWaveOptionsInput, zwaveOptions } from './options.js';
import { ServerConnection } from './server-connection.js';
import { ServerLink } from './server-link.js';

export interface ZWaveNetworkConfig extends ZWaveOptionsInput {
  /** The controller's serial port, e.g. /dev/ttyUSB0 (the rule: src/core/radio/address.ts). */
  serialPort: string;
}

/**
 * Starts zwave-js on Keyward's own controller, always with Keyward's options (codes are queried,
 * never cleared, on a first interview; the cache stays in the data directory). Resolves when
 * the driver is ready; node interviews continue in the background.
 */
export async function startZWaveNetwork(config: ZWaveNetworkConfig): Promise<Driver> {
  // zwave-js keeps retrying a device path that is not there; a missing stick is said at once.
  if (config.serialPort.startsWith('/') && !existsSync(config.serialPort)) {
    throw new KeywardError(
      'DRIVER_FAILED',
      `no serial device at ${config.serialPort}: is the Z-Wave stick plugged in?`,
    );
  }
  const driver = new Driver(config.serialPort, zwaveOptions(config));
  const ready = new Promise<void>((resolve, reject) => {
    driver.once('driver ready', () => resolve());
    driver.once('error', (error) => reject(error));
  });
  try {
    await driver.start();
    await ready;
  } catch (error) {
    await driver.destroy();
    throw new KeywardError(
      'DRIVER_FAILED',
      `cannot start zwave-js on ${config.serialPort}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return driver;
}

export type LockDriverTuning = Omit<ZWaveLockDriverOptions, 'link' | 'model'>;

/** The `zwave` lock driver for one node of an in-process network. */
export function openZWaveLock(
  driver: Driver,
  nodeId: number,
  model?: ModelProfile,
  tuning: LockDriverTuning = {},
): ZWaveLockDriver {
  return new ZWaveLockDriver({ ...tuning, link: new DriverLink(driver, nodeId, tuning.clock), model });
}

/** The `zwave-server` lock driver: one websocket to the server per lock driver. */
export async function openZWaveServerLock(
  config: { url: string; nodeId: number },
  model?: ModelProfile,
  tuning: LockDriverTuning = {},
): Promise<ZWaveLockDriver> {
  const connection = await ServerConnection.connect(config.url);
  try {
    return new ZWaveLockDriver({
      ...tuning,
      link: await ServerLink.open(connection, config.nodeId, true, tuning.clock),
      model,
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
}
