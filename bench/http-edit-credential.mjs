// PATCH /api/v1/credentials/{id} answered one at a time, as a host saving the edit form: on 50
// manual locks holding 20 codes each (1,000 codes), each edit moves a stay's end and adds or drops
// a second lock. Target (issue 15): every action answers within 200 ms.
// Run: npm run build && node bench/http-edit-credential.mjs
//      KEYWARD_BENCH_DB=postgres node bench/http-edit-credential.mjs
import { machine, startServer } from './http-support.js';

const LOCKS = 50;
const PER_LOCK = 20;
const EDITS = 300;
const server = await startServer();
try {
  const lockIds = [];
  for (let i = 0; i < LOCKS; i++)
    lockIds.push(
      (await server.api('POST', '/api/v1/locks', { name: `Door ${i}`, model: '264', driver: 'manual' })).id,
    );
  const creds = [];
  const day = 86_400_000;
  for (let k = 0; k < PER_LOCK; k++) {
    for (let i = 0; i < LOCKS; i++) {
      const code = `${1000 + k * 37}${String(i % 100).padStart(2, '0')}`;
      const c = await server.api('POST', '/api/v1/credentials', {
        name: `Guest ${k}-${i}`,
        code,
        kind: 'guest',
        lockIds: [lockIds[i]],
        endsAt: Date.now() + 3 * day,
      });
      creds.push({ id: c.id, lock: i });
    }
  }
  const times = [];
  const cpu0 = server.cpuMs();
  for (let n = 0; n < EDITS; n++) {
    const c = creds[(n * 7919) % creds.length];
    const other = lockIds[(c.lock + 1 + (n % 3)) % LOCKS];
    const lockIds2 = n % 2 === 0 ? [lockIds[c.lock], other] : [lockIds[c.lock]];
    const t0 = performance.now();
    try {
      await server.api('PATCH', `/api/v1/credentials/${c.id}`, {
        endsAt: Date.now() + (4 + (n % 5)) * day,
        lockIds: lockIds2,
      });
    } catch (e) {
      // A prefix taken on the other lock is refused as it should be; it still counts as an answer.
      if (!/400/.test(String(e))) throw e;
    }
    times.push(performance.now() - t0);
  }
  const cpu = server.cpuMs() - cpu0;
  times.sort((a, b) => a - b);
  const at = (q) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1));
  console.log(
    JSON.stringify(
      {
        bench: 'http-edit-credential',
        db: server.dialect,
        codes: creds.length,
        edits: EDITS,
        latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Number(times.at(-1).toFixed(1)) },
        serverCpuPerEditMs: cpu === null ? null : Number((cpu / EDITS).toFixed(2)),
        machine: machine(),
      },
      null,
      2,
    ),
  );
} finally {
  await server.stop();
}
