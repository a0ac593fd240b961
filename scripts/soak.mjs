#!/usr/bin/env node
// npm run soak -- [--trials 50] [--seed N] [--dialects sqlite,postgres]
// The crash suite (test/soak.test.ts) with more trials than CI: `keyward serve` is killed with
// SIGKILL at random moments of creation, revocation and reconciliation, restarted and checked.
// It runs the built CLI, so it builds first. Prints the seed; the same seed replays the same
// kill moments and requests (the machine's timing still varies).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '50' },
    seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    'no-build': { type: 'boolean', default: false },
  },
});
const trials = Number(values.trials);
const seed = Number(values.seed);
if (!Number.isInteger(trials) || trials < 1 || !Number.isInteger(seed)) {
  console.error('soak: --trials and --seed must be whole numbers');
  process.exit(2);
}
if (!values['no-build']) {
  const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
console.log(`soak: seed ${seed}, ${trials} kills per dialect (${values.dialects})`);
const r = spawnSync('npx', ['vitest', 'run', 'test/soak.test.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    KEYWARD_SOAK_TRIALS: String(trials),
    KEYWARD_SOAK_SEED: String(seed),
    KEYWARD_SOAK_DIALECTS: values.dialects,
  },
});
console.log(`soak: seed ${seed}, ${trials} kills per dialect: ${r.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(r.status ?? 1);
