// POST /api/v1/credentials under load from this process while `keyward serve` runs in another.
// Target (issue 8): >= 500 credentials created per second. Each request puts one code on one of
// 300 manual locks (30 slots each, so at most 9,000 fit), with first-four digits distinct per lock.
// Run: npm run build && node bench/http-create-credentials.mjs
//      KEYWARD_BENCH_DB=postgres node bench/http-create-credentials.mjs
// Bounded: 10 s measured, 16 keep-alive connections, at most 8,000 requests.
// Besides the rate it reports the server's CPU time per credential created: on a machine shared
// with other work the rate follows the CPU the server is given, the CPU per credential does not.
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { machine, startServer, summary } from './http-support.js';

const LOCKS = 300;
// KEYWARD_BENCH_SYNC=off measures without the reconciler looking at each changed lock.
const server = await startServer(process.env.KEYWARD_BENCH_SYNC === 'off' ? ['--no-sync'] : []);
try {
  const lockIds = [];
  for (let i = 0; i < LOCKS; i++) {
    // Manual locks: the reconciler has no radio to drive, so this measures the API and the store.
    lockIds.push(
      (await server.api('POST', '/api/v1/locks', { name: `Door ${i}`, model: '264', driver: 'manual' })).id,
    );
  }
  let n = 0;
  const body = () => {
    const i = n++;
    const lock = lockIds[i % LOCKS];
    const k = Math.floor(i / LOCKS);
    // Prefixes 1000, 1037, 1074... distinct on each lock; never the default programming code 0000.
    const code = `${1000 + k * 37}${String(i % 100).padStart(2, '0')}`;
    return JSON.stringify({ name: `Guest ${i}`, code, lockIds: [lock], kind: 'permanent' });
  };
  const load = loadavg()[0];
  const cpu0 = server.cpuMs();
  const r = await autocannon({
    url: server.url,
    connections: 16,
    duration: 10,
    maxOverallRequests: 8000,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/credentials',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: body() }),
      },
    ],
  });
  const cpu = server.cpuMs() - cpu0;
  const s = summary(r);
  console.log(
    JSON.stringify(
      {
        bench: 'http-create-credentials',
        dialect: server.dialect,
        sync: process.env.KEYWARD_BENCH_SYNC !== 'off',
        created: r['2xx'],
        createdPerSec: Math.round(r['2xx'] / r.duration),
        ...s,
        serverCpuMsPerCreated: r['2xx'] ? Number((cpu / r['2xx']).toFixed(3)) : null,
        serverCpuShare: Number((cpu / (r.duration * 1000)).toFixed(2)),
        loadavg1mAtStart: Number(load.toFixed(2)),
        target: { createdPerSec: 500 },
        machine: machine(),
      },
      null,
      2,
    ),
  );
} finally {
  await server.stop();
}
