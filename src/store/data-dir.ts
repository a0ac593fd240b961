import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { resolveDatabase } from './driver.js';
import { loadSecretKey } from './secrets.js';

/** KEYWARD_DATA_DIR, else the platform's per-user data directory. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEYWARD_DATA_DIR) return env.KEYWARD_DATA_DIR;
  const home = homedir();
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'keyward');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'keyward');
    default:
      return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'keyward');
  }
}

/** Where a store or a reader finds its database and key; each defaults from the environment. */
export interface StoreLocation {
  /** A file path, sqlite:PATH, :memory: or postgres://...; default DATABASE_URL, else the data directory. */
  db?: string;
  dataDir?: string;
  /** The 32-byte key; default KEYWARD_SECRET_KEY, else the key file in the data directory. */
  secretKey?: Buffer;
  env?: NodeJS.ProcessEnv;
}

/** The database and the key a store or a reader opens with, from its options and environment. */
export function locate(opts: StoreLocation): { url: string; key: Buffer } {
  const env = opts.env ?? process.env;
  const dir = opts.dataDir ?? dataDir(env);
  return { url: resolveDatabase(opts.db, dir, env), key: opts.secretKey ?? loadSecretKey(dir, env) };
}
