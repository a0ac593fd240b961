import type { Command } from 'commander';
import { count } from '../../core/plural.js';
import type { Context } from '../context.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
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
          ['id', 'name', 'rotation', 'time zone'],
          sites.map((s) => [s.id, s.name, s.rotation, s.timeZone ?? utcOffset(s.tzOffsetMinutes)]),
        ),
      );
    }),
  );
  storeOptions(site.command('show').argument('<id>')).action((id: string, opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const s = await store.getSite(id);
      const locks = await store.listLocks(id);
      if (opts.json) return writeJson(ctx.io, { ...siteJson(s), locks: locks.map(lockJson) });
      ctx.io.out(`${s.name} (${s.id}), rotation ${s.rotation}, ${count(locks.length, 'lock')}\n`);
      for (const l of locks) ctx.io.out(`  ${l.id}  ${l.name}  model ${l.model}  driver ${l.driver}\n`);
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
