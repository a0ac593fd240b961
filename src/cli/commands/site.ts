import type { Command } from 'commander';
import { count } from '../../core/plural.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { siteNamed } from './names.js';
import { lockJson, siteJson } from './register-json.js';
import {
  expectedVersion,
  parseWhole,
  type StoreCliOptions,
  storeOptions,
  type VersionOptions,
  withStore,
} from './store-cli.js';

// `keyward site`: sites, each with its time zone and rotation policy.

function utcOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function registerSite(program: Command, ctx: Context): void {
  const site = program.command('site').description('sites: a house, a building, a portfolio of doors');
  storeOptions(
    site
      .command('add')
      .argument('<name>')
      .option('--rotation <policy>', 'code rotation: annual or quarterly', 'annual')
      .option('--time-zone <name>', 'IANA time zone for weekly windows, e.g. America/New_York')
      .option('--tz-offset <minutes>', 'or a fixed offset from UTC in minutes (no clock changes); default 0'),
  ).action(
    (name: string, opts: StoreCliOptions & { rotation: string; tzOffset?: string; timeZone?: string }) =>
      withStore(opts, async (store) => {
        const tz =
          opts.tzOffset === undefined ? undefined : parseWhole(opts.tzOffset, '--tz-offset', -840, 840)!;
        const s = await store.addSite({
          name,
          rotation: opts.rotation,
          ...(tz !== undefined ? { tzOffsetMinutes: tz } : {}),
          ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
        });
        if (opts.json) return writeJson(ctx.io, siteJson(s));
        ctx.io.out(`site ${s.id} added: ${s.name}\n`);
      }),
  );
  storeOptions(site.command('list')).action((opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const sites = await store.listSites();
      if (opts.json) return writeJson(ctx.io, sites.map(siteJson));
      ctx.io.out(
        table(
          ['id', 'name', 'rotation', 'time zone', 'check-in', 'check-out'],
          sites.map((s) => [
            s.id,
            s.name,
            s.rotation,
            s.timeZone ?? utcOffset(s.tzOffsetMinutes),
            s.checkInTime,
            s.checkOutTime,
          ]),
        ),
      );
    }),
  );
  storeOptions(site.command('show').argument('<site>', 'its id or its name')).action(
    (which: string, opts: StoreCliOptions) =>
      withStore(opts, async (store) => {
        const s = await siteNamed(store, which);
        const locks = await store.listLocks(s.id);
        if (opts.json) return writeJson(ctx.io, { ...siteJson(s), locks: locks.map(lockJson) });
        ctx.io.out(
          `${s.name} (${s.id}), rotation ${s.rotation}, ${s.timeZone ?? utcOffset(s.tzOffsetMinutes)}, check-in ${s.checkInTime}, check-out ${s.checkOutTime}, ${count(locks.length, 'lock')}\n`,
        );
        for (const l of locks) ctx.io.out(`  ${l.id}  ${l.name}  model ${l.model}  driver ${l.driver}\n`);
      }),
  );
  storeOptions(
    site
      .command('set')
      .description("change a site's check-in and check-out times (guests' stays default to them)")
      .argument('<site>', 'its id or its name')
      .option('--check-in <HH:MM>', 'when guests arrive, e.g. 16:00 (site time)')
      .option('--check-out <HH:MM>', 'when guests leave, e.g. 11:00 (site time)'),
  ).action((which: string, opts: StoreCliOptions & { checkIn?: string; checkOut?: string }) =>
    withStore(opts, async (store) => {
      if (opts.checkIn === undefined && opts.checkOut === undefined)
        throw new UsageError('nothing to change: give --check-in or --check-out');
      const s = await store.setSiteCheckTimes((await siteNamed(store, which)).id, {
        ...(opts.checkIn !== undefined ? { checkInTime: opts.checkIn } : {}),
        ...(opts.checkOut !== undefined ? { checkOutTime: opts.checkOut } : {}),
      });
      if (opts.json) return writeJson(ctx.io, siteJson(s));
      ctx.io.out(`${s.name}: check-in ${s.checkInTime}, check-out ${s.checkOutTime}\n`);
    }),
  );
  storeOptions(
    site
      .command('remove')
      .argument('<id>')
      .option('--version <n>', 'refuse if the site changed since this version'),
  ).action((id: string, opts: VersionOptions) =>
    withStore(opts, async (store) => {
      await store.removeSite(id, expectedVersion(opts));
      if (opts.json) return writeJson(ctx.io, { removed: id });
      ctx.io.out(`site ${id} removed\n`);
    }),
  );
}
