import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { createPgDatabase, RUN_POSTGRES, type TestDb } from './store/dialects.js';
import { distinctCodes, TEST_KEY } from './sync-harness.js';
import { cleanup, root, startWorker, transpile } from './sync-processes.js';

const out = join(root, 'node_modules', '.cache', `keyward-sync-leases-${process.pid}`);
const LEASE_MS = 1_500;

// PostgreSQL only, by design: leases are how several instances share one database server, and
// `serve` takes them only there (src/server/sync.ts); on SQLite one instance owns the file.
if (!RUN_POSTGRES)
  console.warn(
    'sync leases: skipped, no PostgreSQL reachable on 127.0.0.1:5432 (CI=true makes it mandatory)',
  );

describe.runIf(RUN_POSTGRES)('several reconciler instances on PostgreSQL', () => {
  let pg: TestDb;
  const dir = mkdtempSync(join(tmpdir(), 'keyward-sync-leases-'));
  beforeAll(async () => {
    transpile(out);
    pg = await createPgDatabase();
  }, 60_000);
  afterAll(async () => {
    cleanup(out);
    rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  });

  it('share sites by lease, and when the holder is killed another takes its sites within the lease time', async () => {
    const store = await openStore({ db: pg.url, secretKey: TEST_KEY, dataDir: '/nonexistent', env: {} });
    const wanted = new Map<string, string[]>();
    for (let s = 0; s < 2; s++) {
      const site = await store.addSite({ name: `Site ${s}` });
      for (let l = 0; l < 2; l++) {
        const lock = await store.addLock({
          siteId: site.id,
          name: `Door ${s}-${l}`,
          model: '914',
          driver: 'sim',
        });
        const codes = distinctCodes(12, 100 + s * 10 + l);
        for (const [i, code] of codes.entries())
          await store.addCredential({ name: `Person ${i}`, code, lockIds: [lock.id] });
        wanted.set(lock.id, codes);
      }
    }
    await store.close();

    // A never exits by itself: it is killed mid-plan, with work left for B.
    const a = startWorker(out, pg.url, dir, {
      holder: 'A',
      leaseMs: LEASE_MS,
      latencyMs: 150,
      stayAlive: true,
    });
    await a.waitFor(/^acquired /);
    await a.waitFor(/^confirmed \d+$/);
    const b = startWorker(out, pg.url, dir, { holder: 'B', leaseMs: LEASE_MS, latencyMs: 150 });
    await new Promise((r) => setTimeout(r, LEASE_MS));
    // While A lives and renews, B holds nothing.
    expect(b.lines.filter((l) => l.text.startsWith('acquired'))).toEqual([]);
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await a.exited).signal).toBe('SIGKILL');
    const takenAt = await b.waitFor(/^acquired /, 10_000);
    // Expiry plus at most one renewal period of B, with a little room for process scheduling.
    expect(takenAt - killedAt).toBeLessThanOrEqual(LEASE_MS + LEASE_MS / 3 + 750);
    await b.waitFor(/^converged$/, 60_000);
    expect((await b.exited).code).toBe(0);

    const check = await openStore({ db: pg.url, secretKey: TEST_KEY, dataDir: '/nonexistent', env: {} });
    try {
      for (const [lockId, codes] of wanted) {
        const saved = JSON.parse(readFileSync(join(dir, `${lockId}.json`), 'utf8'));
        expect(Object.values(saved.lock.slots).sort()).toEqual([...codes].sort());
        expect(saved.stats.writesApplied).toBe(codes.length);
      }
      const leases = await check.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('action', '=', 'lease.acquired')
        .execute();
      const holders = leases.map((r) => (JSON.parse(r.detail) as { holder: string }).holder);
      expect(holders.filter((h) => h === 'A')).toHaveLength(2);
      expect(holders.filter((h) => h === 'B')).toHaveLength(2);
      expect(await check.verifyAudit()).toMatchObject({ ok: true });
    } finally {
      await check.close();
    }
  }, 120_000);
});
