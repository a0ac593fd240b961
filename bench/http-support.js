// Shared by the bench/http-*.mjs scripts (not a bench itself: bench/run.mjs runs only .mjs).
// Starts `keyward serve` as a separate process on loopback, so load and server never share a
// process, and gives back its URL and admin token.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

// KEYWARD_BENCH_ROOT: serve from another built checkout (a git worktree of an older commit), so
// one run can compare two versions under the same machine load.
const root = process.env.KEYWARD_BENCH_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');

/** KEYWARD_BENCH_DB=postgres (server on 127.0.0.1:5432, or KEYWARD_BENCH_PG_URL) or sqlite. */
export async function benchDatabase(dir) {
  if ((process.env.KEYWARD_BENCH_DB ?? 'sqlite') !== 'postgres') {
    return { url: join(dir, 'keyward.db'), dialect: 'sqlite', drop: async () => {} };
  }
  const admin = process.env.KEYWARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `keyward_bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  return {
    url: admin.replace(/\/[^/]*$/, `/${name}`),
    dialect: 'postgres',
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

export async function startServer(args = []) {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
  const db = await benchDatabase(dir);
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'keyward.js'), 'serve', '--port', '0', '--db', db.url, '--log-level', 'warn', ...args],
    {
      env: { ...process.env, KEYWARD_DATA_DIR: join(dir, 'data'), KEYWARD_ADMIN_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m && out.includes('Sync:')) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  const token = readFileSync(join(dir, 'data', 'admin-token'), 'utf8').trim();
  const api = async (method, path, body) => {
    const r = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = await r.json();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url,
    token,
    dialect: db.dialect,
    api,
    /** CPU the server process has used so far, ms (Linux /proc, in clock ticks of 10 ms; else null). */
    cpuMs() {
      try {
        const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return (Number(f[11]) + Number(f[12])) * 10;
      } catch {
        return null;
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function machine() {
  return {
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadavg1m: Number(loadavg()[0].toFixed(2)),
  };
}

/** What autocannon measured, in the figures BENCHMARKS.md reports. */
export function summary(r) {
  return {
    requests: r.requests.total,
    reqPerSec: Math.round(r.requests.average),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    durationS: r.duration,
  };
}
