import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data is, without any password. */
  location: string;
}

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
 * Every transaction here writes. BEGIN IMMEDIATE takes the write lock up front, so a second
 * process waits (busy_timeout) instead of both reading and then one failing to upgrade.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/** Distinct statements kept prepared; the store issues far fewer shapes than this. */
const STATEMENT_CACHE = 256;

/**
 * Kysely prepares every query again; on this workload preparing cost as much as running the
 * statement (a fifth of a credential creation). Statements are kept by their SQL text, least
 * recently used dropped first. Safe because better-sqlite3 runs each statement to completion
 * synchronously, and the store never streams (a statement mid-iteration cannot be reused).
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt) cache.delete(text);
      else {
        stmt = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

/**
 * Each driver is loaded only when its dialect is used: pg alone costs a SQLite user a quarter of
 * a second at start-up on a slow machine.
 */
export async function connect(url: string): Promise<Connection> {
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
    const safe = url.replace(/\/\/[^@/]*@/, '//');
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      location: safe,
    };
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
  return {
    db: new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
    }),
    dialect: 'sqlite',
    location: path,
  };
}
