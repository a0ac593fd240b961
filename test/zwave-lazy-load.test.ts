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
