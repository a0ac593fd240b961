import type { SyncEvent, SyncListener } from '../sync/events.js';
import { Broker, type BrokerOptions } from '../sync/zigbee2mqtt/broker.js';
import {
  availabilityTopic,
  codeUsedPayload,
  codeUsedTopic,
  type DiscoveryContext,
  type DiscoveryLock,
  discoveryConfigs,
  type LockStatusPayload,
  type Retained,
  removalMessages,
  resyncLockId,
  stateTopic,
} from './discovery-config.js';

const PUBLISH_WINDOW = 500;

/** A lock as the bridge needs it: what discovery shows, and where Zigbee2MQTT knows it. */
export interface BridgeLock extends Omit<DiscoveryLock, 'zigbeeIeee'> {
  /** For zigbee2mqtt locks: its friendly name and base topic, to find its IEEE address. */
  zigbee?: { device: string; baseTopic: string };
}

/** What the bridge reads from Keyward; the server provides it (store and sync). */
export interface HomeAssistantSource {
  locks(): Promise<BridgeLock[]>;
  status(lockIds: readonly string[]): Promise<Map<string, LockStatusPayload>>;
  personName(personId: string): Promise<string | null>;
  subscribe(listener: SyncListener): () => void;
  /** The "check codes now" button: look at the lock again. */
  resync(lockId: string): void;
}

export interface HomeAssistantOptions extends Omit<BrokerOptions, 'will' | 'clientId'> {
  discovery: DiscoveryContext;
  source: HomeAssistantSource;
  /** How often the lock list is compared with what was published (added and removed locks). */
  refreshMs?: number;
  /** Gathers state changes before publishing them. */
  flushMs?: number;
  /** Failures the bridge handled (broker gone, a read that failed), for the server's log. */
  onError?: (message: string) => void;
}

/**
 * Keyward as a good citizen of Home Assistant's MQTT side: discovery configs (retained), each
 * lock's sync state and battery, "code used" events, availability with a last will, and the
 * resync button. Configs are published again whenever Home Assistant announces itself online.
 */
export class HomeAssistantBridge {
  readonly broker: Broker;
  readonly #o: HomeAssistantOptions;
  /** Locks published, with the configs last sent for each (to publish only what changed). */
  readonly #published = new Map<string, { configs: string; lock: BridgeLock }>();
  readonly #lastState = new Map<string, string>();
  readonly #dirty = new Set<string>();
  /** Friendly name -> IEEE address, per Zigbee2MQTT base topic. */
  readonly #ieee = new Map<string, Map<string, string>>();
  readonly #cleanups: (() => void)[] = [];
  #refreshTimer: NodeJS.Timeout | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;
  #stopped = false;

  constructor(options: HomeAssistantOptions) {
    this.#o = options;
    const c = options.discovery;
    this.broker = new Broker({
      ...options,
      clientId: `keyward-${c.instance}-${process.pid}`,
      will: { topic: availabilityTopic(c), payload: Buffer.from('offline'), retain: true, qos: 1 },
    });
  }

