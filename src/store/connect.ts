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
import { type Dialect, openDriver } from './driver.js';
import type { Database } from './schema.js';

export type { Dialect } from './driver.js';

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data is, without any password. */
  location: string;
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

/** The store's connection: the driver (driver.ts) wrapped in Kysely. */
export async function connect(url: string): Promise<Connection> {
  const driver = await openDriver(url);
  const dialect =
    driver.dialect === 'postgres'
      ? new PostgresDialect({ pool: driver.pool })
      : new ImmediateSqliteDialect({ database: withStatementCache(driver.sqlite) });
  return { db: new Kysely<Database>({ dialect }), dialect: driver.dialect, location: driver.location };
}
