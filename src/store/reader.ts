import { DEFAULT_HORIZON_MS } from '../core/access/policies.js';
import { locate } from './data-dir.js';
import {
  closeDriver,
  type Dialect,
  type Driver,
  openDriver,
  openFailure,
  placeholder,
  query,
} from './driver.js';
import { type LockStatusLine, lockStatus } from './lock-status.js';
import { allApplied } from './migration-names.js';
import { KEY_CHECK, Sealer, verifyKeyCheck } from './secrets.js';
import { type Status, status } from './status.js';
import type { StoreOptions } from './store.js';

/**
 * The register opened for `keyward status` without the query builder. A CLI command is a fresh
 * process, and loading Kysely cost it more than the status query itself (BENCHMARKS.md, issue
 * 5). Opens like the store: the same database, the same key and the same refusal of a wrong
 * key. A database the store has yet to set up (new, or a migration pending) is opened by the
 * store instead, which sets it up and answers as a reader.
 */
export interface Reader {
  readonly dialect: Dialect;
  readonly location: string;
  status(at?: number, horizonMs?: number): Promise<Status>;
  /** Every lock's state, what is coming and the visits to make (issue 15). */
  lockStatus(at?: number, horizonMs?: number): Promise<LockStatusLine[]>;
  close(): Promise<void>;
}

export async function openReader(opts: StoreOptions = {}): Promise<Reader> {
  const { url, key } = locate(opts);
  const sealer = new Sealer(key);
  const driver = await openDriver(url);
  let sealed: string | null;
  try {
    sealed = await readyKeyCheck(driver);
    if (sealed !== null) verifyKeyCheck(sealer, sealed);
  } catch (e) {
    await closeDriver(driver).catch(() => {});
    throw openFailure(driver.location, e);
  }
  if (sealed === null) {
    // New, or a migration pending: the store sets it up, and this once answers itself.
    await closeDriver(driver);
    const { openStore } = await import('./store.js');
    return openStore({ ...opts, db: url });
  }
  const now = opts.now ?? Date.now;
  return {
    dialect: driver.dialect,
    location: driver.location,
    status: (at = now(), horizonMs) =>
      status((text, params) => query(driver, text, params), driver.dialect, at, horizonMs),
    lockStatus: (at = now(), horizonMs = DEFAULT_HORIZON_MS) =>
      lockStatus((text, params) => query(driver, text, params), driver.dialect, at, horizonMs),
    close: () => closeDriver(driver),
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
