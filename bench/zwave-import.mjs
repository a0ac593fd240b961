// What loading zwave-js costs a process: why `keyward serve` and the CLI load it only when a
// Z-Wave lock, route or command is used (src/sync/zwave/hub.ts, src/cli/commands/zwave.ts), and
// why the checksum CRC is written out instead of imported from @zwave-js/core.
// Usage: node bench/zwave-import.mjs [runs]   (from the repository root)
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

const runs = Number(process.argv[2] ?? 9);
const cases = {
  'node (nothing loaded)': '0',
  '@zwave-js/core': "await import('@zwave-js/core')",
  'ws (the zwave-server client)': "await import('ws')",
  'zwave-js': "await import('zwave-js')",
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const results = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs; i++) {
  // Interleaved, so a burst of load hits every case alike.
  for (const [name, code] of Object.entries(cases)) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${name} failed`);
    results[name].push(performance.now() - t0);
  }
}
const base = median(results['node (nothing loaded)']);
for (const [name, times] of Object.entries(results)) {
  const m = median(times);
  console.log(
    `${name.padEnd(32)} median ${m.toFixed(0).padStart(5)} ms  (+${(m - base).toFixed(0)} ms over node)`,
  );
}
