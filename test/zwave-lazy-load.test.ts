import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Loading zwave-js costs about 1.5 s (BENCHMARKS.md, issue 7), so `keyward serve` and the CLI
 * must reach it only through dynamic import(). This walks the static imports from each entry,
 * counting every import that is not `import type` (with verbatimModuleSyntax even
 * `import { type X }` still loads the module).
 */
const ROOT = resolve(import.meta.dirname, '..');
const HEAVY = /^(zwave-js|@zwave-js\/|ws$)/;

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const re = /^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gms;
  for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const stack = [join(ROOT, entry)];
  while (stack.length) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

// The CLI loads main.ts and then the module of the command being run (commands/index.ts).
const COMMAND_MODULES = readdirSync(join(ROOT, 'src/cli/commands'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => `src/cli/commands/${f}`);

describe('what keyward loads at start', () => {
  it.each(['src/server/serve.ts', 'src/cli/main.ts', ...COMMAND_MODULES])(
    '%s reaches no Z-Wave package by a static import',
    (entry) => {
      const { packages } = reachable(entry);
      expect([...packages].filter((p) => HEAVY.test(p))).toEqual([]);
    },
  );

  it('would notice one', () => {
    const { packages } = reachable('src/sync/zwave/registry.ts');
    expect([...packages].filter((p) => HEAVY.test(p))).toEqual(expect.arrayContaining(['zwave-js', 'ws']));
  });
});

/** Every file under a directory whose name passes the filter. */
function walk(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path, keep));
    else if (keep(entry.name)) out.push(path);
  }
  return out;
}

/** zwave-js's mock controller and Keyward's mock locks on it are test support only. */
const TEST_ONLY = /['"](@zwave-js\/testing|zwave-js\/Testing)['"]|zwave-mock\//;

describe('the mock Z-Wave locks stay out of the product', () => {
  it('no source file under src/ imports the mock controller or the mock locks', () => {
    const offenders = walk(join(ROOT, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).filter(
      (file) => TEST_ONLY.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => f.slice(ROOT.length + 1))).toEqual([]);
  });

  it('the production build (dist/, after npm run build) imports neither', () => {
    const built = walk(join(ROOT, 'dist'), (f) => f.endsWith('.js'));
    expect(built.length).toBeGreaterThan(0);
    const offenders = built.filter((file) => TEST_ONLY.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => f.slice(ROOT.length + 1))).toEqual([]);
  });

  it('@zwave-js/testing is a development dependency only', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@zwave-js/testing']).toBeUndefined();
    expect(manifest.devDependencies['@zwave-js/testing']).toBeDefined();
  });

  it('would notice one', () => {
    expect(TEST_ONLY.test("import { MockController } from '@zwave-js/testing';")).toBe(true);
    expect(TEST_ONLY.test("import { createAndStartDriverWithMockPort } from 'zwave-js/Testing';")).toBe(true);
  });
});
