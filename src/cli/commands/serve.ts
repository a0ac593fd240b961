import type { Command } from 'commander';
import { redactBrokerUrl } from '../../sync/zigbee2mqtt/broker-url.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  demo?: boolean;
  tokenFile?: string;
  logLevel?: string;
  sync?: boolean;
  mqtt?: string;
  mqttDiscoveryPrefix?: string;
  mqttInstance?: string;
  trustProxy?: string | boolean;
  tlsCert?: string;
  tlsKey?: string;
  signInLink?: boolean;
  allowPrivateUrls?: boolean;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug'] as const;

export async function serve(ctx: Context, flags: ServeFlags): Promise<void> {
  const port = flags.port === undefined ? 8080 : Number(flags.port);
  if (!/^[0-9]+$/.test(flags.port ?? '8080') || port > 65535)
    throw new UsageError(`--port ${flags.port}: give a port number from 0 to 65535`);
  const level = (flags.logLevel ?? 'info') as (typeof LEVELS)[number];
  if (!LEVELS.includes(level)) throw new UsageError(`--log-level takes ${LEVELS.join(', ')}`);
  if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey))
    throw new UsageError('HTTPS needs both --tls-cert and --tls-key (PEM files)');
  // Loaded here so that the other commands never pay for Fastify at start-up.
  const { startServer } = await import('../../server/serve.js');
  const { trustProxySetting } = await import('../../server/auth-address.js');
  const { exposureWarning } = await import('../../server/auth-serve.js');
  const trustProxy = trustProxySetting(flags.trustProxy);
  const running = await startServer({
    port,
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.db ? { db: flags.db } : {}),
    ...(flags.tokenFile ? { tokenFile: flags.tokenFile } : {}),
    demo: Boolean(flags.demo),
    logLevel: level,
    sync: flags.sync !== false,
    ...(flags.mqtt
      ? {
          mqtt: {
            url: flags.mqtt,
            ...(flags.mqttDiscoveryPrefix ? { discoveryPrefix: flags.mqttDiscoveryPrefix } : {}),
            ...(flags.mqttInstance ? { instance: flags.mqttInstance } : {}),
          },
        }
      : {}),
    ...(trustProxy ? { trustProxy } : {}),
    ...(flags.tlsCert ? { tlsCert: flags.tlsCert } : {}),
    ...(flags.tlsKey ? { tlsKey: flags.tlsKey } : {}),
    signInLink: flags.signInLink !== false,
    allowPrivateUrls: Boolean(flags.allowPrivateUrls),
  });
  const io = ctx.io;
  const warning = exposureWarning(flags.host ?? '127.0.0.1', running.tls);
  if (warning) io.err(`${warning}\n`);
  io.out(`Keyward is serving ${running.url}  (database: ${running.store.location})\n`);
  if (running.demo)
    io.out('Created a demo site: four simulated locks (264, 275, 913, 955), a family code and a guest.\n');
  const a = running.admin;
  if (a.kind === 'created') {
    io.out(`\nAdmin token (shown only this once; also saved in ${a.file}, mode 0600):\n\n  ${a.token}\n\n`);
  } else if (a.kind === 'chosen') {
    io.out(`Sign in with the admin token from ${a.source}.\n`);
  } else if (a.file) {
    io.out(`Sign in with the admin token saved in ${a.file}.\n`);
  } else {
    io.out('Sign in with an API token (this database already has some).\n');
  }
  if (running.signIn) {
    io.out(
      `${a.kind === 'created' ? '' : '\n'}To sign in, open this link in your browser (it works once, within 15 minutes):\n\n  ${running.signIn.url}\n\n`,
    );
    io.out(`Or open ${running.url} and paste a token. API docs: ${running.url}/api/docs\n`);
  } else {
    io.out(
      `Open ${running.url} in a browser and paste the token to sign in. API docs: ${running.url}/api/docs\n`,
    );
  }
  if (running.homeAssistant)
    io.out(
      `Home Assistant: discovery published on ${redactBrokerUrl(running.homeAssistant.broker.options.url)}.\n`,
    );
  io.out(
    running.sync.running
      ? `Sync: ${running.sync.note}.\n`
      : 'Sync: off (--no-sync): codes are registered but not sent to locks.\n',
  );
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function addServeOptions(cmd: Command): Command {
  return cmd
    .option('--port <port>', 'TCP port (0: any free port)', '8080')
    .option('--host <host>', 'address to listen on (0.0.0.0 for other devices, e.g. a phone)', '127.0.0.1')
    .option('--db <url>', 'database: a SQLite file path or postgres://... (default: the data directory)')
    .option('--token-file <file>', 'use the admin token in this file instead of creating one')
    .option('--log-level <level>', `log level: ${LEVELS.join(', ')}`, 'info')
    .option('--no-sync', 'do not run the reconciler in this process')
    .option(
      '--mqtt <url>',
      'MQTT broker (mqtt:// or mqtts://; or KEYWARD_MQTT_URL): Home Assistant discovery, and Zigbee2MQTT locks',
    )
    .option('--mqtt-discovery-prefix <prefix>', "Home Assistant's discovery prefix", 'homeassistant')
    .option('--mqtt-instance <name>', 'this Keyward in MQTT topics: keyward/<name>/...', 'default')
    .option(
      '--trust-proxy [proxies]',
      'behind a reverse proxy: take client addresses from X-Forwarded-For sent by it (proxies on this machine; or a hop count, or addresses/CIDRs, comma-separated)',
    )
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM; with --tls-key)')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .option('--no-sign-in-link', 'do not print a one-time sign-in link at start')
    .option(
      '--allow-private-urls',
      'let calendars (and other addresses Keyward calls) be on this machine or a private network',
    );
}

export function registerServe(program: Command, ctx: Context): void {
  addServeOptions(
    program
      .command('serve')
      .description('HTTP API and web UI')
      .option('--demo', 'create a demo site of simulated locks when the database is empty'),
  ).action((flags: ServeFlags) => serve(ctx, flags));
}
