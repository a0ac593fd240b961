import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { getModel } from '../../src/core/catalog/index.js';
import { factoryState } from '../../src/core/codes/lock-state.js';
import { type Running, type ServeOptions, startServer } from '../../src/server/serve.js';
import { openStore, type Store } from '../../src/store/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const SHOTS = join(ROOT, 'test-output');

export interface UiServer {
  server: Running;
  url: string;
  /** The first admin token, as a person would copy it from the console. */
  token: string;
  close(): Promise<void>;
}

/**
 * `keyward serve` with the reconciler on simulated locks, serving the UI built from web/src (not
 * whatever web/dist holds). `seed` runs on the empty database first; the simulated locks it
 * returns start holding the given codes, as locks in use before Keyward.
 */
export async function startUiServer(
  seed?: (store: Store) => Promise<{ lockId: string; model: string; slots: Record<string, string> }[]>,
  serve: Partial<ServeOptions> = {},
): Promise<UiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-ui-'));
  mkdirSync(SHOTS, { recursive: true });
  execFileSync(
    'npx',
    ['vite', 'build', '--config', 'web/vite.config.ts', '--outDir', join(dir, 'web'), '--logLevel', 'error'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  const dataDir = join(dir, 'data');
  if (seed) {
    const store = await openStore({ dataDir, env: {} });
    const held = await seed(store);
    await store.close();
    mkdirSync(join(dataDir, 'sim-locks'), { recursive: true });
    for (const h of held) {
      writeFileSync(
        join(dataDir, 'sim-locks', `${h.lockId}.json`),
        JSON.stringify({ lock: { ...factoryState(getModel(h.model)), slots: h.slots }, stats: {} }),
      );
    }
  }
  const server = await startServer({
    port: 0,
    dataDir,
    env: {},
    logLevel: 'error',
    simLatencyMs: 5,
    web: join(dir, 'web'),
    ...serve,
  });
  if (server.admin.kind !== 'created') throw new Error('expected a first admin token');
  return {
    server,
    url: server.url,
    token: server.admin.token,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How wide the page lays itself out: wider than the viewport means sideways scrolling on a phone. */
export const scrollWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');
