import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeywardError } from '../core/errors.js';
import type { Store } from '../store/index.js';
import { countApiTokens, importApiToken } from '../store/server-queries.js';

export const ADMIN_TOKEN_FILE = 'admin-token';

export type AdminToken =
  | { kind: 'created'; token: string; file: string }
  | { kind: 'chosen'; source: string }
  | { kind: 'existing'; file: string | null };

/**
 * CONTRACT: on first start with no token, an admin token is written to <data dir>/admin-token
 * (0600) and printed once. A token chosen with --token-file or KEYWARD_ADMIN_TOKEN is stored
 * (hashed) instead, and never printed.
 */
export async function ensureAdminToken(
  store: Store,
  opts: { dataDir: string; tokenFile?: string; env?: NodeJS.ProcessEnv },
): Promise<AdminToken> {
  const env = opts.env ?? process.env;
  let chosen: string | undefined;
  let source = '';
  if (opts.tokenFile) {
    try {
      chosen = readFileSync(opts.tokenFile, 'utf8').trim();
    } catch (e) {
      throw new KeywardError(
        'BAD_INPUT',
        `cannot read --token-file ${opts.tokenFile}: ${(e as Error).message}`,
      );
    }
    source = opts.tokenFile;
  } else if (env.KEYWARD_ADMIN_TOKEN) {
    chosen = env.KEYWARD_ADMIN_TOKEN.trim();
    source = 'KEYWARD_ADMIN_TOKEN';
  }
  if (chosen !== undefined) {
    await importApiToken(store.ctx, { name: 'admin', role: 'admin', token: chosen });
    return { kind: 'chosen', source };
  }
  const file = join(opts.dataDir, ADMIN_TOKEN_FILE);
  if ((await countApiTokens(store.ctx)) > 0)
    return { kind: 'existing', file: existsSync(file) ? file : null };
  const { token } = await store.createApiToken({ name: 'admin', role: 'admin' });
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { kind: 'created', token, file };
}
