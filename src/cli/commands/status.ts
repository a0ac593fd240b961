import type { Command } from 'commander';
import { LOCK_STATE_LABELS, visitSentence } from '../../core/access/lock-state.js';
import { DAY_MS } from '../../core/access/schedule.js';
import { count } from '../../core/plural.js';
import type { LockStatusLine } from '../../store/lock-status.js';
import type { Context } from '../context.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { parseInstant } from './instant.js';
import { iso, parseWhole, type StoreCliOptions, storeOptions, withReader } from './store-cli.js';

export function registerStatus(program: Command, ctx: Context): void {
  storeOptions(
    program
      .command('status')
      .description('what is due: guests leaving, code rotations, low batteries, monthly maintenance')
      .option('--at <time>', 'as of this time (default now)')
      .option('--days <n>', 'look this many days ahead', '7'),
  ).action((opts: StoreCliOptions & { at?: string; days: string }) =>
    withReader(opts, async (reader) => {
      const at = opts.at !== undefined ? parseInstant(opts.at, '--at') : undefined;
      const days = parseWhole(opts.days, '--days', 0, 3660)!;
      // One instant for both reads, made at once: on PostgreSQL they run on two connections.
      const when = at ?? Date.now();
      const [s, locks] = await Promise.all([
        reader.status(when, days * DAY_MS),
        reader.lockStatus(when, days * DAY_MS),
      ]);
      const items = s.items.map((i) => ({ ...i, dueAt: iso(i.dueAt) }));
      if (opts.json)
        return writeJson(ctx.io, {
          at: iso(s.at),
          horizonDays: days,
          counts: s.counts,
          items,
          locks: locks.map((l) => ({
            ...l,
            upcoming: l.upcoming.map((u) => ({ ...u, at: iso(u.at) })),
            visits: l.visits.map((v) => ({ ...v, at: iso(v.at) })),
          })),
        });
      ctx.io.out(lockLines(locks, days));
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

/** Up to this many locks, each has its line. */
const LIST_ALL = 20;

/**
 * The locks' states, the visits keypad-only locks need and who arrives or leaves, as the
 * dashboard shows them; times on each site's clock.
 */
export function lockLines(locks: LockStatusLine[], days: number): string {
  if (locks.length === 0) return '';
  let out = 'Locks\n';
  // A portfolio lists only the locks that need something; a few doors are listed in full.
  const listed = locks.length <= LIST_ALL ? locks : locks.filter((l) => l.state !== 'in-step');
  const width = Math.max(0, ...listed.map((l) => l.name.length));
  for (const l of listed)
    out += `  ${l.name.padEnd(width)}  ${LOCK_STATE_LABELS[l.state]}${l.problem ? `: ${l.problem.message}` : ''}\n`;
  const quiet = locks.length - listed.length;
  if (quiet > 0) out += `  ${listed.length ? 'the other ' : ''}${quiet} locks: In step\n`;
  const visits = locks
    .flatMap((l) => l.visits.map((v) => ({ l, v })))
    .sort((a, b) => (a.v.at ?? 0) - (b.v.at ?? 0));
  if (visits.length > 0) {
    out += '\nVisits to make\n';
    for (const { l, v } of visits) out += `  ${visitSentence(l.name, v, v.local ?? '')}\n`;
  }
  const events = new Map<string, { at: number; line: string; doors: string[] }>();
  for (const l of locks)
    for (const u of l.upcoming) {
      if (u.kind !== 'arrival' && u.kind !== 'departure') continue;
      const key = `${u.credentialId}-${u.kind}-${u.at}`;
      const e = events.get(key) ?? {
        at: u.at,
        line: `${u.local}  ${u.name} ${u.kind === 'arrival' ? 'arrives' : 'leaves'}`,
        doors: [],
      };
      e.doors.push(l.name);
      events.set(key, e);
    }
  out += `\nArrivals and departures in the next ${days} day(s)\n`;
  if (events.size === 0) out += '  none\n';
  for (const e of [...events.values()].sort((a, b) => a.at - b.at))
    out += `  ${e.line} (${e.doors.join(', ')})\n`;
  return `${out}\n`;
}
