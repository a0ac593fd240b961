import type { Command } from 'commander';
import type { Context } from '../context.js';
import { EXIT_REJECTED, UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { collect, iso, parseWhole, type StoreCliOptions, storeOptions, withStore } from './store-cli.js';

// `keyward calendar`: booking calendars (ICS) whose bookings become guest codes (docs/calendars.md).

interface AddOptions extends StoreCliOptions {
  lock?: string[];
  checkIn?: string;
  checkOut?: string;
  bufferBefore?: string;
  bufferAfter?: string;
  codeFrom?: string;
  refreshMinutes?: string;
  misses?: string;
  allowPrivateUrls?: boolean;
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

function clock(text: string | undefined, flag: string): string | undefined {
  if (text !== undefined && !CLOCK.test(text))
    throw new UsageError(`${flag} takes a time of day such as 16:00`);
  return text;
}

const when = (ms: number | null) => (ms === null ? 'never' : (iso(ms) ?? ''));

export function registerCalendar(program: Command, ctx: Context): void {
  const cal = program.command('calendar').description('booking calendars: each booking becomes a guest code');
  storeOptions(
    cal
      .command('add')
      .argument('<name>')
      .argument('<url>', "the calendar's ICS address (Airbnb, Vrbo, Booking.com, your PMS)")
      .option('--lock <ids>', 'lock id(s) its guests open (repeat or comma-separate)', collect)
      .option(
        '--check-in <hh:mm>',
        "arrival time of all-day bookings, site time (default: the site's check-in time)",
      )
      .option(
        '--check-out <hh:mm>',
        "departure time of all-day bookings, site time (default: the site's check-out time)",
      )
      .option('--buffer-before <minutes>', 'open the door this long before arrival')
      .option('--buffer-after <minutes>', 'keep it open this long after departure')
      .option('--code-from <source>', "phone-last-4 (the guest's phone when given) or generate")
      .option('--refresh-minutes <n>', 'how often to fetch it (default 10)')
      .option('--misses <n>', 'fetches a booking may be missing before its code is cancelled (default 2)')
      .option('--allow-private-urls', 'allow an address on this machine or a private network'),
  ).action((name: string, url: string, opts: AddOptions) =>
    withStore(opts, async (store) => {
      if (!opts.lock?.length) throw new UsageError('give at least one --lock');
      const { urlProblem } = await import('../../calendar/outbound-url.js');
      const problem = urlProblem(url, Boolean(opts.allowPrivateUrls));
      if (problem) throw new UsageError(`url: ${problem}`);
      if (opts.codeFrom !== undefined && opts.codeFrom !== 'phone-last-4' && opts.codeFrom !== 'generate')
        throw new UsageError('--code-from takes phone-last-4 or generate');
      const { addCalendar } = await import('../../store/calendars.js');
      const input = {
        name,
        url,
        lockIds: opts.lock,
        checkInTime: clock(opts.checkIn, '--check-in'),
        checkOutTime: clock(opts.checkOut, '--check-out'),
        bufferBeforeMinutes: parseWhole(opts.bufferBefore, '--buffer-before', 0, 1440),
        bufferAfterMinutes: parseWhole(opts.bufferAfter, '--buffer-after', 0, 1440),
        codeFrom: opts.codeFrom as 'phone-last-4' | 'generate' | undefined,
        refreshMinutes: parseWhole(opts.refreshMinutes, '--refresh-minutes', 1, 1440),
        missesBeforeCancel: parseWhole(opts.misses, '--misses', 1, 20),
      };
      const c = await addCalendar(store.ctx, input);
      if (opts.json) return writeJson(ctx.io, c);
      ctx.io.out(
        `calendar ${c.id} added: ${c.name}; bookings arrive at the next fetch (keyward calendar refresh ${c.id})\n`,
      );
    }),
  );
  storeOptions(cal.command('list')).action((opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const { listCalendars } = await import('../../store/calendars.js');
      const list = await listCalendars(store.ctx);
      if (opts.json) return writeJson(ctx.io, list);
      ctx.io.out(
        table(
          ['id', 'name', 'locks', 'last fetch', 'problem'],
          list.map((c) => [c.id, c.name, String(c.lockIds.length), when(c.lastFetchAt), c.lastError ?? '-']),
        ),
      );
    }),
  );
  storeOptions(cal.command('show').argument('<id>')).action((id: string, opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const { getCalendar } = await import('../../store/calendars.js');
      const c = await getCalendar(store.ctx, id);
      if (opts.json) return writeJson(ctx.io, c);
      ctx.io.out(
        `${c.name} (${c.id}): last fetch ${when(c.lastFetchAt)}${c.lastError ? `, failed: ${c.lastError}` : ''}\n`,
      );
      ctx.io.out(
        table(
          ['guest', 'arrives', 'leaves', 'status', 'code'],
          c.bookings.map((b) => [
            b.name,
            when(b.startsAt),
            when(b.endsAt),
            b.problem ?? b.status,
            b.credentialId ?? '-',
          ]),
        ),
      );
    }),
  );
  storeOptions(
    cal
      .command('refresh')
      .argument('<id>')
      .option('--allow-private-urls', 'allow an address on this machine or a private network'),
  ).action((id: string, opts: StoreCliOptions & { allowPrivateUrls?: boolean }) =>
    withStore(opts, async (store) => {
      const { refreshLeased } = await import('../../calendar/refresh.js');
      const r = (await refreshLeased(store, id, `cli:${process.pid}`, {
        allowPrivateUrls: Boolean(opts.allowPrivateUrls),
      }))!;
      if (opts.json) return writeJson(ctx.io, r);
      if (r.error) {
        ctx.io.err(`the calendar could not be fetched: ${r.error}; its bookings stay as they were\n`);
        ctx.exitCode = EXIT_REJECTED;
        return;
      }
      ctx.io.out(
        `${r.added} added, ${r.changed} changed, ${r.cancelled} cancelled, ${r.unchanged} unchanged\n`,
      );
    }),
  );
  storeOptions(
    cal
      .command('remove')
      .argument('<id>')
      .option('--revoke-codes', 'also cancel the codes of its guests (by default they keep working)'),
  ).action((id: string, opts: StoreCliOptions & { revokeCodes?: boolean }) =>
    withStore(opts, async (store) => {
      const { removeCalendar } = await import('../../store/calendars.js');
      const { revoked } = await removeCalendar(store.ctx, id, { revokeCodes: Boolean(opts.revokeCodes) });
      if (opts.json) return writeJson(ctx.io, { removed: id, revoked });
      ctx.io.out(
        `calendar ${id} removed; ${revoked.length === 1 ? "1 guest's code" : `${revoked.length} guests' codes`} cancelled\n`,
      );
    }),
  );
}
