import type { Command } from 'commander';
import { findModel } from '../../core/catalog/index.js';
import { zigbeeLockConfig, zigbeeLockProblems } from '../../server/zigbee-lock.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { parseInstant } from './instant.js';
import { lockNamed, siteNamed } from './names.js';
import { lockJson } from './register-json.js';
import { siteTime } from './site-time.js';
import {
  expectedVersion,
  type StoreCliOptions,
  storeOptions,
  type VersionOptions,
  withStore,
} from './store-cli.js';

// `keyward lock`: the register's locks, their desired slots, battery and upkeep.

/** What removing a lock does to the codes on it, in a host's words. */
function removalWords(
  name: string,
  codes: ReadonlyArray<{ name: string; locks: ReadonlyArray<{ lockId: string; status: string }> }>,
  lockId: string,
): string {
  const here = codes.filter((c) => c.locks.some((l) => l.lockId === lockId && l.status !== 'removed'));
  if (here.length === 0) return `${name} holds no code from Keyward.`;
  const only = here.filter((c) => !c.locks.some((l) => l.lockId !== lockId && l.status !== 'removed'));
  const list = (xs: typeof here) => xs.map((c) => c.name).join(', ');
  const lines = [
    `${name} holds ${here.length === 1 ? "1 person's code" : `${here.length} people's codes`}: ${list(here)}.`,
    'Keyward stops looking after this door: codes already in the lock stay there until someone deletes them at the keypad (or resets the lock).',
  ];
  if (only.length) lines.push(`${list(only)} will be on no door at all; their other locks are not touched.`);
  return lines.join('\n');
}

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerLock(program: Command, ctx: Context): void {
  const lock = program.command('lock').description('locks: one door each, with its model and driver');
  storeOptions(
    lock
      .command('add')
      .argument('<name>')
      .requiredOption('--site <site>', 'the site the door belongs to (id or name)')
      .requiredOption('--model <id>', 'lock model, e.g. 264, 910 (keyward models)')
      .option('--driver <kind>', 'sim, manual, zwave, zwave-server or zigbee2mqtt', 'manual')
      .option(
        '--config <json>',
        'driver settings as JSON, e.g. {"url":"ws://hass:3000","nodeId":7} or {"device":"front_door"}',
      )
      .option('--programming <code>', "the lock's programming code, if not the factory default"),
  ).action(
    (
      name: string,
      opts: StoreCliOptions & {
        site: string;
        model: string;
        driver: string;
        config?: string;
        programming?: string;
      },
    ) =>
      withStore(opts, async (store) => {
        let driverConfig: Record<string, unknown> = {};
        if (opts.config !== undefined) {
          try {
            driverConfig = JSON.parse(opts.config) as Record<string, unknown>;
          } catch {
            throw new UsageError('--config is not valid JSON');
          }
          if (typeof driverConfig !== 'object' || driverConfig === null || Array.isArray(driverConfig)) {
            throw new UsageError('--config must be a JSON object');
          }
        }
        if (opts.driver === 'zigbee2mqtt') {
          const c = driverConfig as { device?: string; baseTopic?: string; mqttUrl?: string };
          const problems = zigbeeLockProblems(c);
          if (problems.length > 0) throw new UsageError(`--config: ${problems[0]}`);
          driverConfig = zigbeeLockConfig(c);
        }
        const l = await store.addLock({
          siteId: (await siteNamed(store, opts.site)).id,
          name,
          model: opts.model,
          driver: opts.driver,
          driverConfig,
          ...(opts.programming !== undefined ? { programmingCode: opts.programming } : {}),
        });
        if (opts.json) return writeJson(ctx.io, lockJson(l));
        ctx.io.out(`lock ${l.id} added: ${l.name} (model ${l.model}, ${l.driver})\n`);
      }),
  );
  storeOptions(lock.command('list').option('--site <site>', 'only this site (id or name)')).action(
    (opts: StoreCliOptions & { site?: string }) =>
      withStore(opts, async (store) => {
        const locks = await store.listLocks(opts.site ? (await siteNamed(store, opts.site)).id : undefined);
        if (opts.json) return writeJson(ctx.io, locks.map(lockJson));
        ctx.io.out(
          table(
            ['id', 'name', 'model', 'driver', 'battery V/cell'],
            locks.map((l) => [
              l.id,
              l.name,
              l.model,
              l.driver,
              l.voltsPerCell === null ? '-' : String(l.voltsPerCell),
            ]),
          ),
        );
      }),
  );
  storeOptions(
    lock
      .command('show')
      .argument('<lock>', 'its id or its name')
      .option('--at <time>', 'desired slots at this time (default now)'),
  ).action((which: string, opts: StoreCliOptions & { at?: string }) =>
    withStore(opts, async (store) => {
      const found = await lockNamed(store, which);
      const site = await store.getSite(found.siteId);
      const v = await store.lockView(
        found.id,
        opts.at !== undefined ? parseInstant(opts.at, '--at') : undefined,
      );
      if (opts.json) return writeJson(ctx.io, lockJson(v));
      const model = findModel(v.model);
      ctx.io.out(`${v.name} (${v.id}), model ${v.model}, driver ${v.driver}, ${model?.slots ?? '?'} slots\n`);
      if (v.voltsPerCell !== null)
        ctx.io.out(`battery: ${v.voltsPerCell} V per cell at ${siteTime(v.batteryAt, site)}\n`);
      ctx.io.out(
        v.slots.length
          ? table(
              ['slot', 'code', 'status', 'error'],
              v.slots.map((s) => [String(s.slot), s.name ?? '(unmanaged)', s.status, s.error ?? '']),
            )
          : 'no codes belong on this lock now\n',
      );
      if (v.unplaced.length) ctx.io.out(`no free slot for: ${v.unplaced.join(', ')}\n`);
      if (v.nextChange !== null) ctx.io.out(`next change: ${siteTime(v.nextChange, site)}\n`);
    }),
  );
  storeOptions(
    lock
      .command('remove')
      .argument('<lock>', 'its id or its name')
      .option('--yes', 'remove without asking')
      .option('--version <n>', 'refuse if the lock changed since this version'),
  ).action((which: string, opts: VersionOptions & { yes?: boolean }) =>
    withStore(opts, async (store) => {
      const l = await lockNamed(store, which);
      const codes = await store.listCredentials({ lockId: l.id });
      const what = removalWords(l.name, codes, l.id);
      if (!opts.yes) {
        if (!ctx.io.isTty || opts.json)
          throw new UsageError(`${what.replace(/\n/g, ' ')} Run again with --yes to remove it.`);
        ctx.io.out(`${what}\n`);
        if (!(await confirm(`Remove ${l.name}? [y/N] `))) {
          ctx.io.out('nothing removed\n');
          return;
        }
      }
      await store.removeLock(l.id, expectedVersion(opts));
      if (opts.json) return writeJson(ctx.io, { removed: l.id, codes: codes.map((c) => c.id) });
      ctx.io.out(`${l.name} removed.\n`);
    }),
  );
  storeOptions(
    lock
      .command('battery')
      .description('record a battery reading')
      .argument('<lock>', 'its id or its name')
      .argument('<volts>', 'volts per AA cell'),
  ).action((which: string, volts: string, opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const id = (await lockNamed(store, which)).id;
      const v = Number(volts);
      if (volts.trim() === '' || !Number.isFinite(v))
        throw new UsageError(`"${volts}" is not a number of volts`);
      const l = await store.recordBattery(id, v);
      if (opts.json) return writeJson(ctx.io, lockJson(l));
      ctx.io.out(`${l.name}: ${v} V per cell recorded\n`);
    }),
  );
  storeOptions(
    lock
      .command('maintained')
      .description('record the monthly check as done')
      .argument('<lock>', 'its id or its name'),
  ).action((which: string, opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const id = (await lockNamed(store, which)).id;
      const l = await store.recordMaintenance(id);
      if (opts.json) return writeJson(ctx.io, lockJson(l));
      ctx.io.out(`${l.name}: monthly check recorded\n`);
    }),
  );
}
