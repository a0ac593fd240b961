// Runs every benchmark in this folder (except itself), one after the other, each in its own
// process so that one bench's heap and JIT state do not colour the next.
// Run: npm run bench   (builds first)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => join(here, f))
  .filter((f) => f !== self)
  .sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench.slice(here.length + 1)}`);
  // Some benches measure memory and need the collector exposed.
  const r = spawnSync(process.execPath, ['--expose-gc', bench], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`!! ${bench} exited ${r.status}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
