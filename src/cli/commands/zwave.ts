import type { Command } from 'commander';
import { count } from '../../core/plural.js';
import { redactUrl, serialPortProblem, serverUrlProblem } from '../../core/radio/address.js';
import type { AdoptChoice } from '../../sync/zwave/adopt.js';
import type { DiscoveredLock } from '../../sync/zwave/discovery.js';
import type { NodeListing } from '../../sync/zwave/listing.js';
import type { ZWaveTarget } from '../../sync/zwave/target.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { collect, parseWhole, type StoreCliOptions, storeOptions, withStore } from './store-cli.js';

interface NetworkOptions {
  url?: string;
  serialPort?: string;
  wait?: string;
  json?: boolean;
}

function targetOf(opts: NetworkOptions): ZWaveTarget {
  if (opts.url !== undefined && opts.serialPort !== undefined)
    throw new UsageError('give --url or --serial-port, not both');
  // The one address rule (src/core/radio/address.ts), as the API applies it.
  if (opts.url !== undefined) {
    const problem = serverUrlProblem(opts.url);
    if (problem) throw new UsageError(`--url ${problem}`);
    return { url: opts.url };
  }
  if (opts.serialPort !== undefined) {
    const problem = serialPortProblem(opts.serialPort);
    if (problem) throw new UsageError(`--serial-port ${problem}`);
    return { serialPort: opts.serialPort };
  }
  throw new UsageError(
    'give --url ws://... (a zwave-js-server, e.g. Home Assistant) or --serial-port PATH (a Z-Wave stick)',
  );
}

/**
 * Discovery on its own network for the length of one command. zwave-js is loaded only here, so
 * other commands never pay its second of start-up. With --serial-port the stick must be free:
 * while `keyward serve` holds it, use the API (GET /api/v1/zwave/nodes) instead.
 */
async function discover(opts: NetworkOptions, target: ZWaveTarget): Promise<DiscoveredLock[]> {
  const waitS = parseWhole(opts.wait, '--wait', 0, 600) ?? 60;
  const [{ ZWaveHub }, { securityKeysFromEnv }] = await Promise.all([
    import('../../sync/zwave/hub.js'),
    import('../../sync/zwave/options.js'),
  ]);
  const hub = new ZWaveHub({ securityKeys: securityKeysFromEnv() });
  try {
    return await hub.discover(target, waitS * 1000);
  } finally {
    await hub.close();
  }
}

function modelText(n: NodeListing): string {
  if (n.match === 'exact') return n.candidates[0]!;
  if (n.match === 'ambiguous') return `${n.candidates.join(' or ')}?`;
  return 'unknown';
}

function networkOptions(cmd: Command): Command {
  return cmd
    .option(
      '--url <ws-url>',
      'a zwave-js-server (Home Assistant add-on, Z-Wave JS UI), e.g. ws://127.0.0.1:3000',
    )
    .option(
      '--serial-port <path>',
      'a Z-Wave stick Keyward opens itself, e.g. /dev/ttyUSB0 (not while serve has it)',
    )
    .option('--wait <seconds>', 'with --serial-port: wait this long for interviews to finish', '60');
}

/** "5", "5=910": a node id and, where discovery cannot tell, its model. */
function parseNodes(values: string[]): AdoptChoice[] {
  if (values.length === 0)
    throw new UsageError('give --node N (repeatable, or N,M; N=MODEL to name its model)');
  return values.map((v) => {
    const m = /^([0-9]{1,4})(?:=([A-Za-z0-9]{1,16}))?$/.exec(v);
    if (!m) throw new UsageError(`--node ${v}: give a node id such as 5, or 5=910 to say its model`);
    const nodeId = Number(m[1]);
    if (nodeId < 1 || nodeId > 4000) throw new UsageError(`--node ${v}: node ids are 1 to 4000`);
    return { nodeId, ...(m[2] ? { model: m[2] } : {}) };
  });
}

