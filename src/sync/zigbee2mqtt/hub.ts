import { getModel } from '../../core/catalog/index.js';
import { KeywardError } from '../../core/errors.js';
import { type BrokerOptions, BrokerPool, redactBrokerUrl } from './broker.js';
import { discoverZigbeeLocks, type ZigbeeLockFound } from './discover.js';
import { LazyZigbeeLock } from './lazy-lock.js';
import { Zigbee2MqttLock } from './lock-driver.js';

/** A `zigbee2mqtt` lock's stored settings. */
export interface ZigbeeLockConfig {
  device: string;
  baseTopic: string;
  /** Absent: the server's broker (`--mqtt`). */
  mqttUrl?: string;
}

export function zigbeeLockConfig(config: Record<string, unknown>): ZigbeeLockConfig {
  if (typeof config.device !== 'string' || config.device === '')
    throw new KeywardError(
      'BAD_INPUT',
      'a zigbee2mqtt lock needs the device (its friendly name in Zigbee2MQTT)',
    );
  return {
    device: config.device,
    baseTopic: typeof config.baseTopic === 'string' && config.baseTopic ? config.baseTopic : 'zigbee2mqtt',
    ...(typeof config.mqttUrl === 'string' && config.mqttUrl ? { mqttUrl: config.mqttUrl } : {}),
  };
}

export interface ZigbeeHubOptions {
  /** The server's broker (`--mqtt`); a lock may name its own. */
  defaultUrl?: string;
  /** Broker credentials for addresses that carry none (from the environment). */
  credentials?: Pick<BrokerOptions, 'username' | 'password'>;
  replyMs?: number;
}

/**
 * Keyward's Zigbee side: one MQTT connection per broker, shared by the reconciler's Zigbee locks
 * and the API's discovery. A broker is connected when a lock or route first needs it.
 */
export class ZigbeeHub {
  readonly #pool: BrokerPool;

  constructor(readonly options: ZigbeeHubOptions = {}) {
    this.#pool = new BrokerPool({ ...options.credentials, clientId: `keyward-z2m-${process.pid}` });
  }

  get defaultUrl(): string | undefined {
    return this.options.defaultUrl;
  }

  #urlOf(mqttUrl: string | undefined): string {
    const url = mqttUrl ?? this.options.defaultUrl;
    if (!url)
      throw new KeywardError(
        'BAD_INPUT',
        'no MQTT broker: start the server with --mqtt mqtt://host:1883, or give the lock its mqttUrl',
      );
    return url;
  }

  /** The driver of a `zigbee2mqtt` lock; `config` is read when the lock is first driven. */
  lockDriver(
    lock: { id: string; model: string },
    config: () => Promise<Record<string, unknown>>,
  ): LazyZigbeeLock {
    return new LazyZigbeeLock(async () => this.openLock(lock, await config()));
  }

  openLock(lock: { id: string; model: string }, config: Record<string, unknown>): Zigbee2MqttLock {
    const c = zigbeeLockConfig(config);
    const url = this.#urlOf(c.mqttUrl);
    const broker = this.#pool.acquire(url);
    return new Zigbee2MqttLock({
      broker,
      device: c.device,
      baseTopic: c.baseTopic,
      slots: getModel(lock.model).slots,
      exposePin: false,
      ...(this.options.replyMs !== undefined ? { replyMs: this.options.replyMs } : {}),
      onClosed: () => this.#pool.release(url),
    });
  }

  /** Kwikset locks Zigbee2MQTT knows on a broker, matched to the catalog. */
  async discover(
    opts: { mqttUrl?: string; baseTopic?: string; waitMs?: number } = {},
  ): Promise<ZigbeeLockFound[]> {
    const url = this.#urlOf(opts.mqttUrl);
    const broker = this.#pool.acquire(url);
    try {
      return await discoverZigbeeLocks(broker, opts.baseTopic ?? 'zigbee2mqtt', opts.waitMs);
    } catch (e) {
      if (e instanceof KeywardError) throw e;
      throw new KeywardError(
        'DRIVER_FAILED',
        `the MQTT broker at ${redactBrokerUrl(url)}: ${(e as Error).message}`,
      );
    } finally {
      await this.#pool.release(url);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
