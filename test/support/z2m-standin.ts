import mqtt, { type MqttClient } from 'mqtt';

/**
 * A stand-in for Zigbee2MQTT with Kwikset locks behind it, on a real MQTT broker. It behaves as
 * Zigbee2MQTT does where Keyward could be fooled:
 * - a `set` of a PIN gets no answer at all; only a `get` makes the lock answer, and the answer
 *   comes as the device's whole merged state;
 * - the merged state keeps a cleared user's old `pin_code` (the lock's answer to a read of an
 *   empty user has none, and merging leaves the old one in place);
 * - `pin_code` appears only on devices with `expose_pin`;
 * - a `get` without a user reads every user (one frame each).
 * The lock inside refuses a code whose first four presses match another user's, folding the
 * 5-button keypad's pairs with its own table (not Keyward's).
 */

export interface StandInDevice {
  friendlyName: string;
  /** Zigbee model id as the lock reports it, e.g. SMARTCODE_DEADBOLT_5. */
  modelId: string;
  /** Zigbee2MQTT's model, e.g. 99100-045. */
  model: string;
  buttons: 5 | 10;
  exposePin: boolean;
  /** Without the pincode expose (older Kwikset modules), Zigbee2MQTT offers no PIN at all. */
  pinSupport?: boolean;
  voltageMv?: number;
}

interface DeviceState {
  spec: StandInDevice;
  /** What the lock holds, by user (0-based). */
  lock: Map<number, string>;
  /** Zigbee2MQTT's merged state, published whole. */
  merged: { users: Record<string, { status: string; pin_code?: string }>; [k: string]: unknown };
  online: boolean;
  frames: { set: number; get: number; zigbee: number };
}

const FIVE_BUTTON_FOLD: Record<string, string> = {
  '1': 'a',
  '2': 'a',
  '3': 'b',
  '4': 'b',
  '5': 'c',
  '6': 'c',
  '7': 'd',
  '8': 'd',
  '9': 'e',
  '0': 'e',
};

export class Z2MStandIn {
  readonly devices = new Map<string, DeviceState>();
  /** Every message the stand-in received, in order (topic, payload). */
  readonly received: { topic: string; payload: string }[] = [];
  #client!: MqttClient;

  constructor(
    readonly url: string,
    readonly baseTopic = 'zigbee2mqtt',
    readonly replyMs = 5,
  ) {}

