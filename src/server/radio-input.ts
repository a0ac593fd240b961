import { z } from 'zod';
import { isKeywardError, KeywardError } from '../core/errors.js';
import {
  describeRadioTarget,
  mayReachNetwork,
  networkKey,
  type RadioTarget,
  SERIAL_PORT_RULE,
  SERVER_URL_RULE,
  serialPortProblem,
  serverUrlProblem,
  splitUrlCredentials,
} from '../core/radio/address.js';
import { lockNetworks } from '../store/lock-config.js';
import type { Principal } from './auth.js';
import type { ServerDeps } from './deps.js';

/**
 * Z-Wave addresses as the API takes them: the one rule of src/core/radio/address.ts (a 400
 * naming the field), and who may use which network (a 403 naming it). The locks routes, the
 * Z-Wave routes and any later "test this address" step share these.
 */
export const ServerUrl = z
  .string()
  .max(300)
  .refine((v) => serverUrlProblem(v) === null, SERVER_URL_RULE)
  .describe(
    'a zwave-js-server (Home Assistant add-on, Z-Wave JS UI), e.g. ws://homeassistant.local:3000; a user name and password in it are stored encrypted and never shown',
  );

export const SerialPortPath = z
  .string()
  .max(200)
  .refine((v) => serialPortProblem(v) === null, SERIAL_PORT_RULE)
  .describe("Keyward's own Z-Wave stick (admin only): /dev/ttyUSB0, /dev/serial/by-id/..., COM3");

const isAdmin = (principal: Principal | null) => principal?.role === 'admin';

/**
 * The network a request may use, with the credentials to reach it. An admin may use any
 * address the rule allows (and registers it for the others until the server restarts); anyone
 * else only a network a lock already uses or an admin registered, and may not configure a stick.
 * A known network's stored credentials are used when the request gives none.
 */
export async function reachableTarget(
  deps: ServerDeps,
  principal: Principal | null,
  target: RadioTarget,
  opts: { configures: boolean },
): Promise<RadioTarget> {
  const key = networkKey(target);
  const stored = (await lockNetworks(deps.store.ctx)).find((n) => networkKey(n) === key);
  const known = stored ?? deps.zwave.registeredNetwork(key);
  const field = 'url' in target ? 'url' : 'serialPort';
  if (!mayReachNetwork({ admin: isAdmin(principal), target, known: () => known !== undefined, ...opts })) {
    throw new KeywardError(
      'FORBIDDEN',
      'url' in target
        ? `${field}: only an admin may use a Z-Wave server that no lock uses yet`
        : `${field}: only an admin may ${opts.configures ? 'configure a Z-Wave stick' : 'open a Z-Wave stick that no lock uses yet'}`,
    );
  }
  const bare = 'url' in target && splitUrlCredentials(target.url).credentials === null;
  const resolved = bare && known ? known : target;
  if (isAdmin(principal)) deps.zwave.register(resolved);
  return resolved;
}

/**
 * What a failure to reach a network tells the caller. An admin reads the reason; anyone else
 * reads one sentence whatever happened (closed port, refused, timed out, not a zwave-js-server),
 * so the API tells nobody else what is listening where. The reason stays the error's cause,
 * which the server log keeps.
 */
export function reachFailure(error: unknown, principal: Principal | null, target: RadioTarget): unknown {
  if (isAdmin(principal) || !isKeywardError(error) || error.code !== 'DRIVER_FAILED') return error;
  return new KeywardError('DRIVER_FAILED', unreachable(target), undefined, error);
}

/** The one sentence a non-admin reads about a network that cannot be reached. */
export function unreachable(target: RadioTarget): string {
  return 'url' in target
    ? `could not reach the Z-Wave server at ${describeRadioTarget(target)}`
    : `could not open the Z-Wave stick at ${describeRadioTarget(target)}`;
}
