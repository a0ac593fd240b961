import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startCalendarScheduler } from '../calendar/scheduler.js';
import { dataDir as defaultDataDir, openStore, type Store } from '../store/index.js';
import { cryptoRandom } from '../sync/random.js';
import { ZWaveHub } from '../sync/zwave/hub.js';
import { securityKeysFromEnv } from '../sync/zwave/options.js';
import { type AdminToken, ensureAdminToken } from './admin-token.js';
import { type AppOptions, buildApp } from './app.js';
import { createDemo } from './demo.js';
import { logSyncEvents, NO_SYNC, type SyncHandle, startSync } from './sync.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  db?: string;
  dataDir?: string;
  demo?: boolean;
  tokenFile?: string;
  env?: NodeJS.ProcessEnv;
  logLevel?: AppOptions['logLevel'];
  /** Run the reconciler in this process (default true). */
  sync?: boolean;
  simLatencyMs?: number;
  /** The built UI to serve (default web/dist). */
  web?: AppOptions['web'];
  auth?: AppOptions['auth'];
  /** Calendars (and other outbound calls) may reach loopback and private addresses. */
  allowPrivateUrls?: boolean;
}

export interface Running {
  app: FastifyInstance;
  store: Store;
  url: string;
  admin: AdminToken;
  demo: boolean;
  sync: SyncHandle;
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions = {}): Promise<Running> {
  const env = opts.env ?? process.env;
  const dir = opts.dataDir ?? defaultDataDir(env);
  const store = await openStore({ ...(opts.db ? { db: opts.db } : {}), dataDir: dir, env, actor: 'server' });
  try {
    const admin = await ensureAdminToken(store, {
      dataDir: dir,
      env,
      ...(opts.tokenFile ? { tokenFile: opts.tokenFile } : {}),
    });
    const demo = opts.demo ? (await createDemo(store, cryptoRandom, Date.now())) !== null : false;
    // One Z-Wave side for the reconciler and the API: a stick can be opened only once.
    // Its faults that concern no one lock go out through sync's events port (logged there), or
    // straight to the log when no reconciler runs here.
    const zwave = new ZWaveHub({
      dataDir: dir,
      securityKeys: securityKeysFromEnv(env),
      onFault: (f) => {
        const error = {
          type: 'error' as const,
          lockId: null,
          during: `${f.during} (${f.target})`,
          message: f.message,
        };
        if (sync.running) sync.report(error);
        else logSyncEvents(app.log)(error);
      },
    });
    // The app first (its logger hears sync from the first pass); no request arrives before
    // listen(), so its nudges reach the sync started just after.
    let sync: SyncHandle = NO_SYNC;
    const calendarRuntime = {
      allowPrivateUrls: opts.allowPrivateUrls ?? false,
      nudge: (lockIds: readonly string[]) => sync.nudge(lockIds),
      // Until notifications are merged, a calendar failing three times in a row is logged.
      onEvent: (e: { type: string }) => {
        if (e.type === 'calendar.failed') app.log.warn(e, 'calendar: three fetches in a row failed');
      },
    };
    const { app } = await buildApp({
      store,
      logLevel: opts.logLevel ?? 'info',
      nudge: (lockIds) => sync.nudge(lockIds),
      zwave,
      ...(opts.web !== undefined ? { web: opts.web } : {}),
      ...(opts.auth ? { auth: opts.auth } : {}),
      calendars: calendarRuntime,
    });
    if (opts.sync !== false)
      sync = await startSync(store, {
        zwave,
        simDir: join(dir, 'sim-locks'),
        ...(opts.simLatencyMs !== undefined ? { simLatencyMs: opts.simLatencyMs } : {}),
        onEvent: logSyncEvents(app.log),
      });
    const calendars = startCalendarScheduler(store, {
      ...calendarRuntime,
      onError: (e) => app.log.error({ err: e }, 'calendar: refresh failed'),
    });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 8080, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8080);
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return {
      app,
      store,
      url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`,
      admin,
      demo,
      sync,
      close: async () => {
        await calendars.stop();
        await sync.stop();
        await app.close();
        await zwave.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
}
