// `keyward check` from a cold start against a bare `node -e 0`, both spawned many times in the
// same run, interleaved so that machine load hits both alike.
// Run: npm run build && node bench/cold-start.mjs
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.COLD_START_RUNS ?? 40);
const commands = {
  'node -e 0': ['-e', '0'],
  'keyward check': [
    join(root, 'bin/keyward.js'),
    'check',
    '29476',
    '--model',
    '264',
    '--slots',
    '1=29475',
    '--json',
  ],
};

function once(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status };
}

const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (const args of Object.values(commands)) once(args); // warm the file cache
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(commands)) {
    const { ms, status } = once(args);
    // check exits 1 here: the lock would refuse 29476 next to 29475.
    if (name === 'keyward check' && status !== 1) throw new Error(`keyward check exited ${status}`);
    times[name].push(ms);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const rows = Object.entries(times).map(([name, xs]) => ({
  command: name,
  runs: xs.length,
  medianMs: Number(median(xs).toFixed(1)),
  minMs: Number(Math.min(...xs).toFixed(1)),
}));
console.table(rows);
const ratio = rows[1].medianMs / rows[0].medianMs;
console.log(
  `cold start: keyward check ${rows[1].medianMs} ms vs node -e 0 ${rows[0].medianMs} ms = ${ratio.toFixed(2)}x (target <= 3x): ${ratio <= 3 ? 'PASS' : 'FAIL'}`,
);
