// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/, so that a command such as
// `keyward status` resolves a handful of files instead of ~350 (Kysely alone is 263 modules, and
// resolving them one by one cost more than the command's own work). Packages with native code
// or a large surface (better-sqlite3, fastify, zwave-js, ...) stay external and keep loading
// lazily behind the dynamic imports of the commands that need them.
import { readFileSync, rmSync } from 'node:fs';
import { rolldown } from 'rolldown';

/** A package and everything it depends on, as installed. */
function withDependencies(name, into = new Set()) {
  if (into.has(name)) return into;
  into.add(name);
  const manifest = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8'));
  for (const dependency of Object.keys(manifest.dependencies ?? {})) withDependencies(dependency, into);
  return into;
}

// pg is pure JavaScript and ~40 modules: inlined, a PostgreSQL `keyward status` saves ~60 ms.
const INLINED = new Set(['kysely', 'commander', ...withDependencies('pg')]);

function isExternal(id) {
  if (id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')) return false;
  const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
  return !INLINED.has(name);
}

/**
 * pg asks whether it runs in a Cloudflare Worker by constructing a fetch Response; on Node that
 * makes Node load its whole fetch implementation (undici), ~25 ms of CPU at every PostgreSQL
 * start. This bundle runs on Node only, so the answer is known: no.
 */
const notCloudflare = {
  name: 'pg-not-cloudflare',
  transform(code, id) {
    if (!/[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/.test(id)) return null;
    const probe = 'function isCloudflareRuntime() {';
    if (!code.includes(probe)) throw new Error(`pg/lib/stream.js changed: no "${probe}" to answer`);
    return code.replace(probe, `${probe}\n  return false;`);
  },
};

const bundle = await rolldown({
  input: 'dist/cli/main.js',
  platform: 'node',
  external: isExternal,
  plugins: [notCloudflare],
  logLevel: 'warn',
});
// dist/bundle sits as deep as dist/cli and dist/server, so import.meta.url paths such as the web
// UI's '../../web/dist' resolve the same from the bundle.
// Chunk names carry a hash: clear out the previous build's chunks.
rmSync('dist/bundle', { recursive: true, force: true });
await bundle.write({
  dir: 'dist/bundle',
  format: 'esm',
  entryFileNames: 'keyward.js',
  chunkFileNames: '[name]-[hash].js',
});
await bundle.close();
