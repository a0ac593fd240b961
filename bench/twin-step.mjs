// Inputs per second through the twin's pure step function, on one core.
// Run: npm run build && node bench/twin-step.mjs
import { getModel } from '../dist/core/catalog/index.js';
import { factoryState } from '../dist/core/codes/lock-state.js';
import { seededRandom } from '../dist/core/ports.js';
import { createTwin, step } from '../dist/core/twin/index.js';

const random = seededRandom(42);
const results = [];
for (const id of ['264', '910', '955', '275']) {
  const model = getModel(id);
  const lock = factoryState(model);
  for (let s = 1; s <= 30; s++) lock.slots[String(s)] = String(1000 + s * 271).padEnd(6, String(s % 10));
  // A realistic mix: unlock attempts, Program presses, codes saved, waits that time modes out.
  const keys = [...'0123456789'.split(''), model.confirmKey, 'lock', 'program'];
  const inputs = Array.from({ length: 1_000_000 }, () => {
    const r = random.int(100);
    if (r < 3) return { wait: random.int(8000) };
    return { press: keys[random.int(keys.length)] };
  });
  let state = createTwin(lock);
  for (let i = 0; i < 200_000; i++) state = step(state, inputs[i], model).state; // warm-up
  const runs = [];
  for (let round = 0; round < 5; round++) {
    state = createTwin(lock);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inputs.length; i++) state = step(state, inputs[i], model).state;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    runs.push(inputs.length / seconds);
  }
  runs.sort((a, b) => a - b);
  results.push({
    model: id,
    inputsPerSecondMedian: Math.round(runs[2]),
    min: Math.round(runs[0]),
    max: Math.round(runs[4]),
  });
}
console.table(results);
const worst = Math.min(...results.map((r) => r.inputsPerSecondMedian));
console.log(
  `twin step: worst model median ${worst.toLocaleString('en')} inputs/s (target >= 1,000,000): ${worst >= 1e6 ? 'PASS' : 'FAIL'}`,
);
