import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from '../src/server/serve.js';
import { createPgDatabase, RUN_POSTGRES, type TestDb } from './store/dialects.js';

const KEY = 'ab'.repeat(32);

/** `keyward serve --db postgres://...` twice on one database: one API, the work shared by lease. */
describe.skipIf(!RUN_POSTGRES)('two servers on one PostgreSQL database', () => {
  const dirs: string[] = [];
  const servers: Running[] = [];
  let db: TestDb | null = null;
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await db?.drop();
  });

  const start = async (demo: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-pg-'));
    dirs.push(dir);
    // Both instances read the same sealed data, so they share the key.
    const s = await startServer({
      port: 0,
      db: db!.url,
      dataDir: dir,
      env: { KEYWARD_SECRET_KEY: KEY },
      demo,
      logLevel: false,
      web: false,
      simLatencyMs: 2,
    });
    servers.push(s);
    return s;
  };

  it('serves the same register from both, and a code added through one reaches "set" once', async () => {
    db = await createPgDatabase();
    const a = await start(true);
    if (a.admin.kind !== 'created') throw new Error('expected a first admin token');
    const token = a.admin.token;
    const b = await start(false);
    expect(b.admin.kind).toBe('existing');
    const call = async <T>(s: Running, method: string, path: string, body?: unknown): Promise<T> => {
      const r = await fetch(s.url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return (await r.json()) as T;
    };
    const locks = (await call<{ locks: { id: string }[] }>(b, 'GET', '/api/v1/locks')).locks;
    expect(locks).toHaveLength(4);
    const created = await call<{ id: string }>(b, 'POST', '/api/v1/credentials', {
      name: 'Shared',
      code: '638250',
      lockIds: [locks[0]!.id],
    });
    let status = '';
    for (let i = 0; i < 200 && status !== 'set'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const c = await call<{ locks: { status: string }[] }>(a, 'GET', `/api/v1/credentials/${created.id}`);
      status = c.locks[0]!.status;
    }
    expect(status).toBe('set');
    // One lease per site, held by exactly one of the two.
    const leases = await a.store.ctx.db.selectFrom('sync_leases').selectAll().execute();
    expect(leases).toHaveLength(1);
  });
});
