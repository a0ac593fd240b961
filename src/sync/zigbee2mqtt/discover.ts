import { matchZigbeeModel } from '../../core/catalog/zigbee.js';
import { KeywardError } from '../../core/errors.js';
import type { Broker } from './broker.js';
import { objectOf } from './messages.js';

/** A Kwikset device Zigbee2MQTT knows, matched to the catalog. */
export interface ZigbeeLockFound {
  /** The friendly name: what a `zigbee2mqtt` lock's `device` is. */
  device: string;
  ieeeAddress: string;
  /** The id the lock reports (e.g. SMARTCODE_DEADBOLT_5) and Zigbee2MQTT's model (e.g. 99100-045). */
  modelId: string | null;
  z2mModel: string | null;
  /** Catalog models, likeliest first. */
  candidates: string[];
  exact: boolean;
  /** Zigbee2MQTT can set codes on it (its definition exposes `pin_code`). */
  codes: boolean;
  /** Codes can be read back (the device's `expose_pin` option is on). */
  exposePin: boolean;
}

interface Z2MDevice {
  friendly_name?: unknown;
  ieee_address?: unknown;
  model_id?: unknown;
  manufacturer?: unknown;
  definition?: { model?: unknown; vendor?: unknown; exposes?: unknown } | null;
}

function exposesPinCode(exposes: unknown): boolean {
  const walk = (list: unknown): boolean =>
    Array.isArray(list) &&
    list.some((e) => {
      if (!e || typeof e !== 'object') return false;
      const x = e as { name?: unknown; property?: unknown; features?: unknown };
      return x.name === 'pin_code' || x.property === 'pin_code' || walk(x.features);
    });
  return walk(exposes);
}

/** Kwikset keypad locks in a `bridge/devices` list; `exposePin` from `bridge/info`'s device options. */
export function kwiksetLocks(devices: unknown, info: Record<string, unknown> | undefined): ZigbeeLockFound[] {
  if (!Array.isArray(devices)) return [];
  const options = ((info?.config as { devices?: unknown } | undefined)?.devices ?? {}) as Record<
    string,
    { expose_pin?: unknown }
  >;
  const out: ZigbeeLockFound[] = [];
  for (const raw of devices as Z2MDevice[]) {
    if (!raw || typeof raw !== 'object' || typeof raw.friendly_name !== 'string') continue;
    const vendor = typeof raw.definition?.vendor === 'string' ? raw.definition.vendor : raw.manufacturer;
    const modelId = typeof raw.model_id === 'string' ? raw.model_id : null;
    const match = matchZigbeeModel(typeof vendor === 'string' ? vendor : undefined, modelId ?? undefined);
    if (match.candidates.length === 0) continue;
    const ieee = typeof raw.ieee_address === 'string' ? raw.ieee_address : '';
    out.push({
      device: raw.friendly_name,
      ieeeAddress: ieee,
      modelId,
      z2mModel: typeof raw.definition?.model === 'string' ? raw.definition.model : null,
      candidates: match.candidates,
      exact: match.exact,
      codes: exposesPinCode(raw.definition?.exposes),
      exposePin: options[ieee]?.expose_pin === true,
    });
  }
  return out.sort((a, b) => a.device.localeCompare(b.device));
}

/**
 * Reads Zigbee2MQTT's retained device list (and bridge info) once. Zigbee2MQTT keeps both
 * retained, so they arrive right after subscribing; a bridge that has never run has none.
 */
export async function discoverZigbeeLocks(
  broker: Broker,
  baseTopic = 'zigbee2mqtt',
  waitMs = 3000,
): Promise<ZigbeeLockFound[]> {
  await broker.connected();
  let devices: unknown;
  let info: Record<string, unknown> | undefined;
  let done!: () => void;
  const got = new Promise<void>((resolve) => {
    done = resolve;
  });
  const offDevices = await broker.listen(`${baseTopic}/bridge/devices`, (_t, payload) => {
    try {
      devices = JSON.parse(payload.toString());
    } catch {
      devices = undefined;
    }
    done();
  });
  // bridge/info comes with it when it exists; wait a moment for it but never for long.
  const offInfo = await broker.listen(`${baseTopic}/bridge/info`, (_t, payload) => {
    info = objectOf(payload);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([got, new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
    if (devices === undefined)
      throw new KeywardError(
        'DRIVER_FAILED',
        `no Zigbee2MQTT answered under "${baseTopic}": is it running, and is its base topic ${baseTopic}?`,
      );
    if (info === undefined) await new Promise((r) => setTimeout(r, 100));
    return kwiksetLocks(devices, info);
  } finally {
    clearTimeout(timer);
    offDevices();
    offInfo();
  }
}
