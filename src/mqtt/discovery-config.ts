/**
 * Home Assistant MQTT discovery for Keyward's locks, as data: which retained configs to publish,
 * where each entity's state lives, and what removes them. One device per lock, identified by
 * `keyward_<lockId>`. A lock Home Assistant already knows through Zigbee2MQTT is tied to that
 * device (its identifier and its Zigbee connection), and its battery is left to Zigbee2MQTT; a
 * Z-Wave lock's battery is zwave-js's. Nothing here ever carries a code's digits.
 */

export interface DiscoveryLock {
  id: string;
  name: string;
  model: string;
  driver: string;
  /** The lock's IEEE address when Zigbee2MQTT knows it. */
  zigbeeIeee?: string;
}

export interface DiscoveryContext {
  /** Home Assistant's discovery prefix (default homeassistant). */
  prefix: string;
  /** This Keyward's name in topics: keyward/<instance>/... */
  instance: string;
  /** Keyward's version, shown on the device. */
  version: string;
  /** The web UI's address, linked from the device page, when known. */
  url?: string;
}

export interface Retained {
  topic: string;
  /** JSON text; '' removes a retained message. */
  payload: string;
}

export const SYNC_STATES = ['In step', 'Syncing', 'Needs a visit', 'Problem'] as const;
export type SyncStateWords = (typeof SYNC_STATES)[number];

export const availabilityTopic = (c: DiscoveryContext) => `keyward/${c.instance}/status`;
export const lockTopic = (c: DiscoveryContext, lockId: string) => `keyward/${c.instance}/lock/${lockId}`;
export const stateTopic = (c: DiscoveryContext, lockId: string) => `${lockTopic(c, lockId)}/state`;
export const codeUsedTopic = (c: DiscoveryContext, lockId: string) => `${lockTopic(c, lockId)}/code_used`;
export const resyncTopic = (c: DiscoveryContext, lockId: string) => `${lockTopic(c, lockId)}/resync`;

/** The lock id in a resync command's topic, or undefined for any other topic. */
export function resyncLockId(c: DiscoveryContext, topic: string): string | undefined {
  const m = topic.match(/^keyward\/([^/]+)\/lock\/([^/]+)\/resync$/);
  return m && m[1] === c.instance ? m[2] : undefined;
}

/** The objects each lock publishes, with their component; removal clears every one of them. */
const OBJECTS = [
  ['sensor', 'sync_state'],
  ['sensor', 'battery'],
  ['binary_sensor', 'problem'],
  ['event', 'code_used'],
  ['button', 'resync'],
] as const;

const configTopic = (c: DiscoveryContext, component: string, lockId: string, object: string) =>
  `${c.prefix}/${component}/keyward_${lockId}/${object}/config`;

/** Whether another integration already gives Home Assistant this lock's battery. */
const batteryElsewhere = (lock: DiscoveryLock) =>
  lock.driver === 'zwave' || lock.driver === 'zwave-server' || lock.zigbeeIeee !== undefined;

function device(c: DiscoveryContext, lock: DiscoveryLock) {
  return {
    identifiers: [`keyward_${lock.id}`, ...(lock.zigbeeIeee ? [`zigbee2mqtt_${lock.zigbeeIeee}`] : [])],
    ...(lock.zigbeeIeee ? { connections: [['zigbee', lock.zigbeeIeee]] } : {}),
    name: lock.name,
    manufacturer: 'Kwikset',
    model: `SmartCode ${lock.model}`,
    sw_version: `Keyward ${c.version}`,
    ...(c.url ? { configuration_url: `${c.url}/#/locks/${lock.id}` } : {}),
  };
}

export function discoveryConfigs(c: DiscoveryContext, lock: DiscoveryLock): Retained[] {
  const base = {
    device: device(c, lock),
    availability: [{ topic: availabilityTopic(c) }],
    origin: { name: 'Keyward', sw_version: c.version },
  };
  const id = (object: string) => `keyward_${lock.id}_${object}`;
  const state = stateTopic(c, lock.id);
  const configs: [component: string, object: string, body: Record<string, unknown>][] = [
    [
      'sensor',
      'sync_state',
      {
        name: 'Codes',
        unique_id: id('sync_state'),
        object_id: `keyward_${lock.id}_codes`,
        device_class: 'enum',
        options: [...SYNC_STATES],
        state_topic: state,
        value_template: '{{ value_json.state }}',
        json_attributes_topic: state,
        json_attributes_template: '{{ {"reason": value_json.reason, "codes": value_json.codes} | tojson }}',
        icon: 'mdi:lock-check',
      },
    ],
    [
      'binary_sensor',
      'problem',
      {
        name: 'Code problem',
        unique_id: id('problem'),
        device_class: 'problem',
        state_topic: state,
        value_template: "{{ 'ON' if value_json.state == 'Problem' else 'OFF' }}",
        json_attributes_topic: state,
        json_attributes_template: '{{ {"reason": value_json.reason} | tojson }}',
      },
    ],
    [
      'event',
      'code_used',
      {
        name: 'Code used',
        unique_id: id('code_used'),
        event_types: ['code_used'],
        state_topic: codeUsedTopic(c, lock.id),
        icon: 'mdi:dialpad',
      },
    ],
    [
      'button',
      'resync',
      {
        name: 'Check codes now',
        unique_id: id('resync'),
        command_topic: resyncTopic(c, lock.id),
        payload_press: 'PRESS',
        entity_category: 'config',
        icon: 'mdi:sync',
      },
    ],
  ];
  if (!batteryElsewhere(lock))
    configs.push([
      'sensor',
      'battery',
      {
        name: 'Battery',
        unique_id: id('battery'),
        device_class: 'battery',
        unit_of_measurement: '%',
        state_class: 'measurement',
        state_topic: state,
        value_template: '{{ value_json.battery if value_json.battery is not none else None }}',
        entity_category: 'diagnostic',
      },
    ]);
  const published = configs.map(([component, object, body]) => ({
    topic: configTopic(c, component, lock.id, object),
    payload: JSON.stringify({ ...base, ...body }),
  }));
  // A battery another integration took over since the last start is removed here.
  if (batteryElsewhere(lock))
    published.push({ topic: configTopic(c, 'sensor', lock.id, 'battery'), payload: '' });
  return published;
}

/** Empty retained payloads for every config a lock may have published: Home Assistant drops them. */
export function removalMessages(c: DiscoveryContext, lockId: string): Retained[] {
  return [
    ...OBJECTS.map(([component, object]) => ({
      topic: configTopic(c, component, lockId, object),
      payload: '',
    })),
    { topic: stateTopic(c, lockId), payload: '' },
  ];
}

export interface LockStatusPayload {
  state: SyncStateWords;
  /** Plain words when the state is a problem or a visit; null otherwise. */
  reason: string | null;
  /** Percent, or null when the lock has not reported. */
  battery: number | null;
  /** How many codes are on the lock as they should be. */
  codes: number;
}

/** A code use as Home Assistant's event entity takes it: who and which slot, never digits. */
export function codeUsedPayload(person: string | null, slot: number): string {
  return JSON.stringify({
    event_type: 'code_used',
    person: person ?? 'someone without a name in Keyward',
    slot,
  });
}
