import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store, type StoreOptions } from '../../src/store/index.js';

/**
 * The store suite runs once per dialect (after kysely's own test layout). PostgreSQL is the
 * server on 127.0.0.1:5432 (or KEYWARD_TEST_PG_URL); each test gets a database of its own,
 * dropped afterwards. In CI the PostgreSQL half must run: an unreachable server fails it.
 */
export type DialectName = 'sqlite' | 'postgres';

const CANDIDATES = process.env.KEYWARD_TEST_PG_URL
  ? [process.env.KEYWARD_TEST_PG_URL]
  : ['postgres://postgres@127.0.0.1:5432/postgres', 'postgres://root@127.0.0.1:5432/postgres'];

async function probe(): Promise<{ admin: string | null; error: string }> {
  let error = '';
  for (const url of CANDIDATES) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return { admin: url, error: '' };
    } catch (e) {
      error = (e as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { admin: null, error };
}

const found = await probe();
export const IN_CI = process.env.CI === 'true';
export const PG_ADMIN = found.admin;
/** Run the PostgreSQL half: always in CI (where a missing server must fail), else when reachable. */
export const RUN_POSTGRES = IN_CI || PG_ADMIN !== null;
if (!RUN_POSTGRES) {
  console.warn(
    `store suite: PostgreSQL half skipped, no server reachable (${found.error}); CI=true makes it mandatory`,
  );
}

export const DIALECTS: DialectName[] = RUN_POSTGRES ? ['sqlite', 'postgres'] : ['sqlite'];

export const TEST_KEY = Buffer.alloc(32, 7);

export interface TestDb {
  url: string;
  drop(): Promise<void>;
}

export async function createPgDatabase(): Promise<TestDb> {
  if (!PG_ADMIN)
    throw new Error(
      `PostgreSQL is required (CI=true) but unreachable at ${CANDIDATES.join(' or ')}: ${found.error}`,
    );
  const name = `keyward_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN! });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function createSqliteDatabase(): TestDb {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-store-'));
  return {
    url: join(dir, 'keyward.db'),
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function createDatabase(dialect: DialectName): Promise<TestDb> {
  return dialect === 'postgres' ? createPgDatabase() : Promise.resolve(createSqliteDatabase());
}

/** Opens stores on fresh databases and cleans every one of them up. */
export class Harness {
  readonly #dbs: TestDb[] = [];
  readonly #stores: Store[] = [];

  async database(dialect: DialectName): Promise<TestDb> {
    const db = await createDatabase(dialect);
    this.#dbs.push(db);
    return db;
  }

  async open(url: string, opts: Partial<StoreOptions> = {}): Promise<Store> {
    const store = await openStore({
      db: url,
      secretKey: TEST_KEY,
      dataDir: '/nonexistent',
      env: {},
      ...opts,
    });
    this.#stores.push(store);
    return store;
  }

  async fresh(dialect: DialectName, opts: Partial<StoreOptions> = {}): Promise<Store> {
    return this.open((await this.database(dialect)).url, opts);
  }

  async cleanup(): Promise<void> {
    for (const s of this.#stores.splice(0)) await s.close().catch(() => {});
    for (const d of this.#dbs.splice(0)) await d.drop();
  }
}
