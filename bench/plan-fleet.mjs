// Desired state and plans for 10,000 locks x 30 slots (issue 5: under 2 s).
// Run: npm run build && node bench/plan-fleet.mjs
import { desiredSlots } from '../dist/core/access/index.js';
import { getModel } from '../dist/core/catalog/index.js';
import { prefixKey } from '../dist/core/codes/keypad.js';
import { factoryState } from '../dist/core/codes/lock-state.js';
import { planLock } from '../dist/core/plan/index.js';
import { seededRandom } from '../dist/core/ports.js';

const LOCKS = 10_000;
const SLOTS = 30;
const random = seededRandom(7);
const models = ['264', '910', '914', '916', '955'].map(getModel);
const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 27, 12);

// Each lock: 30 assignments, a third of them guests (some already gone), and a lock that
// currently holds yesterday's codes, so plans have deletes, replacements and adds.
const fleet = [];
for (let n = 0; n < LOCKS; n++) {
  const model = models[n % models.length];
  const codes = new Map();
  const used = new Set();
  const fresh = () => {
    for (;;) {
      const c = String(100000 + random.int(900000));
      const head = prefixKey(c, model);
      if (!used.has(head)) {
        used.add(head);
        return c;
      }
    }
  };
  const assignments = [];
  const current = factoryState(model);
  current.programmingCode = null;
  for (let slot = 1; slot <= SLOTS; slot++) {
    const id = `c${n}-${slot}`;
    codes.set(id, fresh());
    const guest = slot % 3 === 0;
    const ended = guest && random.int(2) === 0;
    assignments.push({
      credentialId: id,
      slot,
      schedule: {
        startsAt: guest ? now - 3 * DAY : null,
        endsAt: guest ? now + (ended ? -DAY : DAY) : null,
        windows: [],
        useLimit: null,
        uses: 0,
        revokedAt: null,
      },
    });
    // What the lock holds: most slots already right, some with an old code.
    if (random.int(10) < 7) current.slots[String(slot)] = codes.get(id);
    else if (random.int(2) === 0) current.slots[String(slot)] = fresh();
  }
  fleet.push({ model, assignments, codes, current });
}

function runOnce() {
  let ops = 0;
  let resets = 0;
  const t0 = process.hrtime.bigint();
  for (const lock of fleet) {
    const want = desiredSlots({ capacity: SLOTS, tzOffsetMinutes: 0 }, lock.assignments, now);
    const slots = {};
    for (const { slot, credentialId } of want.slots) slots[String(slot)] = lock.codes.get(credentialId);
    const plan = planLock(lock.current, { slots }, lock.model);
    ops += plan.ops.length;
    if (plan.requiresFactoryReset) resets++;
  }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, ops, resets };
}

runOnce(); // warm-up
const runs = [runOnce(), runOnce(), runOnce()].sort((a, b) => a.ms - b.ms);
const median = runs[1];
console.log(
  `desired state + plan for ${LOCKS.toLocaleString('en')} locks x ${SLOTS} slots: median ${median.ms.toFixed(0)} ms ` +
    `(runs ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms), ${median.ops.toLocaleString('en')} ops, ${median.resets} locks needing a reset`,
);
console.log(`target < 2000 ms: ${median.ms < 2000 ? 'PASS' : 'FAIL'}`);
