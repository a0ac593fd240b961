import type { Command } from 'commander';
import { findModel } from '../../core/catalog/index.js';
import { zigbeeLockConfig, zigbeeLockProblems } from '../../server/zigbee-lock.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { lockJson } from './register-json.js';
import {
  expectedVersion,
  iso,
  parseTime,
  type StoreCliOptions,
  storeOptions,
  type VersionOptions,
  withStore,
} from './store-cli.js';

// `keyward lock`: the register's locks, their desired slots, battery and upkeep.

export function registerLock(program: Command, ctx: Context): void {
  const lock = program.command('lock').description('locks: one door each, with its model and driver');
  storeOptions(
    lock
      .command('add')
      .argument('<name>')
      .requiredOption('--site <id>', 'the site the door belongs to')
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
          siteId: opts.site,
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
  storeOptions(lock.command('list').option('--site <id>', 'only this site')).action(
    (opts: StoreCliOptions & { site?: string }) =>
      withStore(opts, async (store) => {
        const locks = await store.listLocks(opts.site);
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
    lock.command('show').argument('<id>').option('--at <time>', 'desired slots at this time (default now)'),
  ).action((id: string, opts: StoreCliOptions & { at?: string }) =>
    withStore(opts, async (store) => {
      const v = await store.lockView(id, opts.at !== undefined ? parseTime(opts.at, '--at') : undefined);
      if (opts.json) return writeJson(ctx.io, lockJson(v));
      const model = findModel(v.model);
      ctx.io.out(`${v.name} (${v.id}), model ${v.model}, driver ${v.driver}, ${model?.slots ?? '?'} slots\n`);
      if (v.voltsPerCell !== null)
        ctx.io.out(`battery: ${v.voltsPerCell} V per cell at ${iso(v.batteryAt)}\n`);
      ctx.io.out(
        v.slots.length
          ? table(
              ['slot', 'code', 'status', 'error'],
              v.slots.map((s) => [String(s.slot), s.name ?? '(unmanaged)', s.status, s.error ?? '']),
            )
          : 'no codes belong on this lock now\n',
      );
      if (v.unplaced.length) ctx.io.out(`no free slot for: ${v.unplaced.join(', ')}\n`);
      if (v.nextChange !== null) ctx.io.out(`next change: ${iso(v.nextChange)}\n`);
    }),
  );
  storeOptions(
    lock
      .command('remove')
      .argument('<id>')
      .option('--version <n>', 'refuse if the lock changed since this version'),
  ).action((id: string, opts: VersionOptions) =>
    withStore(opts, async (store) => {
      await store.removeLock(id, expectedVersion(opts));
      if (opts.json) return writeJson(ctx.io, { removed: id });
      ctx.io.out(`lock ${id} removed (its codes stay in the register)\n`);
    }),
  );
  storeOptions(
    lock
      .command('battery')
      .description('record a battery reading')
      .argument('<id>')
      .argument('<volts>', 'volts per AA cell'),
  ).action((id: string, volts: string, opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const v = Number(volts);
      if (volts.trim() === '' || !Number.isFinite(v))
        throw new UsageError(`"${volts}" is not a number of volts`);
      const l = await store.recordBattery(id, v);
      if (opts.json) return writeJson(ctx.io, lockJson(l));
      ctx.io.out(`${l.name}: ${v} V per cell recorded\n`);
    }),
  );
  storeOptions(
    lock.command('maintained').description('record the monthly check as done').argument('<id>'),
  ).action((id: string, opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const l = await store.recordMaintenance(id);
      if (opts.json) return writeJson(ctx.io, lockJson(l));
      ctx.io.out(`${l.name}: monthly check recorded\n`);
    }),
  );
}
