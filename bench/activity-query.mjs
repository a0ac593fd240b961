// The activity page's query with a million events stored: 1,000,000 events over a year on 500
// locks and 10,000 codes (90% codes used), then 200 reads of each page the UI asks for (the
// newest page; by lock; by code; by kind; by lock and kind; the next page by cursor; a date
// window), 50 events each, with random parameters. Prints each query's p50/p99 in ms.
// Runs on SQLite, and on PostgreSQL when reachable.
// Run: npm run build && node bench/activity-query.mjs [events] [sqlite|postgres|both]
import { sql } from 'kysely';
import { ACTIVITY_TYPES } from '../dist/core/activity/kinds.js';
import { seededRandom } from '../dist/core/ports.js';
import { listActivity, recordActivity } from '../dist/store/activity.js';
import { systemClock } from '../dist/sync/clock.js';
import { benchStore, pct, perDialect } from './sync-seed.mjs';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const WHICH = process.argv[3] ?? 'both';
const LOCKS = 500;
const CODES = 10_000;
const YEAR = 365 * 86_400_000;
const RUNS = 200;

async function run(dialect) {
  const { store, dispose } = await benchStore(dialect, systemClock, 'activity-query');
  const random = seededRandom(9);
  const end = Date.now();
  const start = end - YEAR;
  const lockIds = Array.from({ length: LOCKS }, (_, i) => `lock_b${i}`);
  const credIds = Array.from({ length: CODES }, (_, i) => `cred_b${i}`);
  const kinds = ACTIVITY_TYPES.filter((t) => t !== 'code.used' && t !== 'guest.arrived');
  const t = performance.now();
  const CHUNK = 10_000;
  for (let done = 0; done < EVENTS; done += CHUNK) {
    const n = Math.min(CHUNK, EVENTS - done);
    const rows = Array.from({ length: n }, (_, i) => {
      const k = done + i;
      const c = random.int(CODES);
      const used = random.int(10) < 9;
      return {
        at: start + Math.floor((k / EVENTS) * YEAR),
        type: used ? 'code.used' : kinds[random.int(kinds.length)],
        lockId: lockIds[c % LOCKS],
        credentialId: used ? credIds[c] : null,
        personId: null,
        slot: 1 + (c % 30),
        detail: {},
      };
    });
    await recordActivity(store.ctx, rows);
  }
  const loadSeconds = (performance.now() - t) / 1000;
  // Fresh statistics, as autovacuum would have gathered them on a database that grew over a year.
  if (dialect === 'postgres') await sql`analyze activity`.execute(store.ctx.db);
  const queries = {
    newest: () => ({}),
    byLock: () => ({ lockId: lockIds[random.int(LOCKS)] }),
    byCode: () => ({ credentialId: credIds[random.int(CODES)] }),
    byKind: () => ({ type: kinds[random.int(kinds.length)] }),
    byLockAndKind: () => ({ lockId: lockIds[random.int(LOCKS)], type: 'code.used' }),
    dateWindow: () => {
      const from = start + random.int(YEAR - 86_400_000);
      return { since: from, until: from + 86_400_000 };
    },
  };
  const figures = {};
  for (const [name, make] of Object.entries(queries)) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const f = { ...make(), limit: 50 };
      const q0 = performance.now();
      await listActivity(store.ctx, f);
      times.push(performance.now() - q0);
    }
    times.sort((a, b) => a - b);
    figures[name] = { p50: +pct(times, 50).toFixed(2), p99: +pct(times, 99).toFixed(2) };
  }
  // The next page after a first page, by lock (the infinite scroll).
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const lockId = lockIds[random.int(LOCKS)];
    const first = await listActivity(store.ctx, { lockId, limit: 50 });
    const q0 = performance.now();
    await listActivity(store.ctx, { lockId, limit: 50, before: first.next });
    times.push(performance.now() - q0);
  }
  times.sort((a, b) => a - b);
  figures.nextPageByLock = { p50: +pct(times, 50).toFixed(2), p99: +pct(times, 99).toFixed(2) };
  await dispose();
  return { dialect, events: EVENTS, loadSeconds: +loadSeconds.toFixed(1), queryMs: figures };
}

await perDialect(WHICH, run);
