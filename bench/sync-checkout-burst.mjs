// A hotel checkout: many guests whose stays end at the same instant (11:00 sharp) across many
// simulated locks, each lock also holding codes of guests who stay on. How late each departing
// code comes off its lock, counted from the real moment the clock reaches 11:00 (every lock is
// woken then) to the removal confirmed in the store, so queueing behind the rest of the burst is
// included. The simulated locks answer at once (no radio time; a real Z-Wave lock adds about 2 s
// of air time per removal, which software cannot remove). SQLite (file, WAL) and PostgreSQL
// (its own database, dropped afterwards).
// Run: npm run build && node bench/sync-checkout-burst.mjs [departing=10000] [locks=1000] [sqlite|postgres|both]
import { SimClock } from '../dist/sync/clock.js';
import { Reconciler } from '../dist/sync/reconciler.js';
import { benchStore, markRead, pct, perDialect, seedLocks, simulatedLocks } from './sync-seed.mjs';

const DEPARTING = Number(process.argv[2] ?? 10_000);
const LOCKS = Number(process.argv[3] ?? 1_000);
const WHICH = process.argv[4] ?? 'both';
const PER_LOCK = 20;
const MODEL = '914';
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 27);
const CHECKOUT = T0 + 11 * HOUR;

async function run(dialect) {
  const perLockLeaving = Math.ceil(DEPARTING / LOCKS);
  if (perLockLeaving > PER_LOCK) throw new Error(`at most ${PER_LOCK * LOCKS} departures on ${LOCKS} locks`);
  const clock = new SimClock(T0);
  const { store, dispose } = await benchStore(dialect, clock, 'burst');
  let left = DEPARTING;
  const locks = await seedLocks(store, {
    locks: LOCKS,
    perLock: PER_LOCK,
    model: MODEL,
    seed: 5,
    now: T0,
    status: 'set',
    // The first slots of each lock check out at 11:00 until DEPARTING are placed; the rest stay.
    schedule: (_l, i) => {
      const leaves = i < perLockLeaving && left > 0;
      if (leaves) left--;
      return {
        kind: 'guest',
        startsAt: T0 - 2 * 24 * HOUR,
        endsAt: leaves ? CHECKOUT : CHECKOUT + 24 * HOUR,
      };
    },
  });
  const { sims, guests } = await simulatedLocks(locks, MODEL, clock);
  let burstStart = 0;
  const late = [];
  const reconciler = new Reconciler({
    store,
    clock,
    driverFor: (lock) => sims.get(lock.id),
    observer: {
      confirmed: (id, op) => {
        if (op.op !== 'delete') return;
        const guest = guests.get(id)[op.slot - 1];
        late.push(clock.now() - guest.endsAt + (performance.now() - burstStart));
      },
    },
  });
  await markRead(store, locks, T0);
  await reconciler.start();
  await reconciler.whenIdle();
  if (clock.nextAt() !== CHECKOUT) throw new Error(`next wake ${clock.nextAt()}, expected the checkout`);
  const cpu = process.cpuUsage();
  burstStart = performance.now();
  clock.fireNext();
  await reconciler.whenIdle();
  const burstMs = performance.now() - burstStart;
  const used = process.cpuUsage(cpu);

  let onLocks = 0;
  for (const s of sims.values()) onLocks += Object.keys(s.lock.slots).length;
  late.sort((a, b) => a - b);
  const result = {
    dialect,
    departing: DEPARTING,
    locks: LOCKS,
    codesPerLock: PER_LOCK,
    removedConfirmed: late.length,
    codesLeftOnLocks: onLocks - (PER_LOCK * LOCKS - DEPARTING),
    latenessMs: {
      p50: Number(pct(late, 50).toFixed(1)),
      p99: Number(pct(late, 99).toFixed(1)),
      max: Number(late[late.length - 1].toFixed(1)),
    },
    burstSeconds: Number((burstMs / 1000).toFixed(2)),
    // CPU time of this process during the burst: on a shared machine the wall time also counts
    // the time other processes held the cores.
    burstCpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
    passes: reconciler.stats.passes,
  };
  reconciler.stop();
  await dispose();
  return result;
}

const results = await perDialect(WHICH, run);
process.exitCode = results.every(
  (r) =>
    r.skipped || (r.latenessMs.p99 <= 1000 && r.codesLeftOnLocks === 0 && r.removedConfirmed === r.departing),
)
  ? 0
  : 1;
