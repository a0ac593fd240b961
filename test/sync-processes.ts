import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { TEST_KEY } from './sync-harness.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Plain Node runs the worker, so it gets the sources transpiled (no type check needed here). */
export function transpile(out: string): void {
  for (const part of ['core', 'store', 'sync']) transpileDir(out, join(root, 'src', part));
}

function transpileDir(out: string, dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) transpileDir(out, path);
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

export function cleanup(out: string): void {
  rmSync(out, { recursive: true, force: true });
}

export interface Worker {
  child: ChildProcess;
  lines: Array<{ at: number; text: string }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Resolves (with when) once a printed line matches `re` or passes the test. */
  waitFor(re: RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<number>;
}

export function startWorker(
  srcOut: string,
  db: string,
  lockDir: string,
  opts: Record<string, unknown> = {},
): Worker {
  const child = spawn(
    process.execPath,
    [join(root, 'test', 'sync-worker.mjs'), srcOut, db, lockDir, JSON.stringify(opts)],
    {
      env: { ...process.env, KEYWARD_SECRET_KEY: TEST_KEY.toString('hex') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Worker['lines'] = [];
  const waiters: Array<() => void> = [];
  let buf = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let i = buf.indexOf('\n');
    while (i >= 0) {
      lines.push({ at: Date.now(), text: buf.slice(0, i) });
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) =>
      child.on('exit', (code, signal) => {
        for (const w of waiters.splice(0)) w();
        resolve({ code, signal, stderr });
      }),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  return {
    child,
    lines,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l) => (typeof re === 'function' ? re(l.text) : re.test(l.text)));
          if (hit) return resolve(hit.at);
          if (gone) return reject(new Error(`worker exited before printing ${re}: ${stderr}`));
          if (Date.now() > deadline) return reject(new Error(`no ${re} within ${timeoutMs} ms: ${stderr}`));
          waiters.push(check);
          setTimeout(check, 100);
        };
        check();
      });
    },
  };
}
