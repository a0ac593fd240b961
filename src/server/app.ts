import Fastify, { type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { KeywardError } from '../core/errors.js';
import { Store } from '../store/index.js';
import { ZigbeeHub } from '../sync/zigbee2mqtt/hub.js';
import { ZWaveHub } from '../sync/zwave/hub.js';
import { Authenticator, type AuthOptions } from './auth.js';
import { transportOptions } from './auth-address.js';
import { registerSignIn, sessionRoutes } from './auth-routes.js';
import type { ServerDeps } from './deps.js';
import { docsPage } from './docs-page.js';
import { errorBody, installErrorHandler, toKeywardError } from './errors.js';
import { DOCS_CSP, installSecurityHeaders } from './headers.js';
import { LockFaults } from './lock-faults.js';
import { openApiDocument } from './openapi.js';
import { ReadCache } from './read-cache.js';
import { type RouteSpec, registerRoutes } from './route.js';
import { calendarRoutes } from './routes/calendars.js';
import { credentialRoutes } from './routes/credentials.js';
import { diagnoseRoutes } from './routes/diagnose.js';
import { eventRoutes } from './routes/events.js';
import { lockRoutes } from './routes/locks.js';
import { manualRoutes } from './routes/manual.js';
import { peopleRoutes } from './routes/people.js';
import { registerRoutes as registerReadRoutes } from './routes/register.js';
import { siteSettingsRoutes } from './routes/site-settings.js';
import { tokenRoutes } from './routes/tokens.js';
import { toolRoutes } from './routes/tools.js';
import { unmanagedRoutes } from './routes/unmanaged.js';
import { webhookRoutes } from './routes/webhooks.js';
import { zigbeeRoutes } from './routes/zigbee.js';
import { zwaveRoutes } from './routes/zwave.js';
import { serveWeb } from './static.js';

export const VERSION = '0.1.0';

export const ROUTES: readonly RouteSpec[] = [
  ...lockRoutes,
  ...unmanagedRoutes,
  ...manualRoutes,
  ...credentialRoutes,
  ...peopleRoutes,
  ...registerReadRoutes,
  ...tokenRoutes,
  ...toolRoutes,
  ...diagnoseRoutes,
  ...siteSettingsRoutes,
  ...zwaveRoutes,
  ...zigbeeRoutes,
  ...sessionRoutes,
  ...calendarRoutes,
  ...eventRoutes,
  ...webhookRoutes,
];

export interface AppOptions {
  store: Store;
  /** false: no log at all (tests, benchmarks); otherwise pino at this level. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | false;
  /** Where the log goes (default stdout). */
  logStream?: NodeJS.WritableStream;
  auth?: AuthOptions;
  /** Serve the built UI from web/dist (default true when it has been built). */
  web?: boolean | string;
  nudge?: (lockIds: readonly string[]) => void;
  now?: () => number;
  /** Z-Wave networks shared with the reconciler (default: the app's own, closed with it). */
  zwave?: ZWaveHub;
  /** Zigbee2MQTT locks shared with the reconciler (default: the app's own, with no default broker). */
  zigbee?: ZigbeeHub;
  /** How long a lock view is reused (ms); 0 reads the database every time. */
  lockViewTtlMs?: number;
  /** Which proxies' X-Forwarded-For to believe (`--trust-proxy`, auth-address.ts); default none. */
  trustProxy?: false | number | string[];
  /** Serve HTTPS directly (`--tls-cert`, `--tls-key`). */
  https?: { key: Buffer; cert: Buffer };
  /** Faults heard from sync (serve subscribes it to the reconciler's events). */
  faults?: LockFaults;
  /** Booking calendars: --allow-private-urls, fetch limits, the lease holder's name. */
  calendars?: ServerDeps['calendars'];
  /** Activity and notifications (src/notify/service.ts): private URLs allowed, and the worker to wake. */
  notifications?: ServerDeps['notifications'];
  /** A person at a simulated lock's keypad (SyncHandle.keypad). */
  keypad?: ServerDeps['keypad'];
}

/**
 * Codes travel in request bodies (check, create) and responses (reveal, generate): pino drops
 * those fields wherever they appear, and the token header, before anything is written.
 */
export const REDACT = [
  'req.headers.authorization',
  'headers.authorization',
  'req.headers.cookie',
  'headers.cookie',
  'body.code',
  'body.state',
  'body.locks',
  'res.body',
  '*.code',
  '*.codes',
  '*.token',
  '*.programmingCode',
];

export async function buildApp(opts: AppOptions): Promise<{ app: FastifyInstance; deps: ServerDeps }> {
  const app = Fastify({
    logger: opts.logLevel
      ? {
          level: opts.logLevel,
          redact: { paths: REDACT, censor: '[redacted]' },
          ...(opts.logStream ? { stream: opts.logStream } : {}),
        }
      : false,
    // Each request line would cost more than a lock read; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    ...transportOptions(opts),
    // The router's own faults (a malformed %-encoding in the path) answer in the API's error shape.
    frameworkErrors: (error, _request, reply) => {
      const { status } = toKeywardError(error);
      const message =
        status === 400 ? 'the address is not a valid URL (a malformed %-encoding)' : error.message;
      (reply as unknown as FastifyReply)
        .status(status)
        .send(errorBody(new KeywardError(status === 400 ? 'BAD_INPUT' : 'INTERNAL', message)));
    },
  });
  const store = opts.store;
  const auth = new Authenticator(store, { ...(opts.now ? { now: opts.now } : {}), ...opts.auth });
  const byToken = new Map<string, Store>();
  const lockViews = new ReadCache<string>(opts.lockViewTtlMs ?? 200, opts.now);
  const deps: ServerDeps = {
    store,
    auth,
    // The audit log names the token that made each change, so each token gets its own view.
    storeFor: (principal) => {
      if (!principal) return store;
      let s = byToken.get(principal.tokenId);
      if (!s) {
        // A browser session (ses_..., from a sign-in link) is named as one, not as a token.
        const kind = principal.tokenId.startsWith('ses_') ? 'session' : 'token';
        s = new Store({ ...store.ctx, actor: `${kind}:${principal.tokenId}` }, store.location);
        byToken.set(principal.tokenId, s);
      }
      return s;
    },
    nudge: (lockIds) => {
      lockViews.invalidate(lockIds);
      opts.nudge?.(lockIds);
    },
    lockViews,
    zwave: opts.zwave ?? new ZWaveHub(),
    zigbee: opts.zigbee ?? new ZigbeeHub(),
    faults: opts.faults ?? new LockFaults(opts.now),
    now: opts.now ?? Date.now,
    ...(opts.calendars ? { calendars: opts.calendars } : {}),
    ...(opts.notifications ? { notifications: opts.notifications } : {}),
    ...(opts.keypad ? { keypad: opts.keypad } : {}),
  };
  if (!opts.zwave) app.addHook('onClose', () => deps.zwave.close());
  if (!opts.zigbee) app.addHook('onClose', () => deps.zigbee.close());
  installErrorHandler(app);
  installSecurityHeaders(app);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody(new KeywardError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
      ),
  );

  app.get('/healthz', async () => ({ ok: true }));
  const doc = openApiDocument(ROUTES, VERSION);
  app.get('/api/v1/openapi.json', async () => doc);
  const page = docsPage(doc);
  app.get('/api/docs', (_req, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', DOCS_CSP)
      .send(page),
  );
  registerRoutes(app, ROUTES, deps);
  registerSignIn(app, deps);
  if (opts.web !== false) serveWeb(app, typeof opts.web === 'string' ? opts.web : undefined);
  await app.ready();
  return { app, deps };
}
