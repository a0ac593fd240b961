import type { Command } from 'commander';
import { CSV_HEADER, csvField, csvRow } from '../../activity/csv.js';
import { ACTIVITY_LABELS, ACTIVITY_TYPES, isActivityType } from '../../core/activity/kinds.js';
import { type ActivityFilter, listActivity } from '../../store/activity.js';
import type { Store } from '../../store/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { parseInstant } from './instant.js';
import { collect, parseWhole, type StoreCliOptions, storeOptions, withStore } from './store-cli.js';

interface ActivityOptions extends StoreCliOptions {
  lock?: string;
  person?: string;
  credential?: string;
  type?: string[];
  since?: string;
  until?: string;
  before?: string;
  limit?: string;
  csv?: boolean;
}

/** A lock or person named by id or by name (exact, any case); one line and exit 2 otherwise. */
function pick<T extends { id: string; name: string }>(all: T[], ref: string, what: string): T {
  const byId = all.find((x) => x.id === ref);
  if (byId) return byId;
  const named = all.filter((x) => x.name.toLowerCase() === ref.toLowerCase());
  if (named.length === 1) return named[0]!;
  throw new UsageError(
    named.length > 1 ? `${named.length} ${what}s are called "${ref}": give the id` : `no ${what} "${ref}"`,
  );
}

async function filterOf(store: Store, o: ActivityOptions): Promise<ActivityFilter> {
  const types = o.type ?? [];
  for (const t of types)
    if (!isActivityType(t))
      throw new UsageError(`--type ${t}: not a kind of event (${ACTIVITY_TYPES.join(', ')})`);
  return {
    ...(o.lock ? { lockId: pick(await store.listLocks(), o.lock, 'lock').id } : {}),
    ...(o.person ? { personId: pick(await store.listPeople(), o.person, 'person').id } : {}),
    ...(o.credential ? { credentialId: o.credential } : {}),
    ...(types.length ? { type: types } : {}),
    ...(o.since ? { since: parseInstant(o.since, '--since') } : {}),
    ...(o.until ? { until: parseInstant(o.until, '--until') } : {}),
    ...(o.before ? { before: o.before } : {}),
  };
}

export function registerActivity(program: Command, ctx: Context): void {
  storeOptions(
    program
      .command('activity')
      .description(
        'what happened at the locks, newest first: codes used, guests arrived, codes set or failed, batteries',
      )
      .option('--lock <id|name>', 'one lock')
      .option('--person <id|name>', 'one person')
      .option('--credential <id>', 'one code (by its id)')
      .option('--type <types>', `kinds of event, comma-separated (${ACTIVITY_TYPES.join(', ')})`, collect)
      .option('--since <time>', 'from this time (2026-07-01, 2026-07-01T15:00:00Z)')
      .option('--until <time>', 'before this time')
      .option('--before <cursor>', 'the page after this one (the "next" of --json)')
      .option('--limit <n>', 'how many (default 50; with --csv every matching event up to 100000)')
      .option('--csv', 'CSV for a spreadsheet'),
  ).action((o: ActivityOptions) =>
    withStore(o, async (store) => {
      const filter = await filterOf(store, o);
      const limit = parseWhole(o.limit, '--limit', 1, 100_000) ?? (o.csv ? 100_000 : 50);
      const names = new Map((await store.listLocks()).map((l) => [l.id, l.name]));
      if (o.csv) {
        ctx.io.out(`${CSV_HEADER.map(csvField).join(',')}\r\n`);
        let left = limit;
        let before = filter.before;
        while (left > 0) {
          const page = await listActivity(store.ctx, {
            ...filter,
            limit: Math.min(1000, left),
            ...(before ? { before } : {}),
          });
          for (const e of page.events) ctx.io.out(`${csvRow(e, (id) => names.get(id))}\r\n`);
          left -= page.events.length;
          if (!page.next) break;
          before = page.next;
        }
        return;
      }
      const page = await listActivity(store.ctx, { ...filter, limit: Math.min(limit, 1000) });
      if (o.json) return writeJson(ctx.io, page);
      if (page.events.length === 0) {
        ctx.io.out('Nothing happened that matches.\n');
        return;
      }
      for (const e of page.events) {
        const what = isActivityType(e.type) ? ACTIVITY_LABELS[e.type] : e.type;
        const where = e.lockId ? (names.get(e.lockId) ?? e.lockId) : '';
        const who = e.personName ?? '';
        const slot = e.slot === null ? '' : `slot ${e.slot}`;
        ctx.io.out(
          `${new Date(e.at).toISOString().slice(0, 16).replace('T', ' ')}  ${[what, where, who, slot].filter(Boolean).join('  ·  ')}\n`,
        );
      }
      if (page.next) ctx.io.out(`More: --before ${page.next}\n`);
    }),
  );
}
