import { KeywardError } from '../core/errors.js';
import {
  joinUrlCredentials,
  type RadioTarget,
  redactUrl,
  serialPortProblem,
  serverUrlProblem,
  splitUrlCredentials,
} from '../core/radio/address.js';
import type { StoreContext } from './context.js';
import type { Sealer } from './secrets.js';

/**
 * A lock's driver settings (locks.driver_config, JSON). The user name and password of a
 * zwave-js-server address are the owner's secret: they are kept apart from the address, sealed
 * like codes under the lock's id, so the register, a dump and the audit log hold the address
 * alone. Only the driver that connects gets them back (`driverSettings`).
 */
const SEALED = 'urlCredentials';
const urlAad = (lockId: string) => `lock:${lockId}:url`;

/** Refuses a serial port or server address outside the one rule (src/core/radio/address.ts). */
export function checkDriverConfig(config: Record<string, unknown>): void {
  if ('serialPort' in config) {
    const problem = serialPortProblem(config.serialPort);
    if (problem) throw new KeywardError('BAD_INPUT', `serialPort ${problem}`);
  }
  if ('url' in config) {
    const problem = serverUrlProblem(config.url);
    if (problem) throw new KeywardError('BAD_INPUT', `url ${problem}`);
  }
  if (SEALED in config) throw new KeywardError('BAD_INPUT', `${SEALED} is not a setting`);
}

/** The text stored for a lock's settings: the address without credentials, these sealed. */
export function sealDriverConfig(sealer: Sealer, lockId: string, config: Record<string, unknown>): string {
  if (typeof config.url !== 'string') return JSON.stringify(config);
  const { url, credentials } = splitUrlCredentials(config.url);
  if (credentials === null) return JSON.stringify(config);
  return JSON.stringify({ ...config, url, [SEALED]: sealer.seal(credentials, urlAad(lockId)) });
}

/** The settings as the register shows them: no credentials (an older row's are cut off here too). */
export function shownDriverConfig(stored: string): Record<string, unknown> {
  const { [SEALED]: _sealed, ...config } = JSON.parse(stored) as Record<string, unknown>;
  if (typeof config.url === 'string') config.url = redactUrl(config.url);
  return config;
}

/** The settings with the server's credentials opened: for the driver that connects, nothing else. */
export function openDriverConfig(sealer: Sealer, lockId: string, stored: string): Record<string, unknown> {
  const { [SEALED]: sealed, ...config } = JSON.parse(stored) as Record<string, unknown>;
  if (typeof sealed === 'string' && typeof config.url === 'string') {
    config.url = joinUrlCredentials(config.url, sealer.open(sealed, urlAad(lockId)));
  }
  return config;
}

/** A lock's settings with its server's credentials, for its driver. */
export async function driverSettings(ctx: StoreContext, lockId: string): Promise<Record<string, unknown>> {
  const row = await ctx.db
    .selectFrom('locks')
    .select('driver_config')
    .where('id', '=', lockId)
    .executeTakeFirst();
  if (!row) throw new KeywardError('NOT_FOUND', `no lock ${lockId}`);
  return openDriverConfig(ctx.sealer, lockId, row.driver_config);
}

/** The Z-Wave networks the register's locks use, credentials included (they are how to reach them). */
export async function lockNetworks(ctx: StoreContext): Promise<RadioTarget[]> {
  const rows = await ctx.db
    .selectFrom('locks')
    .select(['id', 'driver', 'driver_config'])
    .where('driver', 'in', ['zwave', 'zwave-server'])
    .execute();
  const out: RadioTarget[] = [];
  for (const r of rows) {
    const config = openDriverConfig(ctx.sealer, r.id, r.driver_config);
    if (r.driver === 'zwave-server' && typeof config.url === 'string') out.push({ url: config.url });
    if (r.driver === 'zwave' && typeof config.serialPort === 'string')
      out.push({ serialPort: config.serialPort });
  }
  return out;
}

/**
 * Seals the credentials an earlier version stored in the clear inside a server address. Run
 * when a store opens, until meta says it is done; a row is rewritten only if no one changed it.
 */
export const URL_SECRETS_KEY = 'url_secrets_sealed';

export async function sealLegacyUrlCredentials(ctx: StoreContext): Promise<void> {
  const rows = await ctx.db
    .selectFrom('locks')
    .select(['id', 'driver_config'])
    .where('driver_config', 'like', '%@%')
    .execute();
  for (const r of rows) {
    const config = JSON.parse(r.driver_config) as Record<string, unknown>;
    if (typeof config.url !== 'string' || splitUrlCredentials(config.url).credentials === null) continue;
    await ctx.db
      .updateTable('locks')
      .set({ driver_config: sealDriverConfig(ctx.sealer, r.id, config) })
      .where('id', '=', r.id)
      .where('driver_config', '=', r.driver_config)
      .execute();
  }
  await ctx.db
    .insertInto('meta')
    .values({ key: URL_SECRETS_KEY, value: '1' })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}
