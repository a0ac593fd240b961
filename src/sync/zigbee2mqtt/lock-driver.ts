import { KeywardError } from '../../core/errors.js';
import { type TimerClock, wallClock } from '../clock.js';
import type { DriverEvent, LockDriver, LockReport, WriteResult } from '../driver.js';
import { errorText } from '../events.js';
import type { Broker } from './broker.js';
import {
  actionEvent,
  availabilityOf,
  clearPayload,
  exposePinOf,
  getPayload,
  objectOf,
  readUsers,
  setPayload,
  type UserReading,
  voltsPerCellOf,
} from './messages.js';

const radioWaits = wallClock(true);

export interface Zigbee2MqttLockOptions {
  broker: Broker;
  /** The device's friendly name in Zigbee2MQTT. */
  device: string;
  baseTopic?: string;
  /** Slots of the model (30 on every Kwikset). */
  slots: number;
  /**
   * Whether the device exposes PIN codes (Zigbee2MQTT's `expose_pin`). Without it a read-back
   * shows only whether a user is set, so a write is confirmed by status alone.
   */
  exposePin: boolean;
  /** How long one read-back may take: a sleepy lock answers within a few seconds. */
  replyMs?: number;
  /** Times events and read-back waits. Default: the wall clock (a pending read keeps the process up). */
  clock?: TimerClock;
  /** Called once, when the driver is closed: the owner of a shared broker lets go of it. */
  onClosed?: () => Promise<void>;
}

/**
 * A Kwikset lock on Zigbee, driven through Zigbee2MQTT's MQTT API. Every write is a `set`
 * followed by one `get` of the same user: the `set` alone proves nothing (Zigbee2MQTT publishes
 * no answer to it), so the read-back is the only confirmation. Calls to one lock run one at a
 * time, so each read-back is answered by the lock's next state message.
 */
export class Zigbee2MqttLock implements LockDriver {
  readonly kind = 'zigbee2mqtt' as const;
  /** MQTT requests sent to the device (sets and gets), for the frame benchmark. */
  readonly frames = { set: 0, get: 0 };
  readonly #o: Required<Zigbee2MqttLockOptions>;
  readonly #listeners = new Set<(e: DriverEvent) => void>();
  readonly #unlisten: (() => void)[] = [];
  #ready: Promise<void> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #waiter: ((state: Record<string, unknown>) => void) | undefined;
  #deviceOnline = true;
  #bridgeOnline = true;
  #lastVolts: number | undefined;
  #closed = false;
  #exposePin: boolean;
  /** Slots last seen holding a code; undefined until the whole lock was read once. */
  #occupied: Set<number> | undefined;

