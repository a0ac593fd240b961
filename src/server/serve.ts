import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startCalendarScheduler } from '../calendar/scheduler.js';
import { KeywardError } from '../core/errors.js';
import type { HomeAssistantBridge } from '../mqtt/home-assistant.js';
import { dataDir as defaultDataDir, openStore, type Store } from '../store/index.js';
import type { SyncListener } from '../sync/events.js';
import { cryptoRandom } from '../sync/random.js';
import { brokerCredentialsFromEnv, brokerUrlProblem, redactBrokerUrl } from '../sync/zigbee2mqtt/broker.js';
import { ZigbeeHub } from '../sync/zigbee2mqtt/hub.js';
import { ZWaveHub } from '../sync/zwave/hub.js';
import { securityKeysFromEnv } from '../sync/zwave/options.js';
import { type AdminToken, ensureAdminToken } from './admin-token.js';
import { type AppOptions, buildApp, VERSION } from './app.js';
import { readTls, signInLink } from './auth-serve.js';
import { createDemo } from './demo.js';
import { startHomeAssistant } from './home-assistant.js';
import { LockFaults } from './lock-faults.js';
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
  /**
   * MQTT broker (`--mqtt`, or KEYWARD_MQTT_URL): Home Assistant discovery is published there, and
   * it is the default broker of Zigbee2MQTT locks.
   */
  mqtt?: { url: string; discoveryPrefix?: string; instance?: string; refreshMs?: number };
  /** Believe X-Forwarded-For from these proxies (`--trust-proxy`, server/auth-address.ts). */
  trustProxy?: AppOptions['trustProxy'];
  /** PEM files: serve HTTPS directly. */
  tlsCert?: string;
  tlsKey?: string;
  /** Make a one-time sign-in link at start (default true). */
  signInLink?: boolean;
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
  /** Home Assistant discovery, when an MQTT broker was given. */
  homeAssistant: HomeAssistantBridge | null;
  /** The one-time admin sign-in link made at start, to print (null with signInLink: false). */
  signIn: { url: string; expiresAt: number } | null;
  tls: boolean;
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions = {}): Promise<Running> {
  const env = opts.env ?? process.env;
  const https = readTls(opts.tlsCert, opts.tlsKey);
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
    const mqttUrl = opts.mqtt?.url ?? env.KEYWARD_MQTT_URL;
    const zigbee = new ZigbeeHub({
      ...(mqttUrl ? { defaultUrl: mqttUrl } : {}),
      credentials: brokerCredentialsFromEnv(env),
    });
    let homeAssistant: HomeAssistantBridge | null = null;
    // The app first (its logger hears sync from the first pass); no request arrives before
    // listen(), so its nudges reach the sync started just after.
    let sync: SyncHandle = NO_SYNC;
    const faults = new LockFaults();
    const calendarRuntime = {
      allowPrivateUrls: opts.allowPrivateUrls ?? false,
      nudge: (lockIds: readonly string[]) => sync.nudge(lockIds),
      // Until notifications are merged, a calendar failing three times in a row is logged.
      onEvent: (e: { type: string }) => {
        if (e.type === 'calendar.failed') app.log.warn(e, 'calendar: three fetches in a row failed');
      },
    };
    const { app } = await buildApp({
      faults,
      store,
      logLevel: opts.logLevel ?? 'info',
      nudge: (lockIds) => {
        sync.nudge(lockIds);
        // A lock added, renamed or removed shows in Home Assistant at once.
        void homeAssistant?.refresh().catch(() => {});
      },
      zwave,
      zigbee,
      ...(opts.web !== undefined ? { web: opts.web } : {}),
      ...(opts.auth ? { auth: opts.auth } : {}),
      ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
      ...(https ? { https } : {}),
      calendars: calendarRuntime,
    });
    if (opts.sync !== false)
      sync = await startSync(store, {
        zwave,
        zigbee,
        simDir: join(dir, 'sim-locks'),
        ...(opts.simLatencyMs !== undefined ? { simLatencyMs: opts.simLatencyMs } : {}),
        onEvent: withFaults(logSyncEvents(app.log), faults),
      });
    if (mqttUrl) {
      const problem = brokerUrlProblem(mqttUrl);
      if (problem) throw new KeywardError('BAD_INPUT', `--mqtt ${redactBrokerUrl(mqttUrl)} ${problem}`);
      homeAssistant = await startHomeAssistant(store, sync, faults, {
        url: mqttUrl,
        env,
        version: VERSION,
        ...(opts.mqtt?.discoveryPrefix ? { prefix: opts.mqtt.discoveryPrefix } : {}),
        ...(opts.mqtt?.instance ? { instance: opts.mqtt.instance } : {}),
        ...(opts.mqtt?.refreshMs !== undefined ? { refreshMs: opts.mqtt.refreshMs } : {}),
        onError: (message) => app.log.warn({}, `home assistant: ${message}`),
      });
    }
    const link = opts.signInLink === false ? null : await signInLink(store);
    const calendars = startCalendarScheduler(store, {
      ...calendarRuntime,
      onError: (e) => app.log.error({ err: e }, 'calendar: refresh failed'),
    });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 8080, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8080);
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const url = `${https ? 'https' : 'http'}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
    return {
      app,
      store,
      url,
      signIn: link ? link(url) : null,
      tls: Boolean(https),
      admin,
      demo,
      sync,
      homeAssistant,
      close: async () => {
        await homeAssistant?.stop();
        await calendars.stop();
        await sync.stop();
        await app.close();
        await zwave.close();
        await zigbee.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
}

/** The log line and the lock's state both hear each event. */
function withFaults(log: SyncListener, faults: LockFaults): SyncListener {
  return (e) => {
    faults.listener(e);
    log(e);
  };
}
