import type { Command } from 'commander';
import { DAY_MS } from '../../core/access/schedule.js';
import { count } from '../../core/plural.js';
import type { Context } from '../context.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { iso, parseTime, parseWhole, type StoreCliOptions, storeOptions, withReader } from './store-cli.js';

export function registerStatus(program: Command, ctx: Context): void {
  storeOptions(
    program
      .command('status')
      .description('what is due: guests leaving, code rotations, low batteries, monthly maintenance')
      .option('--at <time>', 'as of this time (default now)')
      .option('--days <n>', 'look this many days ahead', '7'),
  ).action((opts: StoreCliOptions & { at?: string; days: string }) =>
    withReader(opts, async (reader) => {
      const at = opts.at !== undefined ? parseTime(opts.at, '--at') : undefined;
      const days = parseWhole(opts.days, '--days', 0, 3660)!;
      const s = await reader.status(at, days * DAY_MS);
      const items = s.items.map((i) => ({ ...i, dueAt: iso(i.dueAt) }));
      if (opts.json) return writeJson(ctx.io, { at: iso(s.at), horizonDays: days, counts: s.counts, items });
      if (items.length === 0) {
        ctx.io.out(`nothing due in the next ${count(days, 'day')}\n`);
        return;
      }
      ctx.io.out(
        table(
          ['due', 'what', 'subject', ''],
          items.map((i) => [
            i.dueAt!.slice(0, 16).replace('T', ' '),
            i.kind,
            i.subject.name,
            i.overdue ? 'OVERDUE' : '',
          ]),
        ),
      );
      const c = s.counts;
      ctx.io.out(
        `\n${count(c['guest-departure'] ?? 0, 'guest departure')}, ${count(c.rotation ?? 0, 'rotation')}, ${c.battery} battery, ${c.maintenance} maintenance; ${c.overdue} overdue\n`,
      );
    }),
  );
}
