import { join } from 'node:path';
import type { PartialZWaveOptions } from 'zwave-js';
import { KeywardError } from '../../core/errors.js';
import { dataDir as defaultDataDir } from '../../store/data-dir.js';

/** Network keys as 32 hex digits each, as Z-Wave JS UI and Home Assistant show them. */
export interface SecurityKeysConfig {
  S0_Legacy?: string;
  S2_Unauthenticated?: string;
  S2_Authenticated?: string;
  S2_AccessControl?: string;
}

export interface ZWaveOptionsInput {
  /** Keyward's data directory; KEYWARD_DATA_DIR or the platform default when absent. */
  dataDir?: string;
  securityKeys?: SecurityKeysConfig;
}

const KEY_ENV: Record<keyof SecurityKeysConfig, string> = {
  S0_Legacy: 'KEYWARD_ZWAVE_S0_LEGACY',
  S2_Unauthenticated: 'KEYWARD_ZWAVE_S2_UNAUTHENTICATED',
  S2_Authenticated: 'KEYWARD_ZWAVE_S2_AUTHENTICATED',
  S2_AccessControl: 'KEYWARD_ZWAVE_S2_ACCESS_CONTROL',
};

/**
 * The network keys from the environment (KEYWARD_ZWAVE_S0_LEGACY, ..._S2_ACCESS_CONTROL), so
 * they stay out of the database and the command line. A lock included securely cannot be
 * reached without the key it was included with.
 */
export function securityKeysFromEnv(env: NodeJS.ProcessEnv = process.env): SecurityKeysConfig {
  const keys: SecurityKeysConfig = {};
  for (const [name, variable] of Object.entries(KEY_ENV) as Array<[keyof SecurityKeysConfig, string]>) {
    const hex = env[variable];
    if (hex) keys[name] = hex;
  }
  return keys;
}

/** Where zwave-js keeps its network cache: inside Keyward's data directory, backed up with it. */
export function zwaveCacheDir(dataDir: string = defaultDataDir()): string {
  return join(dataDir, 'zwave');
}

function keyBytes(name: string, hex: string): Uint8Array<ArrayBuffer> {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new KeywardError('BAD_INPUT', `security key ${name} must be 32 hex digits (16 bytes)`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/**
 * The zwave-js options Keyward always runs with. `queryAllUserCodes` is not optional: since
 * zwave-js 15.19 the first interview of a node otherwise clears every code on it, and a lost
 * cache directory makes every interview a first one, so the cache lives in the data directory.
 */
export function zwaveOptions(input: ZWaveOptionsInput = {}): PartialZWaveOptions {
  const keys: NonNullable<PartialZWaveOptions['securityKeys']> = {};
  for (const [name, hex] of Object.entries(input.securityKeys ?? {})) {
    if (hex === undefined) continue;
    keys[name as keyof SecurityKeysConfig] = keyBytes(name, hex);
  }
  return {
    storage: { cacheDir: zwaveCacheDir(input.dataDir) },
    interview: { queryAllUserCodes: true },
    securityKeys: keys,
    logConfig: { enabled: false },
  };
}
