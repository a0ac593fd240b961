import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../src/server/app.js';
import type { Role, Store } from '../../src/store/index.js';
import { type DialectName, Harness } from '../store/dialects.js';

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

/** A server on a fresh database of the dialect, with one token of each role. */
export async function testServer(
  dialect: DialectName = 'sqlite',
  opts: Partial<AppOptions> = {},
): Promise<TestServer> {
  const harness = new Harness();
  const store = await harness.fresh(dialect);
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'manager', 'viewer'] as const) {
    tokens[role] = (await store.createApiToken({ name: role, role })).token;
  }
  const { app } = await buildApp({ store, logLevel: false, web: false, ...opts });
  return {
    app,
    store,
    tokens,
    close: async () => {
      await app.close();
      await harness.cleanup();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
