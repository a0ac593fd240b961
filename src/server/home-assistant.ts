import { getModel } from '../core/catalog/index.js';
import type { LockStatusPayload, SyncStateWords } from '../mqtt/discovery-config.js';
import { type BridgeLock, HomeAssistantBridge } from '../mqtt/home-assistant.js';
import type { Lock, Store } from '../store/index.js';
import { type SyncCounts, syncCounts } from '../store/server-queries.js';
import { brokerCredentialsFromEnv } from '../sync/zigbee2mqtt/broker.js';
import type { SyncHandle } from './sync.js';

export interface HomeAssistantServeOptions {
  /** `mqtt://` or `mqtts://`, user and password in it or in KEYWARD_MQTT_USERNAME / _PASSWORD. */
  url: string;
  prefix?: string;
  instance?: string;
  version: string;
  /** The web UI's address, linked from each device in Home Assistant. */
  webUrl?: string;
  env: NodeJS.ProcessEnv;
  refreshMs?: number;
  onError?: (message: string) => void;
}

/** Battery percent of 4 AA cells from volts per cell: full at 1.5 V, empty where the lock goes silent. */
export function batteryPercent(lock: Lock): number | null {
  if (lock.voltsPerCell === null) return null;
  const { deadBelow } = getModel(lock.model).battery;
  const full = 1.5;
  const p = ((lock.voltsPerCell - deadBelow) / (full - deadBelow)) * 100;
  return Math.max(0, Math.min(100, Math.round(p)));
}

/** A lock's state in the words Home Assistant shows, with the reason where there is one. */
export function lockStatus(lock: Lock, c: SyncCounts | undefined): LockStatusPayload {
  const battery = batteryPercent(lock);
  const codes = c?.set ?? 0;
  let state: SyncStateWords = 'In step';
  let reason: string | null = null;
  if (c && c.error > 0) {
    state = 'Problem';
    reason =
      c.error === 1
        ? 'One code could not be set on the lock'
        : `${c.error} codes could not be set on the lock`;
  } else if (c && c.unset + c.setting + c.removing > 0) {
    const n = c.unset + c.setting + c.removing;
    if (lock.driver === 'manual') {
      state = 'Needs a visit';
      reason = n === 1 ? 'One change to type in at the keypad' : `${n} changes to type in at the keypad`;
    } else state = 'Syncing';
  }
  return { state, reason, battery, codes };
}

function bridgeLock(lock: Lock): BridgeLock {
  const c = lock.driverConfig;
  return {
    id: lock.id,
    name: lock.name,
    model: lock.model,
    driver: lock.driver,
    ...(lock.driver === 'zigbee2mqtt' && typeof c.device === 'string'
      ? {
          zigbee: {
            device: c.device,
            baseTopic: typeof c.baseTopic === 'string' ? c.baseTopic : 'zigbee2mqtt',
          },
        }
      : {}),
  };
}

/** Starts Home Assistant discovery over MQTT for this server's register and sync. */
export async function startHomeAssistant(
  store: Store,
  sync: SyncHandle,
  opts: HomeAssistantServeOptions,
): Promise<HomeAssistantBridge> {
  const bridge = new HomeAssistantBridge({
    url: opts.url,
    ...brokerCredentialsFromEnv(opts.env),
    discovery: {
      prefix: opts.prefix ?? 'homeassistant',
      instance: opts.instance ?? 'default',
      version: opts.version,
      ...(opts.webUrl ? { url: opts.webUrl } : {}),
    },
    ...(opts.refreshMs !== undefined ? { refreshMs: opts.refreshMs } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
    source: {
      locks: async () => (await store.listLocks()).map(bridgeLock),
      status: async (ids) => {
        const [locks, counts] = await Promise.all([store.listLocks(), syncCounts(store.ctx)]);
        const wanted = new Set(ids);
        return new Map(
          locks.filter((l) => wanted.has(l.id)).map((l) => [l.id, lockStatus(l, counts.get(l.id))]),
        );
      },
      personName: async (id) => (await store.getPerson(id).catch(() => null))?.name ?? null,
      subscribe: (listener) => sync.subscribe(listener),
      resync: (lockId) => {
        sync
          .recheck(lockId)
          .catch((e) => opts.onError?.(`checking ${lockId} again failed: ${(e as Error).message}`));
      },
    },
  });
  await bridge.start();
  return bridge;
}
