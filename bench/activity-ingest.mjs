// Activity while the reconciler works: 200 simulated locks x 25 codes converge from empty (their
// code.set events are recorded too), and meanwhile lock events (codes used, batteries) arrive
// through sync's events port at a target rate (default 10,000 a second, for 5 s). Measures the
// rate stored, the recorder's backlog and the time from an event to its commit (p50/p99), and the
// reconciler's ops confirmed in the same window. Runs on SQLite, and on PostgreSQL when reachable.
// Run: npm run build && node bench/activity-ingest.mjs [rate] [seconds] [sqlite|postgres|both]
import { ActivityRecorder } from '../dist/activity/recorder.js';
import { getModel } from '../dist/core/catalog/index.js';
import { factoryState } from '../dist/core/codes/lock-state.js';
import { systemClock } from '../dist/sync/clock.js';
import { Reconciler } from '../dist/sync/reconciler.js';
import { SimLock } from '../dist/sync/sim-driver.js';
import { benchStore, pct, perDialect, seedLocks } from './sync-seed.mjs';

const RATE = Number(process.argv[2] ?? 10_000);
const SECONDS = Number(process.argv[3] ?? 5);
const WHICH = process.argv[4] ?? 'both';
const LOCKS = 200;
const PER_LOCK = 25;
const MODEL = '914';

async function run(dialect) {
  const { store, dispose } = await benchStore(dialect, systemClock, 'activity-ingest');
  const now = Date.now();
  const locks = await seedLocks(store, {
    locks: LOCKS,
    perLock: PER_LOCK,
    model: MODEL,
    seed: 5,
    now,
    schedule: (i) => ({
      kind: i % 2 ? 'guest' : 'permanent',
      startsAt: now - 60_000,
      endsAt: now + 86_400_000,
    }),
  });
  const sims = new Map(
    locks.map((l) => [
      l.id,
      new SimLock({ model: MODEL, clock: systemClock, initial: factoryState(getModel(MODEL)) }),
    ]),
  );
  const committed = [];
  const offeredAt = [];
  let maxBacklog = 0;
  const recorder = new ActivityRecorder({
    store,
    onRecorded: (r) => {
      const t = performance.now();
      for (const e of r.events)
        if (e.type === 'code.used') committed.push(t - offeredAt[Number(e.at) - BASE]);
    },
    onError: (e) => console.error('record failed', e),
  });
  const BASE = 1_700_000_000_000;
  let confirmed = 0;
  const reconciler = new Reconciler({
    store,
    clock: systemClock,
    driverFor: (l) => sims.get(l.id),
    concurrency: 16,
    onEvent: recorder.listener,
    observer: { confirmed: () => confirmed++ },
  });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await reconciler.start();
  // Lock events at RATE a second, in ticks of 10 ms, each with a distinct "at" that names its offer time.
  const total = RATE * SECONDS;
  let offered = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.round(((performance.now() - t0) / 1000) * RATE));
      const events = [];
      for (; offered < due; offered++) {
        const l = locks[offered % LOCKS];
        offeredAt[offered] = performance.now();
        events.push(
          offered % 50 === 0
            ? {
                type: 'lock-event',
                lockId: l.id,
                event: { type: 'battery', voltsPerCell: 1.2, level: 'low', at: BASE + offered },
              }
            : {
                type: 'lock-event',
                lockId: l.id,
                event: { type: 'code-used', slot: 1 + (offered % PER_LOCK), at: BASE + offered },
                credentialId: l.creds[offered % PER_LOCK].id,
                personId: null,
              },
        );
      }
      reconciler.events.publish(events);
      maxBacklog = Math.max(maxBacklog, recorder.backlog);
      if (offered >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  await recorder.flush();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const confirmedInWindow = confirmed;
  reconciler.stop();
  await reconciler.whenIdle();
  await recorder.close();
  const rows = await store.ctx.db
    .selectFrom('activity')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  committed.sort((a, b) => a - b);
  const result = {
    dialect,
    target: `${RATE} events/s for ${SECONDS} s`,
    offered: total,
    storedRows: Number(rows.n),
    storedPerSecond: Math.round(total / wall),
    wallSeconds: +wall.toFixed(2),
    eventToCommitMs: {
      p50: +pct(committed, 50).toFixed(1),
      p99: +pct(committed, 99).toFixed(1),
      max: +committed.at(-1).toFixed(1),
    },
    maxBacklog,
    reconcilerOpsConfirmedMeanwhile: confirmedInWindow,
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  };
  await dispose();
  return result;
}

await perDialect(WHICH, run);
