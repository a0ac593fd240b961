import type { LockStateWord } from '../core/access/lock-state.js';
import { batteryPercent } from '../core/battery-percent.js';
import { count } from '../core/plural.js';
import type { LockStatusPayload, SyncStateWords } from '../mqtt/discovery-config.js';
import { type BridgeLock, HomeAssistantBridge } from '../mqtt/home-assistant.js';
import type { Lock, Store } from '../store/index.js';
import { lockFacts } from '../store/lock-facts.js';
import { brokerCredentialsFromEnv } from '../sync/zigbee2mqtt/broker.js';
import type { LockFaults } from './lock-faults.js';
import { stateOf } from './lock-summary.js';
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

const WORDS: Record<LockStateWord, SyncStateWords> = {
  'in-step': 'In step',
  syncing: 'Syncing',
  'needs-visit': 'Needs a visit',
  problem: 'Problem',
};

/**
 * A lock as Home Assistant shows it: the same state as the API and the web (one decision,
 * src/core/access/lock-state.ts), in the words of the sensor's options.
 */
export function lockStatus(lock: Lock, decided: ReturnType<typeof stateOf>['decided']): LockStatusPayload {
  const visit =
    decided.state === 'needs-visit' ? decided.slots.filter((s) => s.phase !== 'on-lock').length : 0;
  return {
    state: WORDS[decided.state],
    reason:
      decided.problem?.message ??
      (decided.state === 'needs-visit' ? `${count(visit, 'change')} to type in at the keypad` : null),
    battery: lock.voltsPerCell === null ? null : batteryPercent(lock.voltsPerCell),
    codes: decided.slots.filter((s) => s.phase === 'on-lock').length,
  };
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
  faults: LockFaults,
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
        const wanted = new Set(ids);
        const locks = (await store.listLocks()).filter((l) => wanted.has(l.id));
        const facts = await lockFacts(store.ctx, locks);
        const now = Date.now();
        return new Map(
          locks.map((l) => [l.id, lockStatus(l, stateOf(facts.get(l.id)!, faults.get(l.id), now).decided)]),
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
