import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { KeywardError } from '../core/errors.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * An open database below the query builder: what Kysely's dialect wraps for the store, and what
 * the reads that must start fast (reader.ts) use directly. Nothing here loads Kysely.
 */
export type Driver = { location: string } & (
  | { dialect: 'sqlite'; sqlite: BetterSqlite3.Database }
  | { dialect: 'postgres'; pool: pg.Pool }
);

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** --db, else DATABASE_URL, else keyward.db in the data directory. */
export function resolveDatabase(
  db: string | undefined,
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return db ?? env.DATABASE_URL ?? join(dir, 'keyward.db');
}

/**
 * Each driver is loaded only when its dialect is used: pg alone costs a SQLite user a quarter of
 * a second at start-up on a slow machine.
 */
export async function openDriver(url: string): Promise<Driver> {
  if (isPostgresUrl(url)) {
    const { default: pg } = await import('pg');
    // int8 arrives as a string from pg; every bigint here is a time in ms, well inside 2^53.
    const types = {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    };
    const pool = new pg.Pool({ connectionString: url, max: 4, types });
    // An idle client dropped by the server (restart, failover, a forced drop) is discarded by the
    // pool; without a listener pg re-throws it and takes the whole process down. The next query
    // opens a fresh connection, or fails with its own error.
    pool.on('error', () => {});
    return { dialect: 'postgres', pool, location: url.replace(/\/\/[^@/]*@/, '//') };
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const created = path !== ':memory:' && !existsSync(path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Required, not imported: better-sqlite3 is CommonJS, and import() first scans its source for
  // named exports (~6 ms of every SQLite command's start).
  const SqliteDatabase = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  const sqlite = new SqliteDatabase(path);
  // Codes are encrypted, but names, schedules and the audit log are nobody else's business.
  if (created) chmodSync(path, 0o600);
  // WAL: a killed writer leaves the last committed transaction; busy_timeout: a second process
  // waits for the lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Reads through a memory map instead of a read call per page: a fresh process (every CLI
  // command) pays for each page it touches, and `keyward status` touches a few thousand.
  if (path !== ':memory:') sqlite.pragma('mmap_size = 268435456');
  return { dialect: 'sqlite', sqlite, location: path };
}

/** One read statement, its parameters written as placeholder(dialect, n). */
export async function query<R>(driver: Driver, text: string, params: readonly unknown[] = []): Promise<R[]> {
  if (driver.dialect === 'postgres') return (await driver.pool.query(text, [...params])).rows as R[];
  return driver.sqlite.prepare(text).all(...params) as R[];
}

export function placeholder(dialect: Dialect, n: number): string {
  return dialect === 'postgres' ? `$${n}` : '?';
}

export async function closeDriver(driver: Driver): Promise<void> {
  if (driver.dialect === 'postgres') await driver.pool.end();
  else driver.sqlite.close();
}

/** What opening a database that will not open says, wherever it failed. */
export function openFailure(location: string, error: unknown): KeywardError {
  if (error instanceof KeywardError) return error;
  const message = (error as Error)?.message ?? String(error);
  return new KeywardError('STORE_FAILED', `cannot open the database at ${location}: ${message}`);
}
