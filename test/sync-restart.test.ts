import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/index.js';
import { createDatabase, DIALECTS, type TestDb } from './store/dialects.js';
import { distinctCodes, TEST_KEY } from './sync-harness.js';
import { cleanup, root, startWorker, transpile } from './sync-processes.js';

const out = join(root, 'node_modules', '.cache', `keyward-sync-restart-${process.pid}`);
beforeAll(() => transpile(out), 60_000);
afterAll(() => cleanup(out));

async function seed(store: Store, locks: number, perLock: number): Promise<Map<string, string[]>> {
  const site = await store.addSite({ name: 'Restart site' });
  const wanted = new Map<string, string[]>();
  for (let l = 0; l < locks; l++) {
    const lock = await store.addLock({ siteId: site.id, name: `Door ${l}`, model: '914', driver: 'sim' });
    const codes = distinctCodes(perLock, 17 + l);
    for (const [i, code] of codes.entries())
      await store.addCredential({ name: `Person ${l}-${i}`, code, lockIds: [lock.id] });
    wanted.set(lock.id, codes);
  }
  return wanted;
}

// Each worker is a process of its own (SIGKILL cannot be simulated in one), on a SQLite file or
// a PostgreSQL database that the processes share.
describe.each(DIALECTS)('a reconciler killed mid-plan, on %s', (dialect) => {
  let database: TestDb | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it('loses nothing and repeats no write when restarted, however often it is killed (SIGKILL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-sync-restart-'));
    database = await createDatabase(dialect);
    const db = database.url;
    const store = await openStore({ db, secretKey: TEST_KEY, dataDir: '/nonexistent', env: {} });
    const wanted = await seed(store, 3, 30);
    await store.close();

    let kills = 0;
    // Each run confirms a few ops, then dies a few milliseconds later: between sending a frame,
    // the lock carrying it out, and the outcome being written.
    for (const [after, jitterMs] of [
      [3, 0],
      [10, 5],
      [12, 9],
      [8, 13],
    ] as const) {
      const w = startWorker(out, db, dir, { latencyMs: 8 });
      await w.waitFor((line) => line.startsWith('confirmed ') && Number(line.slice(10)) >= after);
      await new Promise((r) => setTimeout(r, jitterMs));
      w.child.kill('SIGKILL');
      const end = await w.exited;
      expect(end.signal).toBe('SIGKILL');
      kills++;
    }
    const last = startWorker(out, db, dir, { latencyMs: 8 });
    await last.waitFor(/^converged$/, 120_000);
    expect((await last.exited).code).toBe(0);
    expect(kills).toBe(4);

    const check = await openStore({ db, secretKey: TEST_KEY, dataDir: '/nonexistent', env: {} });
    try {
      for (const [lockId, codes] of wanted) {
        const saved = JSON.parse(readFileSync(join(dir, `${lockId}.json`), 'utf8'));
        expect(Object.values(saved.lock.slots).sort()).toEqual([...codes].sort());
        // 30 codes from empty: the planner's minimum is 30 writes; none was carried out twice.
        expect(saved.stats.writesApplied).toBe(30);
        const creds = await check.listCredentials({ lockId });
        expect(creds.every((c) => c.locks.every((l) => l.status === 'set' && l.error === null))).toBe(true);
      }
      expect(await check.verifyAudit()).toMatchObject({ ok: true });
      const actions = await check.ctx.db.selectFrom('audit_log').select(['action', 'detail']).execute();
      // Ops named by rows of this action (a confirmed row lists its ops).
      const count = (a: string) =>
        actions
          .filter((r) => r.action === a)
          .reduce((n, r) => n + ((JSON.parse(r.detail) as { ops?: unknown[] }).ops?.length ?? 1), 0);
      expect(count('sync.confirmed') + count('sync.recovered')).toBeGreaterThanOrEqual(90);
      // Every kill left a frame in flight: its intent was resolved by reading the slot back.
      expect(count('sync.recovered')).toBeGreaterThan(0);
    } finally {
      await check.close();
    }
  }, 180_000);
});
