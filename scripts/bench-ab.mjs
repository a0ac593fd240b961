// Runs benchmarks on an earlier commit and on this checkout in the same run, alternating, so both
// see the same machine load: the way a redesign shows it made nothing slower.
// Run: npm run build && node scripts/bench-ab.mjs <commit> <rounds> <bench> [args...] [-- <bench> [args...]]...
//   e.g. node scripts/bench-ab.mjs 39bd4f4 3 sync-converge.mjs 300 -- sync-guest-expiry.mjs 10000 sqlite
// The earlier commit is checked out in a worktree beside the temp directory (kept between runs,
// so a second comparison does not rebuild it), sharing this checkout's node_modules. Each run's
// whole output is kept in <tmp>/keyward-ab/out/; the last lines of each are printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [ref, roundsText, ...rest] = process.argv.slice(2);
if (!ref || !roundsText || rest.length === 0) {
  console.error(
    'usage: node scripts/bench-ab.mjs <commit> <rounds> <bench> [args...] [-- <bench> [args...]]...',
  );
  process.exit(2);
}
const rounds = Number(roundsText);
const benches = [];
for (const word of rest) {
  if (word === '--' || benches.length === 0) benches.push([]);
  if (word !== '--') benches.at(-1).push(word);
}

const git = (...args) => execFileSync('git', args, { cwd: here, encoding: 'utf8' }).trim();
const sha = git('rev-parse', '--short', ref);
const root = join(tmpdir(), 'keyward-ab');
const old = join(root, sha);
mkdirSync(join(root, 'out'), { recursive: true });
if (!existsSync(old)) {
  git('worktree', 'add', '--detach', old, sha);
  symlinkSync(join(here, 'node_modules'), join(old, 'node_modules'));
}
if (!existsSync(join(old, 'dist', 'bundle'))) {
  console.log(`== building ${sha} in ${old}`);
  execFileSync('npm', ['run', 'build'], { cwd: old, stdio: 'inherit' });
}

const sides = [
  { name: `old ${sha}`, dir: old },
  {
    name: `new ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? '+dirty' : ''}`,
    dir: here,
  },
];
for (const [bench, ...args] of benches) {
  for (let round = 1; round <= rounds; round++) {
    // Alternate which side goes first, so neither always runs on a warmer (or busier) machine.
    const order = round % 2 === 1 ? sides : [...sides].reverse();
    for (const side of order) {
      const started = Date.now();
      const r = spawnSync(process.execPath, ['--expose-gc', join(side.dir, 'bench', bench), ...args], {
        cwd: side.dir,
        encoding: 'utf8',
        env: process.env,
        maxBuffer: 64 * 1024 * 1024,
      });
      const file = join(root, 'out', `${bench}-${side.name.replace(/\W+/g, '_')}-${round}.txt`);
      writeFileSync(file, `${r.stdout}\n${r.stderr}`);
      const tail = `${r.stdout}`.trim().split('\n').slice(-12).join('\n  ');
      console.log(
        `\n== ${bench} ${args.join(' ')} | ${side.name} | round ${round} | exit ${r.status} | ${Date.now() - started} ms wall\n  ${tail}`,
      );
    }
  }
}
