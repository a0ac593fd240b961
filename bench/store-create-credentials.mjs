// The store's part of creating credentials, in-process: no HTTP, no reconciler. 16 callers at
// once (as 16 HTTP connections would be) put one code each on one of 300 locks until 3,000 are
// made; it reports codes created per second and this process's CPU time per code. Issue 8 asks
// >= 500 creations a second through the API (bench/http-create-credentials.mjs); this isolates
// what the store costs of that.
// Run: npm run build && node bench/store-create-credentials.mjs
//      KEYWARD_BENCH_DB=postgres node bench/store-create-credentials.mjs
//      KEYWARD_BENCH_ROOT=/path/to/other/checkout ...   (its dist/, to compare two versions)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchDatabase, machine } from './http-support.js';

const LOCKS = 300;
const TOTAL = 3000;
const CALLERS = 16;
const root = process.env.KEYWARD_BENCH_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const { openStore } = await import(pathToFileURL(join(root, 'dist', 'store', 'index.js')).href);

const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
const db = await benchDatabase(dir);
const store = await openStore({ db: db.url, secretKey: Buffer.alloc(32, 7), dataDir: dir, env: {} });
try {
  const site = await store.addSite({ name: 'Bench' });
  const lockIds = [];
  for (let i = 0; i < LOCKS; i++)
    lockIds.push((await store.addLock({ siteId: site.id, name: `Door ${i}`, model: '264' })).id);
  let next = 0;
  let created = 0;
  const caller = async () => {
    while (next < TOTAL) {
      const i = next++;
      // Prefixes 1000, 1037, 1074... distinct on each lock, as in the HTTP bench.
      const code = `${1000 + Math.floor(i / LOCKS) * 37}${String(i % 100).padStart(2, '0')}`;
      await store.addCredential({ name: `Guest ${i}`, code, lockIds: [lockIds[i % LOCKS]] });
      created++;
    }
  };
  const load = loadavg()[0];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CALLERS }, caller));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const audit = await store.verifyAudit();
  if (!audit.ok) throw new Error(`audit chain broken: ${JSON.stringify(audit.problems.slice(0, 3))}`);
  console.log(
    JSON.stringify(
      {
        bench: 'store-create-credentials',
        dialect: db.dialect,
        root,
        callers: CALLERS,
        created,
        createdPerSec: Math.round((created / ms) * 1000),
        cpuMsPerCreated: Number(((cpu.user + cpu.system) / 1000 / created).toFixed(3)),
        auditRowsVerified: audit.rows,
        loadavg1mAtStart: Number(load.toFixed(2)),
        machine: machine(),
      },
      null,
      2,
    ),
  );
} finally {
  await store.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}
