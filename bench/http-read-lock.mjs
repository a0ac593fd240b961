// GET /api/v1/locks/{id} under load from this process while `keyward serve` runs in another.
// Target (issue 8): >= 3,000 requests/s with p99 < 25 ms on SQLite; measured on PostgreSQL too.
// Run: npm run build && node bench/http-read-lock.mjs            (SQLite)
//      KEYWARD_BENCH_DB=postgres node bench/http-read-lock.mjs   (PostgreSQL on 127.0.0.1:5432)
// Bounded: 5 s warm-up + 15 s measured, 16 keep-alive connections.
import autocannon from 'autocannon';
import { machine, startServer, summary } from './http-support.js';

const server = await startServer(['--demo']);
try {
  const { locks } = await server.api('GET', '/api/v1/locks');
  const lock = locks[0];
  // A busy door: 20 more codes beside the demo's two, so the read joins real rows.
  for (let i = 0; i < 20; i++) {
    await server.api('POST', '/api/v1/credentials', {
      name: `Bench ${i}`,
      generate: true,
      lockIds: [lock.id],
    });
  }
  const view = await server.api('GET', `/api/v1/locks/${lock.id}`);
  const opts = {
    url: `${server.url}/api/v1/locks/${lock.id}`,
    headers: { authorization: `Bearer ${server.token}` },
    connections: 16,
    pipelining: 1,
  };
  await autocannon({ ...opts, duration: 5 });
  const r = await autocannon({ ...opts, duration: 15 });
  const result = {
    bench: 'http-read-lock',
    dialect: server.dialect,
    slotsOnLock: view.slots.length,
    ...summary(r),
    target: { reqPerSec: 3000, p99Ms: 25 },
    machine: machine(),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await server.stop();
}