  async start(): Promise<void> {
    const c = this.#o.discovery;
    // Every (re)connection: online again, and everything published again (a broker restarted
    // without persistence forgets retained configs).
    this.broker.client.on('connect', () => {
      void this.#announce().catch((e) =>
        this.#error(`publishing to Home Assistant failed: ${(e as Error).message}`),
      );
    });
    await this.broker.connected();
    this.#cleanups.push(
      await this.broker.listen(`${c.prefix}/status`, (_t, payload) => {
        if (payload.toString() === 'online') void this.#announce(true).catch(() => {});
      }),
      await this.broker.listen(`keyward/${c.instance}/lock/+/resync`, (topic) => {
        const lockId = resyncLockId(c, topic);
        // Only a lock this bridge published: a command can do nothing else.
        if (lockId && this.#published.has(lockId)) this.#o.source.resync(lockId);
      }),
    );
    this.#cleanups.push(this.#o.source.subscribe((e) => this.#onSyncEvent(e)));
    if (this.broker.client.connected) await this.#announce();
    this.#refreshTimer = setInterval(() => void this.refresh().catch(() => {}), this.#o.refreshMs ?? 30_000);
    this.#refreshTimer.unref?.();
  }

  #error(message: string): void {
    this.#o.onError?.(message);
  }

  /**
   * In windows of a few hundred: enough in flight to keep the broker busy, and few enough that
   * a thousand locks do not pile thousands of waiters onto one socket.
   */
  async #publishAll(messages: Retained[]): Promise<void> {
    for (let i = 0; i < messages.length; i += PUBLISH_WINDOW)
      await Promise.all(
        messages
          .slice(i, i + PUBLISH_WINDOW)
          .map((m) => this.broker.publish(m.topic, m.payload, { retain: true })),
      );
  }

  /** Online, every config, every state. `force`: Home Assistant restarted and forgot them. */
  async #announce(force = false): Promise<void> {
    await this.broker.publish(availabilityTopic(this.#o.discovery), 'online', { retain: true });
    if (force) {
      for (const p of this.#published.values()) p.configs = '';
      this.#lastState.clear();
    }
    await this.refresh();
  }

  /**
   * Compares the register's locks with what was published: new and renamed locks get their
   * configs, removed ones an empty retained payload, and every lock its state.
   */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    if (this.#stopped) return;
    const c = this.#o.discovery;
    const locks = await this.#o.source.locks();
    await this.#watchZigbee(locks);
    const seen = new Set<string>();
    const out: Retained[] = [];
    for (const lock of locks) {
      seen.add(lock.id);
      const ieee = lock.zigbee ? this.#ieee.get(lock.zigbee.baseTopic)?.get(lock.zigbee.device) : undefined;
      const { zigbee: _z, ...shown } = lock;
      const configs = discoveryConfigs(c, { ...shown, ...(ieee ? { zigbeeIeee: ieee } : {}) });
      const text = JSON.stringify(configs);
      const before = this.#published.get(lock.id);
      if (before?.configs !== text) out.push(...configs);
      this.#published.set(lock.id, { configs: text, lock });
    }
    for (const id of [...this.#published.keys()]) {
      if (seen.has(id)) continue;
      this.#published.delete(id);
      this.#lastState.delete(id);
      out.push(...removalMessages(c, id));
    }
    await this.#publishAll(out);
    await this.#publishStates([...seen]);
  }

  /** Learns the IEEE addresses of Zigbee2MQTT locks from each base topic's retained device list. */
  async #watchZigbee(locks: BridgeLock[]): Promise<void> {
    for (const lock of locks) {
      const base = lock.zigbee?.baseTopic;
      if (!base || this.#ieee.has(base)) continue;
      const names = new Map<string, string>();
      this.#ieee.set(base, names);
      this.#cleanups.push(
        await this.broker.listen(`${base}/bridge/devices`, (_t, payload) => {
          let list: unknown;
          try {
            list = JSON.parse(payload.toString());
          } catch {
            return;
          }
          if (!Array.isArray(list)) return;
          let changed = false;
          for (const d of list as { friendly_name?: unknown; ieee_address?: unknown }[]) {
            if (typeof d?.friendly_name !== 'string' || typeof d.ieee_address !== 'string') continue;
            if (names.get(d.friendly_name) !== d.ieee_address) changed = true;
            names.set(d.friendly_name, d.ieee_address);
          }
          if (changed) void this.refresh().catch(() => {});
        }),
      );
    }
  }

  async #publishStates(lockIds: readonly string[]): Promise<void> {
    if (lockIds.length === 0) return;
    const status = await this.#o.source.status(lockIds);
    const out: Retained[] = [];
    for (const [id, s] of status) {
      if (!this.#published.has(id)) continue;
      const text = JSON.stringify(s);
      if (this.#lastState.get(id) === text) continue;
      this.#lastState.set(id, text);
      out.push({ topic: stateTopic(this.#o.discovery, id), payload: text });
    }
    await this.#publishAll(out);
  }

  #onSyncEvent(e: SyncEvent): void {
    const lockId = 'lockId' in e ? e.lockId : null;
    if (!lockId) return;
    if (e.type === 'lock-event' && e.event.type === 'code-used' && this.#published.has(lockId)) {
      const slot = e.event.slot;
      const person = e.personId ? this.#o.source.personName(e.personId) : Promise.resolve(null);
      void person
        .then((name) =>
          this.broker.publish(codeUsedTopic(this.#o.discovery, lockId), codeUsedPayload(name, slot), {
            retain: false,
          }),
        )
        .catch((err) => this.#error(`a code use on ${lockId} could not be sent: ${(err as Error).message}`));
    }
    // A lock Home Assistant has not heard of yet (just added): its configs come with the refresh.
    if (!this.#published.has(lockId)) {
      void this.refresh().catch(() => {});
      return;
    }
    this.#dirty.add(lockId);
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      const ids = [...this.#dirty];
      this.#dirty.clear();
      void this.#publishStates(ids).catch((err) =>
        this.#error(`lock states not sent: ${(err as Error).message}`),
      );
    }, this.#o.flushMs ?? 300);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#refreshTimer);
    clearTimeout(this.#flushTimer);
    for (const c of this.#cleanups.splice(0)) c();
    await this.#refreshing?.catch(() => {});
    // A clean stop says offline itself; the last will covers a crash.
    if (this.broker.client.connected)
      await this.broker
        .publish(availabilityTopic(this.#o.discovery), 'offline', { retain: true })
        .catch(() => {});
    await this.broker.close();
  }
}
