import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { NotificationService } from '../notify/service.js';
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
  /** Webhooks, ntfy and calendars may call loopback and private addresses (tests, a LAN). */
  allowPrivateUrls?: boolean;
  /** How long activity is kept (default 365 days). */
  eventsRetentionDays?: number;
  /** E-mail notifications: smtp(s)://user:pass@host:port, and the sender. */
  smtpUrl?: string;
  smtpFrom?: string;
  /** The address people open the UI at, for links in notifications (default: the listen URL). */
  publicUrl?: string;
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
  let stopNotifications = async () => {};
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
    let baseUrl = opts.publicUrl ?? '';
    const notifications = new NotificationService(store, {
      baseUrl: () => baseUrl,
      allowPrivate: opts.allowPrivateUrls ?? false,
      ...(opts.smtpUrl ? { smtpUrl: opts.smtpUrl } : {}),
      ...(opts.smtpFrom ? { smtpFrom: opts.smtpFrom } : {}),
      ...(opts.eventsRetentionDays !== undefined ? { retentionDays: opts.eventsRetentionDays } : {}),
      onError: (during, e) => app.log.error({ err: e }, `notifications: ${during}`),
    });
    stopNotifications = () => notifications.stop();
    const { app } = await buildApp({
      notifications,
      keypad: (lockId, inputs) => sync.keypad?.(lockId, inputs) ?? null,
      store,
      logLevel: opts.logLevel ?? 'info',
      nudge: (lockIds) => sync.nudge(lockIds),
      zwave,
      ...(opts.web !== undefined ? { web: opts.web } : {}),
      ...(opts.auth ? { auth: opts.auth } : {}),
    });
    if (opts.sync !== false)
      sync = await startSync(store, {
        zwave,
        simDir: join(dir, 'sim-locks'),
        ...(opts.simLatencyMs !== undefined ? { simLatencyMs: opts.simLatencyMs } : {}),
        onEvent: ((log) => (e) => {
          log(e);
          notifications.listener(e);
        })(logSyncEvents(app.log)),
      });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 8080, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8080);
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    baseUrl ||= `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
    return {
      app,
      store,
      url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`,
      admin,
      demo,
      sync,
      close: async () => {
        await sync.stop();
        await notifications.stop();
        await app.close();
        await zwave.close();
        await store.close();
      },
    };
  } catch (e) {
    await stopNotifications().catch(() => {});
    await store.close().catch(() => {});
    throw e;
  }
}