  constructor(opts: Zigbee2MqttLockOptions) {
    this.#o = {
      baseTopic: 'zigbee2mqtt',
      replyMs: 10_000,
      clock: radioWaits,
      onClosed: async () => {},
      ...opts,
    };
    this.#exposePin = opts.exposePin;
  }

  /** Whether read-backs carry the digits: Zigbee2MQTT's `expose_pin` for this device, once known. */
  get exposePin(): boolean {
    return this.#exposePin;
  }

  get #topic(): string {
    return `${this.#o.baseTopic}/${this.#o.device}`;
  }

  /** Subscribes on first use, so adding a lock never fails because the broker is away. */
  #start(): Promise<void> {
    this.#ready ??= (async () => {
      const { broker, baseTopic } = this.#o;
      await broker.connected();
      this.#unlisten.push(
        await broker.listen(this.#topic, (_t, payload) => this.#onState(payload)),
        await broker.listen(`${this.#topic}/availability`, (_t, payload) => {
          const online = availabilityOf(payload.toString());
          if (online !== undefined) this.#reach('device', online);
        }),
        await broker.listen(`${baseTopic}/bridge/state`, (_t, payload) => {
          const online = availabilityOf(payload.toString());
          if (online !== undefined) this.#reach('bridge', online);
        }),
        // The device's options (retained): whether Zigbee2MQTT shows its PINs.
        await broker.listen(`${baseTopic}/bridge/info`, (_t, payload) => {
          const shown = exposePinOf(objectOf(payload), this.#o.device);
          if (shown !== undefined) this.#exposePin = shown;
        }),
      );
    })().catch((e) => {
      this.#ready = undefined;
      throw e;
    });
    return this.#ready;
  }

  #emit(event: DriverEvent): void {
    for (const l of this.#listeners) l(event);
  }

  #reach(what: 'device' | 'bridge', online: boolean): void {
    const before = this.#deviceOnline && this.#bridgeOnline;
    if (what === 'device') this.#deviceOnline = online;
    else this.#bridgeOnline = online;
    const after = this.#deviceOnline && this.#bridgeOnline;
    if (before && !after)
      this.#emit({ type: 'unreachable', at: this.#o.clock.now(), message: this.#offlineMessage() });
    // Back online: the reconciler learns it from the next call that succeeds.
  }

  #offlineMessage(): string {
    return this.#bridgeOnline
      ? `Zigbee2MQTT reports ${this.#o.device} offline`
      : 'Zigbee2MQTT itself is offline';
  }

  #onState(payload: Buffer): void {
    const state = objectOf(payload);
    if (!state) return;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(state);
    const at = this.#o.clock.now();
    const event = actionEvent(state, at);
    if (event?.type === 'code-added-at-keypad') this.#occupied?.add(event.slot);
    if (event?.type === 'code-deleted-at-keypad') this.#occupied?.delete(event.slot);
    if (event) this.#emit(event);
    const volts = voltsPerCellOf(state);
    if (volts !== undefined && volts !== this.#lastVolts) {
      this.#lastVolts = volts;
      const level =
        state.battery_low === true ? 'low' : volts < 1.1 ? 'critical' : volts < 1.2 ? 'low' : 'ok';
      this.#emit({ type: 'battery', voltsPerCell: volts, level, at });
    }
  }

  /** One call at a time per lock: each read-back is answered by the next state message. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #publish(payload: Record<string, unknown>, kind: 'set' | 'get'): Promise<void> {
    if (!this.#deviceOnline || !this.#bridgeOnline)
      throw new KeywardError('DRIVER_FAILED', this.#offlineMessage());
    this.frames[kind]++;
    await this.#o.broker.publish(`${this.#topic}/${kind}`, JSON.stringify(payload));
  }

  /** Asks for one user and waits for the state message that answers it. */
  async #readUser(slot: number): Promise<UserReading | undefined> {
    await this.#start();
    let cancel: (() => void) | undefined;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      const wanted = (state: Record<string, unknown>) => {
        if (readUsers(state, this.#exposePin).has(slot)) resolve(state);
        else this.#waiter = wanted; // a message about something else: keep waiting
      };
      this.#waiter = wanted;
      const { clock, replyMs, device } = this.#o;
      cancel = clock.at(clock.now() + replyMs, () => {
        this.#waiter = undefined;
        reject(new KeywardError('DRIVER_FAILED', `${device} did not answer a read of slot ${slot}`));
      });
    });
    try {
      await this.#publish(getPayload(slot), 'get');
      const state = await answer;
      const reading = readUsers(state, this.#exposePin).get(slot);
      if (reading?.status === 'occupied') this.#occupied?.add(slot);
      else this.#occupied?.delete(slot);
      return reading;
    } catch (e) {
      this.#waiter = undefined;
      answer.catch(() => {});
      throw e;
    } finally {
      cancel?.();
    }
  }

  #checkSlot(slot: number): void {
    if (!Number.isInteger(slot) || slot < 1 || slot > this.#o.slots)
      throw new KeywardError(
        'BAD_INPUT',
        `slot ${slot} does not exist on a lock with ${this.#o.slots} slots`,
      );
  }

  /** Every user, one get each (a get of all users would be answered by merged states we cannot tell apart). */
  async #readAll(): Promise<Record<string, string | null>> {
    const slots: Record<string, string | null> = {};
    for (let slot = 1; slot <= this.#o.slots; slot++) {
      const r = await this.#readUser(slot);
      if (r?.status === 'occupied') slots[String(slot)] = r.code;
    }
    this.#occupied = new Set(Object.keys(slots).map(Number));
    return slots;
  }

  read(): Promise<LockReport> {
    return this.#serial(async () => {
      const slots = await this.#readAll();
      return {
        slots,
        at: this.#o.clock.now(),
        ...(this.#lastVolts !== undefined ? { voltsPerCell: this.#lastVolts } : {}),
      };
    });
  }

  readSlot(slot: number): Promise<string | null | undefined> {
    this.#checkSlot(slot);
    return this.#serial(async () => {
      const r = await this.#readUser(slot);
      return r?.status === 'occupied' ? r.code : undefined;
    });
  }

  setSlot(slot: number, code: string): Promise<WriteResult> {
    this.#checkSlot(slot);
    return this.#serial(() => this.#write(slot, code));
  }

  clearSlot(slot: number): Promise<WriteResult> {
    this.#checkSlot(slot);
    return this.#serial(() => this.#write(slot, null));
  }

  async #write(slot: number, code: string | null): Promise<WriteResult> {
    const error = code === null ? 'failed_to_remove' : 'failed_to_set';
    try {
      await this.#start();
      await this.#publish(code === null ? clearPayload(slot) : setPayload(slot, code), 'set');
      const read = await this.#readUser(slot);
      if (code === null) {
        if (read?.status === 'empty') return { ok: true, confirmedBy: 'read-back' };
        return {
          ok: false,
          error,
          message: `slot ${slot} still holds a code after the clear`,
          retryable: true,
        };
      }
      if (read?.status === 'occupied' && (read.code === code || (read.code === null && !this.#exposePin)))
        return { ok: true, confirmedBy: 'read-back' };
      if (read?.status === 'occupied' && read.code !== null)
        return {
          ok: false,
          error,
          message: `slot ${slot} holds a different code after the set`,
          retryable: true,
        };
      // Still empty: a Kwikset refuses a code that clashes with another on the lock.
      return { ok: false, error, message: `the lock did not take the code in slot ${slot}`, retryable: true };
    } catch (e) {
      return { ok: false, error: 'unconfirmed', message: errorText(e), retryable: true };
    }
  }

  /**
   * Zigbee locks have no checksum of their codes, so this is one of Keyward's own: it reads back
   * only the slots last seen holding a code (one frame each, not thirty) and hashes what they
   * hold. A code added to an empty slot is not read here; the lock announces it
   * (`pin_code_added`), and the reconciler reads that slot back. Before the first full read, it
   * reads the whole lock.
   */
  checksum(): Promise<number | undefined> {
    return this.#serial(async () => {
      if (!this.#occupied) return slotsHash(await this.#readAll());
      const slots: Record<string, string | null> = {};
      for (const slot of [...this.#occupied].sort((a, b) => a - b)) {
        const r = await this.#readUser(slot);
        if (r?.status === 'occupied') slots[String(slot)] = r.code;
      }
      return slotsHash(slots);
    });
  }

  /** The checksum a lock holding exactly these codes gives (see `checksum`). */
  expectedChecksum(slots: Record<string, string>): number {
    return slotsHash(slots);
  }

  async setProgrammingCode(): Promise<WriteResult> {
    return {
      ok: false,
      error: 'failed_to_set',
      message: 'Zigbee2MQTT cannot change the programming code: change it at the lock',
      retryable: false,
    };
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.#listeners.add(listener);
    // Listening starts the subscriptions, so keypad events arrive before the first call.
    this.#start().catch(() => {});
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    for (const u of this.#unlisten.splice(0)) u();
    await this.#o.onClosed();
  }
}

/**
 * FNV-1a over "slot:code" in slot order. A masked code (the device does not show PINs) counts
 * as "slot:?", so such a lock is compared by which slots are taken.
 */
export function slotsHash(slots: Record<string, string | null>): number {
  let h = 0x811c9dc5;
  const text = Object.keys(slots)
    .map(Number)
    .sort((a, b) => a - b)
    .map((slot) => `${slot}:${slots[String(slot)] ?? '?'}`)
    .join(',');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
