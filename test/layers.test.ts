/**
 * The layers, checked on the source itself (parsed with the TypeScript compiler, not matched with
 * regular expressions): every database query lives in src/store; src/server never imports
 * src/cli; src/core does no I/O; no value import cycle; no source file under src/ passes 400
 * lines. docs/architecture.md explains the layers. The checker is a pure function of an
 * in-memory file set, so the self-tests at the bottom can plant each violation and prove the
 * rule sees it.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type Rule =
  | 'query-outside-store'
  | 'server-imports-cli'
  | 'layer-order'
  | 'core-io'
  | 'value-cycle'
  | 'file-length';

interface Violation {
  rule: Rule;
  files: string[];
  message: string;
}

interface SourceText {
  /** Repository-relative, with forward slashes: `src/store/index.ts`. */
  path: string;
  text: string;
}

const MAX_LINES = 400;
/** Data, not logic: one profile per model with the source of every fact. */
const LENGTH_EXCEPTIONS = new Set(['src/core/catalog/models.ts']);

/** Kysely's query builders: a call to one of these builds a query. */
const QUERY_BUILDERS = new Set([
  'selectFrom',
  'selectNoFrom',
  'insertInto',
  'replaceInto',
  'updateTable',
  'deleteFrom',
  'mergeInto',
]);
/** Raw calls on a pg client or pool (`query`) and on a better-sqlite3 database. */
const RAW_CALLS = new Set(['query', 'prepare', 'pragma']);
const SQL_WORD =
  /^\s*(select|insert|update|delete|create|drop|alter|pragma|begin|commit|rollback|with|vacuum)\b/i;
const DATABASE_PACKAGES = ['kysely', 'better-sqlite3', 'pg'];

/** Packages that reach the world (databases, HTTP, radios, sockets, processes, logs, files). */
const IO_PACKAGES = [
  'kysely',
  'better-sqlite3',
  'pg',
  'fastify',
  '@fastify/',
  'zwave-js',
  '@zwave-js/',
  'ws',
  'commander',
  'pino',
  'undici',
  'node-fetch',
  'mqtt',
  'playwright-core',
  'vite',
  'react-dom',
];
/** Packages src/core may use: none does I/O. Add one here only after checking that. */
const PURE_PACKAGES = new Set<string>([]);
/** Globals that reach the clock, randomness, the process or the network. */
const IO_GLOBALS = new Set([
  'process',
  'fetch',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'require',
  'globalThis',
  'XMLHttpRequest',
  'WebSocket',
  'performance',
  'crypto',
]);

/** Lower layers never import higher ones (src/core has its own, stricter rule: core-io). */
/**
 * Each entry is one layer; folders in the same entry are siblings (the services built on sync:
 * activity, notifications, calendars, MQTT) and may use one another, cycles aside.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['src/store'],
  ['src/sync'],
  ['src/activity', 'src/notify', 'src/calendar', 'src/mqtt'],
  ['src/server'],
  ['src/cli'],
];
const layerOf = (path: string) => LAYERS.findIndex((l) => l.some((dir) => path.startsWith(`${dir}/`)));
const layerNames = LAYERS.map((l) => l.join('|')).join(' < ');

const isTest = (path: string) => /\.(test|spec)\.[cm]?tsx?$/.test(path);
const under = (path: string, dir: string) => path.startsWith(`${dir}/`);

interface ImportRef {
  specifier: string;
  /** Resolved to a file of the set, when relative and found. */
  target: string | null;
  /** `import type`, `export type`, or every named binding marked `type`. */
  typeOnly: boolean;
  /** `import()`: evaluated later, so it makes no load-time cycle. */
  dynamic: boolean;
  line: number;
}

