#!/usr/bin/env node
// npm run fuzz -- [--requests 30000] [--seed N] [--dialects sqlite,postgres]
// Runs the HTTP fuzz suite (test/fuzz.test.ts) with more requests than CI, on both dialects by
// default, and prints the seed and counts; a failure names the request index, so the same seed
// replays it. Without --seed a new one is drawn (and printed).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '30000' },
    seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const requests = Number(values.requests);
const seed = Number(values.seed);
if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(seed)) {
  console.error('fuzz: --requests and --seed must be whole numbers');
  process.exit(2);
}
console.log(`fuzz: seed ${seed}, ${requests} requests per dialect (${values.dialects})`);
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz.test.ts', '-t', 'under fuzz'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    KEYWARD_FUZZ_REQUESTS: String(requests),
    KEYWARD_FUZZ_SEED: String(seed),
    KEYWARD_FUZZ_DIALECTS: values.dialects,
    KEYWARD_FUZZ_PG_SHARE: '1',
  },
});
console.log(`fuzz: seed ${seed}, ${requests} requests per dialect: ${r.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(r.status ?? 1);
