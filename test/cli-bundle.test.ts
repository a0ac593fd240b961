import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle');
const STATIC_IMPORT = /^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/gm;

/** Every module specifier the entry loads before any command runs: its static import closure. */
function staticClosure(file: string, seen = new Set<string>(), bare = new Set<string>()): Set<string> {
  if (seen.has(file)) return bare;
  seen.add(file);
  for (const [, spec = ''] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
    if (spec.startsWith('.')) staticClosure(join(dirname(file), spec), seen, bare);
    else bare.add(spec);
  }
  return bare;
}

describe('the bundled CLI that bin/keyward.js runs', () => {
  it('exists, built by npm run build (npm ci runs it)', () => {
    expect(existsSync(join(BUNDLE, 'keyward.js'))).toBe(true);
  });

  it('loads no installed package before a command asks for one, so every command starts fast', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const packages = [...staticClosure(join(BUNDLE, 'keyward.js'))].filter((s) => !builtins.has(s));
    // Kysely, commander and pg are inlined; better-sqlite3, fastify, zwave-js and the rest load
    // behind the dynamic import of the command that needs them.
    expect(packages).toEqual([]);
  });
});
