import { dataDir } from './data-dir.js';
import {
  closeDriver,
  type Dialect,
  type Driver,
  openDriver,
  openFailure,
  placeholder,
  query,
  resolveDatabase,
} from './driver.js';
import { allApplied } from './migration-names.js';
import { KEY_CHECK, loadSecretKey, Sealer, verifyKeyCheck } from './secrets.js';
import { type Status, status } from './status.js';
import type { StoreOptions } from './store.js';

/**
 * The register opened for `keyward status` without the query builder. A CLI command is a fresh
 * process, and loading Kysely cost it more than the status query itself (BENCHMARKS.md, issue
 * 5). Opens like the store: the same database, the same key and the same refusal of a wrong
 * key; a database the store has yet to set up (new, or migrations pending) is handed to the
 * store once to do so.
 */
export interface Reader {
  readonly dialect: Dialect;
  readonly location: string;
  status(at?: number, horizonMs?: number): Promise<Status>;
  close(): Promise<void>;
}

export async function openReader(opts: StoreOptions = {}): Promise<Reader> {
  const env = opts.env ?? process.env;
  const dir = opts.dataDir ?? dataDir(env);
  const url = resolveDatabase(opts.db, dir, env);
  const sealer = new Sealer(opts.secretKey ?? loadSecretKey(dir, env));
  let driver = await openDriver(url);
  try {
    let sealed = await readyKeyCheck(driver);
    if (sealed === null) {
      await closeDriver(driver);
      const { openStore } = await import('./store.js');
      await (await openStore({ ...opts, db: url })).close();
      driver = await openDriver(url);
      sealed = await readyKeyCheck(driver);
    }
    if (sealed === null) throw new Error('the database was not set up');
    verifyKeyCheck(sealer, sealed);
  } catch (e) {
    await closeDriver(driver).catch(() => {});
    throw openFailure(driver.location, e);
  }
  const now = opts.now ?? Date.now;
  const open = driver;
  return {
    dialect: open.dialect,
    location: open.location,
    status: (at = now(), horizonMs) =>
      status((text, params) => query(open, text, params), open.dialect, at, horizonMs),
    close: () => closeDriver(open),
  };
}

/**
 * The sealed key check of a database whose migrations have all run, else null. One round trip:
 * Kysely's record of the migrations, each row with the meta row beside it.
 */
async function readyKeyCheck(driver: Driver): Promise<string | null> {
  let applied: { name: string; key_check: string | null }[];
  try {
    applied = await query(
      driver,
      `select m.name, (select value from meta where key = ${placeholder(driver.dialect, 1)}) as key_check
        from kysely_migration m`,
      [KEY_CHECK.metaKey],
    );
  } catch (e) {
    // A new database has no migration table; anything else (unreachable, refused) is a fault.
    if (/kysely_migration/.test((e as Error)?.message ?? '')) return null;
    throw e;
  }
  if (!allApplied(applied.map((r) => r.name))) return null;
  return applied[0]?.key_check ?? null;
}