  async start(devices: StandInDevice[]): Promise<void> {
    this.#client = await mqtt.connectAsync(this.url, {
      clientId: `z2m-standin-${process.pid}-${Date.now()}`,
    });
    for (const d of devices) {
      this.devices.set(d.friendlyName, {
        spec: d,
        lock: new Map(),
        merged: { users: {}, battery: 90, voltage: d.voltageMv ?? 6000, lock_state: 'locked' },
        online: true,
        frames: { set: 0, get: 0, zigbee: 0 },
      });
    }
    this.#client.on('message', (topic, payload) => {
      this.received.push({ topic, payload: payload.toString() });
      void this.#onMessage(topic, payload.toString());
    });
    await this.#client.subscribeAsync([`${this.baseTopic}/+/set`, `${this.baseTopic}/+/get`]);
    await this.publishBridge(true);
    for (const d of this.devices.values()) await this.setAvailability(d.spec.friendlyName, true);
  }

  async publishBridge(online: boolean): Promise<void> {
    await this.#client.publishAsync(
      `${this.baseTopic}/bridge/state`,
      JSON.stringify({ state: online ? 'online' : 'offline' }),
      {
        retain: true,
        qos: 1,
      },
    );
    const list = [
      { friendly_name: 'Coordinator', type: 'Coordinator', ieee_address: '0x00124b0000000000' },
      ...[...this.devices.values()].map((d, i) => ({
        friendly_name: d.spec.friendlyName,
        ieee_address: `0x000d6f00000000${String(i).padStart(2, '0')}`,
        type: 'EndDevice',
        model_id: d.spec.modelId,
        manufacturer: 'Kwikset',
        supported: true,
        definition: {
          model: d.spec.model,
          vendor: 'Kwikset',
          description: 'SmartCode',
          exposes: [
            { type: 'lock', features: [{ name: 'state' }] },
            { type: 'numeric', name: 'battery' },
            ...(d.spec.pinSupport === false
              ? []
              : [
                  { type: 'composite', name: 'pin_code', property: 'pin_code', features: [{ name: 'user' }] },
                ]),
          ],
        },
      })),
    ];
    await this.#client.publishAsync(`${this.baseTopic}/bridge/devices`, JSON.stringify(list), {
      retain: true,
      qos: 1,
    });
    await this.#client.publishAsync(
      `${this.baseTopic}/bridge/info`,
      JSON.stringify({
        version: '2.1.0',
        config: {
          devices: Object.fromEntries(
            [...this.devices.values()].map((d, i) => [
              `0x000d6f00000000${String(i).padStart(2, '0')}`,
              { friendly_name: d.spec.friendlyName, expose_pin: d.spec.exposePin },
            ]),
          ),
        },
      }),
      { retain: true, qos: 1 },
    );
  }

  async setAvailability(device: string, online: boolean): Promise<void> {
    const d = this.#device(device);
    d.online = online;
    await this.#client.publishAsync(
      `${this.baseTopic}/${device}/availability`,
      JSON.stringify({ state: online ? 'online' : 'offline' }),
      { retain: true, qos: 1 },
    );
  }

  #device(name: string): DeviceState {
    const d = this.devices.get(name);
    if (!d) throw new Error(`no stand-in device ${name}`);
    return d;
  }

  #presses(code: string, buttons: 5 | 10): string {
    const first = code.slice(0, 4);
    return buttons === 10 ? first : [...first].map((c) => FIVE_BUTTON_FOLD[c]).join('');
  }

  /** What the lock itself does with a new code in a user: false when it refuses it. */
  #lockTakes(d: DeviceState, user: number, code: string): boolean {
    if (!/^[0-9]{4,8}$/.test(code)) return false;
    const mine = this.#presses(code, d.spec.buttons);
    for (const [other, held] of d.lock)
      if (other !== user && this.#presses(held, d.spec.buttons) === mine) return false;
    return true;
  }

  async #publishState(d: DeviceState, extra: Record<string, unknown> = {}): Promise<void> {
    await this.#client.publishAsync(
      `${this.baseTopic}/${d.spec.friendlyName}`,
      JSON.stringify({ ...d.merged, ...extra }),
      {
        qos: 1,
      },
    );
  }

  async #answerGet(d: DeviceState, user: number): Promise<void> {
    d.frames.zigbee++;
    await new Promise((r) => setTimeout(r, this.replyMs));
    if (!d.online) return;
    const code = d.lock.get(user);
    const answer: { status: string; pin_code?: string } = {
      status: code === undefined ? 'available' : 'enabled',
    };
    if (code !== undefined && d.spec.exposePin) answer.pin_code = code;
    // Merged, as Zigbee2MQTT merges: a key the answer lacks keeps its old value.
    d.merged.users[String(user)] = { ...d.merged.users[String(user)], ...answer };
    await this.#publishState(d);
  }

  async #onMessage(topic: string, text: string): Promise<void> {
    const m = topic.match(new RegExp(`^${this.baseTopic}/([^/]+)/(set|get)$`));
    if (!m) return;
    const d = this.devices.get(m[1]!);
    if (!d || d.spec.pinSupport === false) return;
    let body: { pin_code?: { user?: number; pin_code?: string | null } };
    try {
      body = JSON.parse(text);
    } catch {
      return;
    }
    const pin = body.pin_code;
    if (!pin) return;
    if (m[2] === 'set') {
      d.frames.set++;
      d.frames.zigbee++;
      if (!d.online || typeof pin.user !== 'number') return;
      if (pin.pin_code === null || pin.pin_code === undefined) d.lock.delete(pin.user);
      else if (this.#lockTakes(d, pin.user, pin.pin_code)) d.lock.set(pin.user, pin.pin_code);
      return; // Zigbee2MQTT publishes nothing for a set
    }
    d.frames.get++;
    if (typeof pin.user === 'number') await this.#answerGet(d, pin.user);
    else for (let u = 0; u < 30; u++) await this.#answerGet(d, u);
  }

  /** A person types a code at the lock: it opens when a user holds it. */
  async typeCode(device: string, code: string): Promise<boolean> {
    const d = this.#device(device);
    const user = [...d.lock].find(([, held]) => held === code)?.[0];
    if (user === undefined) return false;
    await this.#publishState(d, {
      action: 'unlock',
      action_source: 0,
      action_source_name: 'keypad',
      action_user: user,
      lock_state: 'unlocked',
    });
    return true;
  }

  /** A code added with the programming code at the keypad: the lock announces the user. */
  async addAtKeypad(device: string, slot: number, code: string): Promise<void> {
    const d = this.#device(device);
    d.lock.set(slot - 1, code);
    await this.#publishState(d, {
      action: 'pin_code_added',
      action_source_name: 'keypad',
      action_user: slot - 1,
    });
  }

  async deleteAtKeypad(device: string, slot: number): Promise<void> {
    const d = this.#device(device);
    d.lock.delete(slot - 1);
    await this.#publishState(d, {
      action: 'pin_code_deleted',
      action_source_name: 'keypad',
      action_user: slot - 1,
    });
  }

  /** The lock loses a code without telling anyone (a flaky module, a reset half done). */
  forgetSilently(device: string, slot: number): void {
    this.#device(device).lock.delete(slot - 1);
  }

  /** What the lock holds, by slot (1-based), for assertions. */
  slots(device: string): Record<string, string> {
    return Object.fromEntries([...this.#device(device).lock].map(([u, c]) => [String(u + 1), c]));
  }

  async stop(): Promise<void> {
    // Retained topics would leak into the next test run: clear them.
    for (const t of [
      'bridge/state',
      'bridge/devices',
      'bridge/info',
      ...[...this.devices.keys()].map((n) => `${n}/availability`),
    ])
      await this.#client.publishAsync(`${this.baseTopic}/${t}`, '', { retain: true, qos: 1 });
    await this.#client.endAsync();
  }
}
