import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CalendarEvent } from '../calendar/refresh.js';
import { startCalendarScheduler } from '../calendar/scheduler.js';
import { KeywardError } from '../core/errors.js';
import type { HomeAssistantBridge } from '../mqtt/home-assistant.js';
import { NotificationService } from '../notify/service.js';
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
  // What has been started so far, stopped in reverse order: by close(), or at once when a later
  // step (listen on a port in use, a bad --mqtt address) fails, so nothing keeps running on a
  // closed store.
  const started: Array<() => Promise<void>> = [() => store.close()];
  const stopAll = async (): Promise<unknown> => {
    let first: unknown = null;
    for (const stop of started.splice(0).reverse()) await stop().catch((e: unknown) => (first ??= e));
    return first;
  };
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
    started.push(() => zwave.close());
    const mqttUrl = opts.mqtt?.url ?? env.KEYWARD_MQTT_URL;
    const zigbee = new ZigbeeHub({
      ...(mqttUrl ? { defaultUrl: mqttUrl } : {}),
      credentials: brokerCredentialsFromEnv(env),
    });
    started.push(() => zigbee.close());
    let homeAssistant: HomeAssistantBridge | null = null;
    // The app first (its logger hears sync from the first pass); no request arrives before
    // listen(), so its nudges reach the sync started just after.
    let sync: SyncHandle = NO_SYNC;
    const faults = new LockFaults();
    const calendarRuntime = {
      allowPrivateUrls: opts.allowPrivateUrls ?? false,
      nudge: (lockIds: readonly string[]) => sync.nudge(lockIds),
      // A calendar failing three times in a row is activity, and so a notification.
      onEvent: (e: CalendarEvent) => {
        if (e.type !== 'calendar.failed') return;
        app.log.warn({ calendarId: e.calendarId, failures: e.failures }, 'calendar: fetches failed');
        notifications.recorder.record({
          at: e.at,
          type: 'calendar.failed',
          lockId: null,
          credentialId: null,
          personId: null,
          slot: null,
          detail: { calendarId: e.calendarId, name: e.name, failures: e.failures, message: e.message },
        });
      },
    };
    let baseUrl = opts.publicUrl ?? '';
    const notifications = new NotificationService(store, {
      baseUrl: () => baseUrl,
      allowPrivate: opts.allowPrivateUrls ?? false,
      ...(opts.smtpUrl ? { smtpUrl: opts.smtpUrl } : {}),
      ...(opts.smtpFrom ? { smtpFrom: opts.smtpFrom } : {}),
      ...(opts.eventsRetentionDays !== undefined ? { retentionDays: opts.eventsRetentionDays } : {}),
      onError: (during, e) => app.log.error({ err: e }, `notifications: ${during}`),
    });
    started.push(() => notifications.stop());
    const { app } = await buildApp({
      faults,
      notifications,
      keypad: (lockId, inputs) => sync.keypad?.(lockId, inputs) ?? null,
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
    started.push(() => app.close());
    if (opts.sync !== false) {
      sync = await startSync(store, {
        zwave,
        zigbee,
        simDir: join(dir, 'sim-locks'),
        ...(opts.simLatencyMs !== undefined ? { simLatencyMs: opts.simLatencyMs } : {}),
        onEvent: ((log) => (e) => {
          log(e);
          notifications.listener(e);
        })(withFaults(logSyncEvents(app.log), faults)),
      });
      started.push(() => sync.stop());
    }
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
      const bridge = homeAssistant;
      started.push(() => bridge.stop());
    }
    const link = opts.signInLink === false ? null : await signInLink(store);
    const calendars = startCalendarScheduler(store, {
      ...calendarRuntime,
      onError: (e) => app.log.error({ err: e }, 'calendar: refresh failed'),
    });
    started.push(() => calendars.stop());
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 8080, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8080);
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const url = `${https ? 'https' : 'http'}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
    baseUrl ||= url;
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
        const failed = await stopAll();
        if (failed) throw failed;
      },
    };
  } catch (e) {
    await stopAll();
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