export function registerZWave(program: Command, ctx: Context): void {
  const zwave = program
    .command('zwave')
    .description('Z-Wave: find the Kwikset locks on a network and add them with their codes');

  networkOptions(
    zwave
      .command('discover')
      .description('list the Kwikset locks (manufacturer 0x0090) and the codes they hold, counted')
      .option('--db <url>', 'register to mark nodes already added (default: the data directory)')
      .option('--reveal', 'print the codes too')
      .option('--json', 'machine output'),
  ).action((opts: NetworkOptions & StoreCliOptions & { reveal?: boolean }) =>
    withStore(opts, async (store) => {
      const target = targetOf(opts);
      const found = await discover(opts, target);
      const { listNodes } = await import('../../sync/zwave/listing.js');
      const nodes = listNodes(found, target, await store.listLocks(), Boolean(opts.reveal));
      const network = 'url' in target ? redactUrl(target.url) : target.serialPort;
      if (opts.json) return writeJson(ctx.io, { network, nodes });
      if (nodes.length === 0) {
        ctx.io.out(`no Kwikset locks on ${network}\n`);
        return;
      }
      ctx.io.out(`Kwikset locks on ${network}:\n`);
      ctx.io.out(
        table(
          ['node', 'model', 'codes', 'slots', 'in register', ...(opts.reveal ? ['codes shown'] : [])],
          nodes.map((n) => [
            String(n.nodeId),
            modelText(n),
            n.ready ? String(n.codeCount) : `${n.codeCount} (interview not done)`,
            n.slots.join(',') || '-',
            n.lockId ?? '-',
            ...(opts.reveal
              ? [
                  Object.entries(n.codes ?? {})
                    .map(([s, c]) => `${s}=${c ?? '(hidden)'}`)
                    .join(' ') || '-',
                ]
              : []),
          ]),
        ),
      );
      ctx.io.out(
        'Add them with: keyward zwave adopt --node N [--node M=MODEL] (same --url / --serial-port)\n',
      );
    }),
  );

  storeOptions(
    networkOptions(
      zwave
        .command('adopt')
        .description('add Z-Wave locks to the register, their current codes adopted as credentials')
        .option(
          '--node <id[=model]>',
          'a node to add (repeatable or comma-separated); =MODEL where it is ambiguous',
          collect,
          [],
        )
        .option('--name <name>', 'the lock name (one node only; default "<model> (node N)")')
        .option('--site <id>', 'the site (default: the first one)'),
    ),
  ).action((opts: NetworkOptions & StoreCliOptions & { node: string[]; name?: string; site?: string }) =>
    withStore(opts, async (store) => {
      const target = targetOf(opts);
      const nodes = parseNodes(opts.node);
      if (opts.name !== undefined) {
        if (nodes.length !== 1) throw new UsageError('--name names one lock: give one --node with it');
        nodes[0]!.name = opts.name;
      }
      const found = await discover(opts, target);
      const { adoptLocks } = await import('../../sync/zwave/adopt.js');
      const locks = await adoptLocks(
        store,
        { target, ...(opts.site ? { siteId: opts.site } : {}), nodes },
        found,
      );
      if (opts.json) return writeJson(ctx.io, { locks });
      for (const l of locks) {
        const slots = l.adopted.map((a) => a.slot).join(',');
        ctx.io.out(
          `lock ${l.lockId} added: ${l.name} (model ${l.model}, ${l.driver}, node ${l.nodeId}): ${count(l.adopted.length, 'code')} adopted${slots ? ` from ${l.adopted.length === 1 ? 'slot' : 'slots'} ${slots}` : ''}\n`,
        );
        if (l.masked.length)
          ctx.io.out(
            `  ${l.masked.length === 1 ? 'slot' : 'slots'} ${l.masked.join(',')} hold codes the lock does not show: left unmanaged\n`,
          );
      }
      ctx.io.out(
        'The codes are in the register as "Adopted slot N": rename the people, and `keyward serve` keeps the locks in step.\n',
      );
    }),
  );
}
