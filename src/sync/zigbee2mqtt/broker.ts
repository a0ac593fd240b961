import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { KeywardError } from '../../core/errors.js';
import { brokerUrlProblem, redactBrokerUrl } from './broker-url.js';

export { brokerCredentialsFromEnv, brokerUrlProblem, redactBrokerUrl } from './broker-url.js';

/**
 * One connection per MQTT broker, shared by every Zigbee2MQTT lock on it (and counted, so the
 * last lock to close it closes it). Listeners are kept per topic filter, so a lock hears only
 * its own device's topics even though they share a client.
 */

export type MessageListener = (topic: string, payload: Buffer) => void;

export interface BrokerOptions {
  /** `mqtt://` or `mqtts://`; user and password may be in it. */
  url: string;
  /** Used when the URL carries none (e.g. from KEYWARD_MQTT_USERNAME / KEYWARD_MQTT_PASSWORD). */
  username?: string;
  password?: string;
  clientId?: string;
  will?: IClientOptions['will'];
  /** Reconnect delay; tests shorten it. */
  reconnectMs?: number;
}

/** Whether an MQTT topic filter (with + and #) matches a topic. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export class Broker {
  readonly client: MqttClient;
  readonly #listeners = new Map<string, Set<MessageListener>>();
  readonly #connected: Promise<void>;

  constructor(readonly options: BrokerOptions) {
    const problem = brokerUrlProblem(options.url);
    if (problem) throw new KeywardError('BAD_INPUT', `the MQTT broker address ${problem}`);
    const u = new URL(options.url);
    const username = u.username ? decodeURIComponent(u.username) : options.username;
    const password = u.password ? decodeURIComponent(u.password) : options.password;
    u.username = '';
    u.password = '';
    this.client = mqtt.connect(u.toString(), {
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(options.clientId ? { clientId: options.clientId } : {}),
      ...(options.will ? { will: options.will } : {}),
      reconnectPeriod: options.reconnectMs ?? 2_000,
      connectTimeout: 10_000,
    });
    this.client.on('message', (topic, payload) => {
      for (const [filter, set] of this.#listeners)
        if (topicMatches(filter, topic)) for (const l of set) l(topic, payload);
    });
    this.#connected = new Promise((resolve) => this.client.once('connect', () => resolve()));
    // Errors are seen through `connected()` timing out and the lock drivers' availability; an
    // unhandled 'error' event would end the process.
    this.client.on('error', () => {});
  }

  /** Resolves once connected; fails after `ms` with a message naming the broker (no password). */
  async connected(ms = 10_000): Promise<void> {
    if (this.client.connected) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KeywardError(
              'DRIVER_FAILED',
              `the MQTT broker at ${redactBrokerUrl(this.options.url)} did not answer`,
            ),
          ),
        ms,
      );
      timer.unref?.();
    });
    try {
      await Promise.race([this.#connected, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Listens to a topic filter; returns the unsubscribe. The broker subscription is shared. */
  async listen(filter: string, listener: MessageListener): Promise<() => void> {
    let set = this.#listeners.get(filter);
    const first = !set;
    if (!set) {
      set = new Set();
      this.#listeners.set(filter, set);
    }
    // Listening before subscribing: retained messages may arrive before the broker's SUBACK.
    set.add(listener);
    if (first) await this.client.subscribeAsync(filter, { qos: 1 });
    return () => {
      const s = this.#listeners.get(filter);
      if (!s) return;
      s.delete(listener);
      if (s.size === 0) {
        this.#listeners.delete(filter);
        if (this.client.connected) this.client.unsubscribe(filter);
      }
    };
  }

  async publish(topic: string, payload: string, opts: { retain?: boolean; qos?: 0 | 1 } = {}): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: opts.qos ?? 1, retain: opts.retain ?? false });
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.client.endAsync();
  }
}

/** Brokers shared by URL and counted; the last user's release closes one. */
export class BrokerPool {
  readonly #brokers = new Map<string, { broker: Broker; users: number }>();

  constructor(private readonly defaults: Omit<BrokerOptions, 'url'> = {}) {}

  acquire(url: string): Broker {
    const held = this.#brokers.get(url);
    if (held) {
      held.users++;
      return held.broker;
    }
    const broker = new Broker({ ...this.defaults, url });
    this.#brokers.set(url, { broker, users: 1 });
    return broker;
  }

  async release(url: string): Promise<void> {
    const held = this.#brokers.get(url);
    if (!held) return;
    held.users--;
    if (held.users > 0) return;
    this.#brokers.delete(url);
    await held.broker.close();
  }

  async close(): Promise<void> {
    const all = [...this.#brokers.values()];
    this.#brokers.clear();
    await Promise.all(all.map((h) => h.broker.close()));
  }
}
