import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { DIALECTS, Harness, TEST_KEY } from './dialects.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Inside the checkout so the child resolves kysely, pg and better-sqlite3 from node_modules.
const out = join(root, 'node_modules', '.cache', `keyward-crash-${process.pid}`);

/** The child runs plain Node, so it gets the sources transpiled (no type check needed here). */
function transpile(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) transpile(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
      const js = ts.transpileModule(readFileSync(path, 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
      }).outputText;
      const target = join(out, relative(join(root, 'src'), path)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, js);
    }
  }
}

// The store and the pure core it uses; nothing else is loaded by the writer.
beforeAll(() => {
  transpile(join(root, 'src', 'core'));
  transpile(join(root, 'src', 'store'));
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Starts the writer, lets it commit at least `writes` changes, then kills it without warning. */
function killMidWrite(db: string, writes: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'test', 'store', 'crash-writer.mjs'), out, db], {
      env: { ...process.env, KEYWARD_SECRET_KEY: TEST_KEY.toString('hex') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen >= writes && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`writer exited by itself (${code}): ${stderr}`));
    });
  });
}

async function count(
  store: Store,
  table: 'sites' | 'locks' | 'credentials' | 'credential_locks' | 'audit_log',
) {
  const r = await store.ctx.db
    .selectFrom(table)
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe.each(DIALECTS)('a writer killed mid-write on %s', (dialect) => {
  const h = new Harness();
  afterAll(() => h.cleanup());

  it('leaves every change whole or absent, with the audit chain intact', async () => {
    const db = await h.database(dialect);
    let committed = 0;
    for (const [round, extraMs] of [0, 3, 7, 13].entries()) {
      committed += await killMidWrite(db.url, 10 + round * 15, extraMs);
      const store = await h.open(db.url);
      const credentials = await count(store, 'credentials');
      // each credential was written with its one assignment and one audit row, or not at all
      expect(await count(store, 'credential_locks')).toBe(credentials);
      const orphans = await store.ctx.db
        .selectFrom('credentials as c')
        .leftJoin('credential_locks as cl', 'cl.credential_id', 'c.id')
        .select('c.id')
        .where('cl.lock_id', 'is', null)
        .execute();
      expect(orphans).toEqual([]);
      const changes = (await count(store, 'sites')) + (await count(store, 'locks')) + credentials;
      expect(await count(store, 'audit_log')).toBe(changes);
      // the writer reports a change only after its commit, so nothing reported may be missing
      expect(credentials).toBeGreaterThanOrEqual(committed);
      expect(await store.verifyAudit()).toMatchObject({ ok: true, problems: [] });
      await store.close();
    }
  }, 120_000);

  it('lets two writer processes append at once without a lost change or a broken chain', async () => {
    const db = await h.database(dialect);
    // one writer first, so the schema and the site exist before the race starts
    await killMidWrite(db.url, 1, 0);
    const counted = await Promise.all([killMidWrite(db.url, 40, 5), killMidWrite(db.url, 40, 11)]);
    expect(counted.every((n) => n >= 40)).toBe(true);
    const store = await h.open(db.url);
    const credentials = await count(store, 'credentials');
    expect(credentials).toBeGreaterThanOrEqual(80);
    expect(await count(store, 'credential_locks')).toBe(credentials);
    const changes = (await count(store, 'sites')) + (await count(store, 'locks')) + credentials;
    expect(await count(store, 'audit_log')).toBe(changes);
    expect(await store.verifyAudit()).toMatchObject({ ok: true, problems: [] });
  }, 120_000);
});
