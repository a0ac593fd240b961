import type { CalendarRuntime } from '../calendar/refresh.js';
import type { Store } from '../store/index.js';
import type { ZigbeeHub } from '../sync/zigbee2mqtt/hub.js';
import type { ZWaveHub } from '../sync/zwave/hub.js';
import type { Authenticator } from './auth.js';
import type { LockFaults } from './lock-faults.js';
import type { ReadCache } from './read-cache.js';

/** What the routes work with; a request acting for a token uses `storeFor` so the audit log names it. */
export interface ServerDeps {
  store: Store;
  auth: Authenticator;
  storeFor(principal: { tokenId: string } | null): Store;
  /**
   * A lock's desired state changed: drops its cached view and tells the reconciler, if one runs
   * here.
   */
  nudge(lockIds: readonly string[]): void;
  /** GET /api/v1/locks/{id}, the hottest read. */
  lockViews: ReadCache<string>;
  /** Z-Wave discovery and networks, shared with the reconciler's Z-Wave locks. */
  zwave: ZWaveHub;
  /** Zigbee2MQTT locks and discovery, on the server's broker (`--mqtt`) or a lock's own. */
  zigbee: ZigbeeHub;
  /** What sync last said of each lock (unreachable, a failed pass), for its state. */
  faults: LockFaults;
  now(): number;
  /** Booking calendars: the outbound-address rule and this instance's lease name. */
  calendars?: CalendarRuntime & { holder?: string };
}
