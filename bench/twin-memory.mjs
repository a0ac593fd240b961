// Bytes of heap per twin with 30 codes, over 100,000 twins held at once.
// Run: npm run build && node --expose-gc bench/twin-memory.mjs
import { getModel } from '../dist/core/catalog/index.js';
import { createTwin, step } from '../dist/core/twin/index.js';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const COUNT = 100_000;
const model = getModel('264');
const settle = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

const before = settle();
const twins = new Array(COUNT);
for (let n = 0; n < COUNT; n++) {
  const slots = {};
  // Distinct codes per lock, as a fleet really holds: no string is shared between locks.
  for (let s = 1; s <= 30; s++)
    slots[String(s)] = String((n * 31 + s) % 10000).padStart(4, '0') + String(n % 10000).padStart(4, '0');
  let twin = createTwin({
    model: '264',
    programmingCode: String((n % 9000) + 1000),
    slots,
    deleted: [],
    voltsPerCell: 1.5,
    programmingSwitch: true,
  });
  // Each twin has lived a little: a wrong code, a Program press and a wait.
  for (const input of [
    { press: '9' },
    { press: '9' },
    { press: 'kwikset' },
    { press: 'program' },
    { wait: 6000 },
  ]) {
    twin = step(twin, input, model).state;
  }
  twins[n] = twin;
}
const after = settle();
const perTwin = (after - before) / COUNT;
const total = (after - before) / 1024 / 1024;
console.log(
  `twins: ${COUNT.toLocaleString('en')}, heap ${total.toFixed(1)} MiB, ${perTwin.toFixed(0)} bytes per twin`,
);
console.log(`target <= 2048 bytes per twin (100,000 in 200 MB): ${perTwin <= 2048 ? 'PASS' : 'FAIL'}`);
if (twins.length !== COUNT) throw new Error('unreachable');
