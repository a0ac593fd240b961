// Runs a Keyward CLI entry like bin/keyward.js and, at exit, writes the process's own CPU time
// (start-up included) to stderr as `cpu-ms=N`: on a shared 2-core machine wall time mostly
// measures the neighbours. Usage: node bench/cli-cpu.mjs <module exporting main> <args...>
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
const { main } = await import(pathToFileURL(entry).href);
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncpu-ms=${((user + system) / 1000).toFixed(1)}\n`);
});
process.exitCode = await main(args);