interface Parsed {
  path: string;
  source: ts.SourceFile;
  imports: ImportRef[];
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

function resolve(from: string, specifier: string, paths: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = base.replace(/\.(m|c)?jsx?$/, '');
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${stem}/index.ts`,
    `${stem}/index.tsx`,
  ];
  return candidates.find((c) => paths.has(c)) ?? null;
}

function parse(file: SourceText, paths: ReadonlySet<string>): Parsed {
  const kind = file.path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, kind);
  const imports: ImportRef[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean, dynamic: boolean) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    imports.push({
      specifier: spec.text,
      target: resolve(file.path, spec.text, paths),
      typeOnly,
      dynamic,
      line: lineOf(source, node),
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allNamedTypes =
        !!clause &&
        !clause.name &&
        !!bindings &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, !!clause?.isTypeOnly || allNamedTypes, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      const allNamedTypes =
        !!clause &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, node.isTypeOnly || allNamedTypes, false);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], false, true);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require')
        add(node, node.arguments[0], false, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { path: file.path, source, imports };
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(packageOf(specifier));
const isIoPackage = (specifier: string) =>
  IO_PACKAGES.some((p) => (p.endsWith('/') ? specifier.startsWith(p) : packageOf(specifier) === p));

/** Query builder calls, `sql` tags and raw driver calls, with where they are. */
function queriesIn(p: Parsed): Array<{ line: number; what: string }> {
  const found: Array<{ line: number; what: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const target = node.expression.expression;
      if (QUERY_BUILDERS.has(name)) found.push({ line: lineOf(p.source, node), what: `.${name}()` });
      else if (RAW_CALLS.has(name)) found.push({ line: lineOf(p.source, node), what: `raw .${name}()` });
      else if (name === 'exec') {
        const arg = node.arguments[0];
        if (arg && (ts.isStringLiteralLike(arg) || ts.isTemplateExpression(arg))) {
          const text = ts.isTemplateExpression(arg) ? arg.head.text : arg.text;
          if (SQL_WORD.test(text)) found.push({ line: lineOf(p.source, node), what: 'raw .exec(SQL)' });
        }
      } else if (ts.isIdentifier(target) && target.text === 'sql')
        found.push({ line: lineOf(p.source, node), what: `sql.${name}()` });
    } else if (ts.isTaggedTemplateExpression(node)) {
      const tag = node.tag;
      const isSql =
        (ts.isIdentifier(tag) && tag.text === 'sql') ||
        (ts.isPropertyAccessExpression(tag) &&
          ts.isIdentifier(tag.expression) &&
          tag.expression.text === 'sql');
      if (isSql) found.push({ line: lineOf(p.source, node), what: 'sql`…`' });
    }
    ts.forEachChild(node, visit);
  };
  visit(p.source);
  return found;
}

/** Every name the file declares itself (imports, variables, parameters, functions, classes). */
function declaredNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const named =
      ts.isImportClause(node) ||
      ts.isImportSpecifier(node) ||
      ts.isNamespaceImport(node) ||
      ts.isVariableDeclaration(node) ||
      ts.isParameter(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isBindingElement(node);
    if (named && node.name && ts.isIdentifier(node.name)) names.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** Uses of the clock, randomness, the process or the network as globals. */
function ioGlobalsIn(p: Parsed): Array<{ line: number; what: string }> {
  const found: Array<{ line: number; what: string }> = [];
  const local = declaredNames(p.source);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && IO_GLOBALS.has(node.text) && !local.has(node.text)) {
      const parent = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node) ||
        (ts.isMethodSignature(parent) && parent.name === node) ||
        (ts.isVariableDeclaration(parent) && parent.name === node) ||
        (ts.isParameter(parent) && parent.name === node) ||
        (ts.isFunctionDeclaration(parent) && parent.name === node) ||
        ts.isImportSpecifier(parent) ||
        ts.isTypeReferenceNode(parent) ||
        ts.isQualifiedName(parent);
      if (!isName) found.push({ line: lineOf(p.source, node), what: node.text });
    } else if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ((node.expression.text === 'Date' && node.name.text === 'now') ||
        (node.expression.text === 'Math' && node.name.text === 'random'))
    ) {
      found.push({ line: lineOf(p.source, node), what: `${node.expression.text}.${node.name.text}` });
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date' &&
      (node.arguments?.length ?? 0) === 0
    ) {
      found.push({ line: lineOf(p.source, node), what: 'new Date()' });
    }
    ts.forEachChild(node, visit);
  };
  visit(p.source);
  return found;
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}

/** Strongly connected components of more than one file (or a file importing itself). */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) strong(v);
  return out;
}

/** One shortest cycle through the first file of a component, to show in the message. */
function shortestCycle(
  start: string,
  component: readonly string[],
  graph: ReadonlyMap<string, ReadonlySet<string>>,
) {
  const inside = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path: string[] = [];
        for (let u = v; u !== start; u = previous.get(u)!) path.unshift(u);
        return [start, ...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

function checkLayers(files: readonly SourceText[]): Violation[] & { files: number; edges: number } {
  const paths = new Set(files.map((f) => f.path));
  const parsed = files.filter((f) => under(f.path, 'src')).map((f) => parse(f, paths));
  const violations: Violation[] = [];
  const graph = new Map<string, Set<string>>();

  for (const p of parsed) {
    const source = !isTest(p.path);
    const inStore = under(p.path, 'src/store');

    if (source && !inStore) {
      const found = queriesIn(p).map((q) => ({
        line: q.line,
        text: `${q.what} outside src/store (every database query lives in src/store)`,
      }));
      for (const i of p.imports) {
        if (!i.typeOnly && DATABASE_PACKAGES.includes(packageOf(i.specifier)))
          found.push({
            line: i.line,
            text: `imports the database package '${i.specifier}' outside src/store`,
          });
      }
      found.sort((a, b) => a.line - b.line);
      for (const f of found)
        violations.push({
          rule: 'query-outside-store',
          files: [p.path],
          message: `${p.path}:${f.line}: ${f.text}`,
        });
    }

    if (under(p.path, 'src/server')) {
      for (const i of p.imports) {
        if (i.target && under(i.target, 'src/cli')) {
          violations.push({
            rule: 'server-imports-cli',
            files: [p.path, i.target],
            message: `${p.path}:${i.line}: src/server imports ${i.target} (the CLI may start the server, never the reverse)`,
          });
        }
      }
    }

    const mine = layerOf(p.path);
    if (source && mine >= 0) {
      for (const i of p.imports) {
        const theirs = i.target ? layerOf(i.target) : -1;
        const serverToCli = under(p.path, 'src/server') && theirs === layerOf('src/cli/x');
        if (theirs > mine && !serverToCli) {
          violations.push({
            rule: 'layer-order',
            files: [p.path, i.target!],
            message: `${p.path}:${i.line}: ${LAYERS[mine]?.join('|')} imports ${i.target}, a layer above it (${layerNames})`,
          });
        }
      }
    }

    if (source && under(p.path, 'src/core')) {
      for (const i of p.imports) {
        let why: string | null = null;
        if (isNodeBuiltin(i.specifier)) why = 'a Node built-in';
        else if (isIoPackage(i.specifier)) why = 'a package that does I/O';
        else if (!i.specifier.startsWith('.') && !i.typeOnly && !PURE_PACKAGES.has(packageOf(i.specifier)))
          why =
            'a package not known to be pure (add it to PURE_PACKAGES in test/layers.test.ts once checked)';
        else if (i.specifier.startsWith('.') && !(i.target && under(i.target, 'src/core')))
          why = `a module outside src/core (${i.target ?? i.specifier})`;
        if (why) {
          violations.push({
            rule: 'core-io',
            files: [p.path],
            message: `${p.path}:${i.line}: src/core imports '${i.specifier}', ${why}; I/O comes in through ports`,
          });
        }
      }
      for (const g of ioGlobalsIn(p)) {
        violations.push({
          rule: 'core-io',
          files: [p.path],
          message: `${p.path}:${g.line}: src/core uses ${g.what}; the clock, randomness and the world come in through ports`,
        });
      }
    }

    const edges = new Set<string>();
    for (const i of p.imports) if (i.target && !i.typeOnly && !i.dynamic) edges.add(i.target);
    graph.set(p.path, edges);

    if (source) {
      const text = files.find((f) => f.path === p.path)!.text;
      const lines = lineCount(text);
      if (lines > MAX_LINES && !LENGTH_EXCEPTIONS.has(p.path)) {
        violations.push({
          rule: 'file-length',
          files: [p.path],
          message: `${p.path}: ${lines} lines, more than ${MAX_LINES} (split it by concept)`,
        });
      }
    }
  }

  for (const component of cycles(graph)) {
    const path = shortestCycle(component[0]!, component, graph);
    const rest = component.filter((f) => !path.includes(f));
    violations.push({
      rule: 'value-cycle',
      files: component,
      message: `value import cycle: ${path.join(' -> ')}${rest.length ? ` (the same cycle also holds ${rest.join(', ')})` : ''}`,
    });
  }
  let edges = 0;
  for (const targets of graph.values()) edges += targets.size;
  return Object.assign(violations, { files: parsed.length, edges });
}

// ---- the repository ----------------------------------------------------------------------------

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): SourceText[] {
  const out: SourceText[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(m?ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      out.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
  }
  return out;
}

const repository = checkLayers(sourceFiles(join(root, 'src')));
const messages = (rule: Rule, found: readonly Violation[] = repository) =>
  found.filter((v) => v.rule === rule).map((v) => v.message);

describe('the layers of src/', () => {
  it('reads every source file under src/ and resolves their imports to one another', () => {
    expect(repository.files).toBeGreaterThan(150);
    expect(repository.edges).toBeGreaterThan(repository.files);
  });

  it('no database query (Kysely builder, sql tag, raw pg or better-sqlite3 call, driver import) appears in a source file outside src/store', () => {
    expect(messages('query-outside-store'), 'queries outside src/store').toEqual([]);
  });

  it('src/server never imports src/cli: the CLI may start the server, never the reverse', () => {
    expect(messages('server-imports-cli'), 'src/server importing src/cli').toEqual([]);
  });

  it('no layer imports one above it in a source file: src/store < src/sync < src/server < src/cli', () => {
    expect(messages('layer-order'), 'imports of a higher layer').toEqual([]);
  });

  it('src/core source files (tests beside them excepted) import nothing with I/O and touch no clock, randomness, process or network global', () => {
    expect(messages('core-io'), 'I/O in src/core').toEqual([]);
  });

  it('no value import cycle exists among src/ files (type-only imports and lazy import() excluded)', () => {
    expect(messages('value-cycle'), 'value import cycles').toEqual([]);
  });

  it('every non-test source file under src/ stays within 400 lines (the catalog data file src/core/catalog/models.ts excepted)', () => {
    expect(messages('file-length'), 'files over 400 lines').toEqual([]);
  });
});

// ---- the checker sees each planted violation ---------------------------------------------------

const clean: SourceText[] = [
  { path: 'src/core/a.ts', text: "import { b } from './b.js';\nexport const a = () => b + 1;\n" },
  {
    path: 'src/core/b.ts',
    text: "import type { A } from './c.js';\nexport const b = 1;\nexport type B = A;\n",
  },
  { path: 'src/core/c.ts', text: "import { a } from './a.js';\nexport type A = ReturnType<typeof a>;\n" },
  {
    path: 'src/store/q.ts',
    text: "import { sql } from 'kysely';\nexport const q = (db: any) => db.selectFrom('t').where(sql`1 = 1`).execute();\n",
  },
  { path: 'src/server/s.ts', text: "import { q } from '../store/q.js';\nexport const s = q;\n" },
  { path: 'src/cli/c.ts', text: "import { s } from '../server/s.js';\nexport const c = s;\n" },
  {
    path: 'src/core/a.test.ts',
    text: "import { readFileSync } from 'node:fs';\nexport const t = readFileSync;\n",
  },
];

function planted(...extra: SourceText[]): Violation[] {
  const byPath = new Map(clean.map((f) => [f.path, f]));
  for (const f of extra) byPath.set(f.path, f);
  return checkLayers([...byPath.values()]);
}

describe('the layers checker', () => {
  it('finds nothing in a small clean tree, where a cycle closes only through a type-only import', () => {
    expect([...checkLayers(clean)]).toEqual([]);
  });

  it('sees a query builder call, a sql tag, a raw client call and a driver import outside src/store', () => {
    const found = planted(
      {
        path: 'src/sync/x.ts',
        text: "export const x = (db: any) => db.updateTable('locks').set({ a: 1 }).execute();\n",
      },
      { path: 'src/server/y.ts', text: "import { sql } from 'kysely';\nexport const y = sql`select 1`;\n" },
      { path: 'src/sync/z.ts', text: "export const z = (pool: any) => pool.query('select 1');\n" },
      { path: 'src/sync/w.ts', text: "export const w = (db: any) => db.prepare('select 1').get();\n" },
    );
    expect(messages('query-outside-store', found)).toEqual([
      'src/sync/x.ts:1: .updateTable() outside src/store (every database query lives in src/store)',
      "src/server/y.ts:1: imports the database package 'kysely' outside src/store",
      'src/server/y.ts:2: sql`…` outside src/store (every database query lives in src/store)',
      'src/sync/z.ts:1: raw .query() outside src/store (every database query lives in src/store)',
      'src/sync/w.ts:1: raw .prepare() outside src/store (every database query lives in src/store)',
    ]);
  });

  it('sees src/server importing src/cli, even for a type', () => {
    const found = planted({
      path: 'src/server/s.ts',
      text: "import type { c } from '../cli/c.js';\nexport const s: typeof c = null as never;\n",
    });
    expect(messages('server-imports-cli', found)).toEqual([
      'src/server/s.ts:1: src/server imports src/cli/c.ts (the CLI may start the server, never the reverse)',
    ]);
  });

  it('sees src/store importing src/sync and src/sync importing src/server, but not a test beside the code doing so', () => {
    const found = planted(
      { path: 'src/sync/r.ts', text: 'export const r = 1;\n' },
      { path: 'src/store/up.ts', text: "import { r } from '../sync/r.js';\nexport const u = r;\n" },
      { path: 'src/sync/up.ts', text: "import { s } from '../server/s.js';\nexport const u = s;\n" },
      { path: 'src/store/up.test.ts', text: "import { r } from '../sync/r.js';\nexport const t = r;\n" },
    );
    expect(messages('layer-order', found)).toEqual([
      'src/store/up.ts:1: src/store imports src/sync/r.ts, a layer above it (src/store < src/sync < src/activity|src/notify|src/calendar|src/mqtt < src/server < src/cli)',
      'src/sync/up.ts:1: src/sync imports src/server/s.ts, a layer above it (src/store < src/sync < src/activity|src/notify|src/calendar|src/mqtt < src/server < src/cli)',
    ]);
  });

  it('sees src/core importing a Node built-in, an I/O package, an unvetted package or an outer layer, and using the clock', () => {
    const found = planted(
      {
        path: 'src/core/io.ts',
        text: "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      },
      { path: 'src/core/ws.ts', text: "import WebSocket from 'ws';\nexport const w = WebSocket;\n" },
      { path: 'src/core/lib.ts', text: "import { z } from 'zod';\nexport const l = z;\n" },
      { path: 'src/core/up.ts', text: "import { q } from '../store/q.js';\nexport const u = q;\n" },
      { path: 'src/core/now.ts', text: 'export const now = () => Date.now() + Math.random();\n' },
    );
    expect(messages('core-io', found)).toEqual([
      "src/core/io.ts:1: src/core imports 'node:fs', a Node built-in; I/O comes in through ports",
      "src/core/ws.ts:1: src/core imports 'ws', a package that does I/O; I/O comes in through ports",
      "src/core/lib.ts:1: src/core imports 'zod', a package not known to be pure (add it to PURE_PACKAGES in test/layers.test.ts once checked); I/O comes in through ports",
      "src/core/up.ts:1: src/core imports '../store/q.js', a module outside src/core (src/store/q.ts); I/O comes in through ports",
      'src/core/now.ts:1: src/core uses Date.now; the clock, randomness and the world come in through ports',
      'src/core/now.ts:1: src/core uses Math.random; the clock, randomness and the world come in through ports',
    ]);
  });

  it('sees a value import cycle, and names every file in it', () => {
    const found = planted({
      path: 'src/core/b.ts',
      text: "import { a } from './a.js';\nexport const b = 1;\nexport const again = () => a;\n",
    });
    expect(messages('value-cycle', found)).toEqual([
      'value import cycle: src/core/a.ts -> src/core/b.ts -> src/core/a.ts',
    ]);
    expect(found.find((v) => v.rule === 'value-cycle')?.files).toEqual(['src/core/a.ts', 'src/core/b.ts']);
  });

  it('sees a cycle through a re-export and ignores one closed only by import()', () => {
    const throughExport = planted(
      { path: 'src/core/b.ts', text: "export { later } from './c.js';\nexport const b = 1;\n" },
      { path: 'src/core/c.ts', text: "export { a } from './a.js';\nexport const later = 1;\n" },
    );
    expect(messages('value-cycle', throughExport)).toEqual([
      'value import cycle: src/core/a.ts -> src/core/b.ts -> src/core/c.ts -> src/core/a.ts',
    ]);
    const lazy = planted(
      { path: 'src/core/b.ts', text: "export const b = 1;\nexport const later = () => import('./c.js');\n" },
      { path: 'src/core/c.ts', text: "import { a } from './a.js';\nexport const c = a;\n" },
    );
    expect(messages('value-cycle', lazy)).toEqual([]);
  });

  it('sees a source file over 400 lines, but not a test file or the catalog data', () => {
    const long = `${'export const x = 1;\n'.repeat(401)}`;
    const found = planted(
      { path: 'src/sync/long.ts', text: long },
      { path: 'src/sync/long.test.ts', text: long },
      { path: 'src/core/catalog/models.ts', text: long },
      { path: 'src/sync/exact.ts', text: `${'export const y = 1;\n'.repeat(400)}` },
    );
    expect(messages('file-length', found)).toEqual([
      'src/sync/long.ts: 401 lines, more than 400 (split it by concept)',
    ]);
  });
});
