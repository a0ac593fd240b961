// 1,000 simulated locks x 30 codes from empty: operations the reconciler sends against the
// planner's minimum (must be 1.00), and in the same run a naive manager that clears and rewrites
// every slot, for the ratio. Simulated locks answer through the twin's keypresses; each radio
// frame costs 1 s of simulated time (a FLiRS wake-up beam). SQLite file store in a temp dir.
// Run: npm run build && node bench/sync-converge.mjs [locks]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getModel } from '../dist/core/catalog/index.js';
import { prefixKey } from '../dist/core/codes/keypad.js';
import { factoryState } from '../dist/core/codes/lock-state.js';
import { planLock } from '../dist/core/plan/index.js';
import { seededRandom } from '../dist/core/ports.js';
import { openStore } from '../dist/store/index.js';
import { SimClock } from '../dist/sync/clock.js';
import { Reconciler } from '../dist/sync/reconciler.js';
import { SimLock } from '../dist/sync/sim-driver.js';
import { seedLocks } from './sync-seed.mjs';

const LOCKS = Number(process.argv[2] ?? 1000);
const SLOTS = 30;
const LATENCY_MS = 1000;
const MODEL = '914';
const model = getModel(MODEL);

const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-converge-'));
const clock = new SimClock(Date.UTC(2026, 10, 27));
const store = await openStore({
  db: join(dir, 'keyward.db'),
  secretKey: Buffer.alloc(32, 3),
  dataDir: dir,
  env: {},
  now: () => clock.now(),
  actor: 'bench',
});

let t = performance.now();
const locks = await seedLocks(store, {
  locks: LOCKS,
  perLock: SLOTS,
  model: MODEL,
  seed: 1,
  now: clock.now(),
});
const seedMs = performance.now() - t;

// The planner's minimum, computed on its own from each lock's current (empty) and wanted codes.
let minimum = 0;
for (const l of locks) {
  const desired = { slots: Object.fromEntries(l.codes.map((c, i) => [String(i + 1), c])) };
  minimum += planLock(factoryState(model), desired, model).ops.length;
}

const sims = new Map();
const random = seededRandom(5);
const reconciler = new Reconciler({
  store,
  clock,
  concurrency: 64,
  driverFor: (lock) => {
    const sim = new SimLock({ model: lock.model, clock, random, latencyMs: LATENCY_MS });
    sims.set(lock.id, sim);
    return sim;
  },
});
t = performance.now();
const simStart = clock.now();
await reconciler.start();
await clock.runUntil(() => reconciler.idle() && clock.nextAt() === undefined);
const wallMs = performance.now() - t;
const simMs = clock.now() - simStart;

let converged = 0;
let frames = 0;
let readFrames = 0;
for (const l of locks) {
  const sim = sims.get(l.id);
  frames += sim.stats.frames;
  // A slot read is a Get and a Report; first contact reads all 30 slots once.
  readFrames += sim.stats.slotReads * 2;
  const held = Object.entries(sim.lock.slots)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, c]) => c);
  if (JSON.stringify(held) === JSON.stringify(l.codes)) converged++;
}
const sent = reconciler.stats.opsSent;

// The naive manager on fresh locks: clear all 30 slots, then write every code.
let naiveOps = 0;
let naiveFrames = 0;
const naiveClock = new SimClock(0);
for (const l of locks) {
  const sim = new SimLock({ model: MODEL, clock: naiveClock, latencyMs: LATENCY_MS });
  const work = (async () => {
    for (let s = 1; s <= SLOTS; s++) {
      await sim.clearSlot(s);
      naiveOps++;
    }
    for (const [i, code] of l.codes.entries()) {
      await sim.setSlot(i + 1, code);
      naiveOps++;
    }
  })();
  let done = false;
  void work.then(() => {
    done = true;
  });
  await naiveClock.runUntil(() => done);
  naiveFrames += sim.stats.frames;
}

const prefixOk = locks.every((l) => new Set(l.codes.map((c) => prefixKey(c, model))).size === l.codes.length);
console.log(
  JSON.stringify(
    {
      locks: LOCKS,
      slotsPerLock: SLOTS,
      model: MODEL,
      converged,
      opsSent: sent,
      plannerMinimum: minimum,
      ratio: Number((sent / minimum).toFixed(2)),
      naiveOps,
      naiveRatio: Number((naiveOps / minimum).toFixed(2)),
      writeFrames: frames - readFrames,
      naiveWriteFrames: naiveFrames,
      firstContactReadFrames: readFrames,
      writeRadioSecondsPerLock: Number(((frames - readFrames) / LOCKS).toFixed(1)),
      naiveWriteRadioSecondsPerLock: Number((naiveFrames / LOCKS).toFixed(1)),
      simulatedMinutes: Number((simMs / 60_000).toFixed(1)),
      wallSeconds: Number((wallMs / 1000).toFixed(1)),
      seedSeconds: Number((seedMs / 1000).toFixed(1)),
      distinctPrefixes: prefixOk,
    },
    null,
    2,
  ),
);
reconciler.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
if (converged !== LOCKS || sent !== minimum) process.exitCode = 1;
