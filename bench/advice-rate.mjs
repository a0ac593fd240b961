// How often a uniformly random code draws hygiene advice, per keypad and length (issue 2: at most
// 10% for 6 digits on an empty 10-key lock). The unit test asserts the bound; this prints the rates.
// Run: npm run build && node bench/advice-rate.mjs
import { getModel } from '../dist/core/catalog/index.js';
import { factoryState } from '../dist/core/codes/lock-state.js';
import { adviseCode } from '../dist/core/codes/strength.js';
import { seededRandom } from '../dist/core/ports.js';

const n = 100_000;
const rows = [];
for (const [id, length] of [
  ['264', 6],
  ['264', 4],
  ['264', 8],
  ['916', 6],
  ['910', 6],
  ['910', 8],
]) {
  const model = getModel(id);
  const state = factoryState(model);
  const random = seededRandom(42);
  let flagged = 0;
  const byRule = {};
  for (let i = 0; i < n; i++) {
    let code = '';
    for (let j = 0; j < length; j++) code += String(random.int(10));
    const { advice } = adviseCode(code, state, model);
    if (advice.length > 0) flagged++;
    for (const rule of new Set(advice.map((a) => a.rule))) byRule[rule] = (byRule[rule] ?? 0) + 1;
  }
  const pct = (k) => `${((100 * k) / n).toFixed(2)}%`;
  rows.push({
    model: `${id} (${model.keypad})`,
    length,
    flagged: pct(flagged),
    ...Object.fromEntries(Object.entries(byRule).map(([r, k]) => [r, pct(k)])),
  });
}
console.table(rows);
const headline = rows[0];
console.log(
  `advice: ${headline.flagged} of ${n.toLocaleString('en')} random 6-digit codes on an empty 264 draw advice (target <= 10%): ${Number.parseFloat(headline.flagged) <= 10 ? 'PASS' : 'FAIL'}`,
);
