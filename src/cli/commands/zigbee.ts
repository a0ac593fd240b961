import type { Command } from 'commander';
import type { ZigbeeLockFound } from '../../sync/zigbee2mqtt/discover.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { parseWhole } from './store-cli.js';

interface DiscoverOptions {
  mqtt?: string;
  baseTopic: string;
  wait?: string;
  json?: boolean;
}

function modelText(d: ZigbeeLockFound): string {
  if (d.exact) return d.candidates.join(' or ');
  return `${d.candidates.join(', ')}?`;
}

function codesText(d: ZigbeeLockFound): string {
  if (!d.codes) return 'no: this module cannot hold codes';
  return d.exposePin ? 'yes' : 'yes (digits not shown: turn on expose_pin to verify them)';
}

async function discover(ctx: Context, opts: DiscoverOptions): Promise<void> {
  const url = opts.mqtt ?? process.env.KEYWARD_MQTT_URL;
  if (!url) throw new UsageError('give --mqtt mqtt://host:1883 (or set KEYWARD_MQTT_URL)');
  // Loaded here: other commands never pay for the MQTT client.
  const [{ brokerUrlProblem, brokerCredentialsFromEnv }, { ZigbeeHub }] = await Promise.all([
    import('../../sync/zigbee2mqtt/broker-url.js'),
    import('../../sync/zigbee2mqtt/hub.js'),
  ]);
  const problem = brokerUrlProblem(url);
  if (problem) throw new UsageError(`--mqtt ${problem}`);
  if (/[#+]/.test(opts.baseTopic)) throw new UsageError('--base-topic must not contain # or +');
  const waitMs = (parseWhole(opts.wait, '--wait', 1, 60) ?? 3) * 1000;
  const hub = new ZigbeeHub({ defaultUrl: url, credentials: brokerCredentialsFromEnv(process.env) });
  let found: ZigbeeLockFound[];
  try {
    found = await hub.discover({ baseTopic: opts.baseTopic, waitMs });
  } finally {
    await hub.close();
  }
  if (opts.json) return writeJson(ctx.io, { devices: found });
  if (found.length === 0) {
    ctx.io.out(`Zigbee2MQTT (base topic ${opts.baseTopic}) knows no Kwikset keypad lock.\n`);
    return;
  }
  ctx.io.out(
    table(
      ['Device', 'Model', 'Codes', 'Zigbee model'],
      found.map((d) => [d.device, modelText(d), codesText(d), d.modelId ?? d.z2mModel ?? 'unknown']),
    ),
  );
  ctx.io.out(
    `\nAdd one: keyward lock add --name "Front door" --model ${found[0]!.candidates[0]} --driver zigbee2mqtt --config '${JSON.stringify({ device: found[0]!.device, ...(opts.baseTopic === 'zigbee2mqtt' ? {} : { baseTopic: opts.baseTopic }) })}'\n`,
  );
}

export function registerZigbee(program: Command, ctx: Context): void {
  const zigbee = program.command('zigbee').description('Kwikset locks on Zigbee, through Zigbee2MQTT');
  zigbee
    .command('discover')
    .description('list the Kwikset locks Zigbee2MQTT knows, matched to catalog models')
    .option('--mqtt <url>', 'the MQTT broker Zigbee2MQTT uses (or KEYWARD_MQTT_URL)')
    .option('--base-topic <topic>', "Zigbee2MQTT's base topic", 'zigbee2mqtt')
    .option('--wait <seconds>', 'how long to wait for Zigbee2MQTT to answer', '3')
    .option('--json', 'print JSON')
    .action((opts: DiscoverOptions) => discover(ctx, opts));
}
