import type { Command } from 'commander';
import { parseWindows } from '../../core/access/schedule.js';
import { TIME_RULE, timeProblem } from '../../core/access/time.js';
import type { CredentialEdit, Site } from '../../store/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { parseInstant } from './instant.js';
import { credentialNamed, lockIdsNamed } from './names.js';
import { credentialJson } from './register-json.js';
import { siteOfLock, siteTime } from './site-time.js';
import { collect, parseWhole, type StoreCliOptions, storeOptions, withStore } from './store-cli.js';

// `keyward code edit`: a stay changed in place; the digits and every slot kept.

// Each flag has the name `code add` gives it and a shorter one; commander keeps the last.
interface CodeEditOptions extends StoreCliOptions {
  name?: string;
  from?: string;
  to?: string;
  window?: string;
  maxUses?: string;
  lock?: string[];
  addLock?: string[];
  removeLock?: string[];
}

const NONE = 'none';

/**
 * A date alone ("2026-07-12") means the site's check-in time for a start and its check-out time
 * for an end, in the site's zone; anything else is read by the one time rule.
 */
export async function timeFlag(
  site: Site | null,
  text: string,
  flag: string,
  which: 'in' | 'out',
): Promise<number | null> {
  if (text === NONE) return null;
  if (site && /^\d{4}-\d{2}-\d{2}$/.test(text.trim())) {
    // The day itself by the one rule first: 2026-02-30 is refused, never rolled into March.
    parseInstant(text, flag);
    const { siteInstant } = await import('../../store/site-settings.js');
    const t = siteInstant(site, text.trim(), which === 'in' ? site.checkInTime : site.checkOutTime);
    if (timeProblem(t)) throw new UsageError(`${flag}: ${JSON.stringify(text)} ${TIME_RULE}`);
    return t;
  }
  return parseInstant(text, flag);
}

/** Weekly hours on a keypad-only door mean a visit each time they start and end. */
export async function keypadNote(
  store: { getLock(id: string): Promise<{ name: string; driver: string }> },
  lockIds: readonly string[],
  weekly: boolean,
): Promise<string | null> {
  if (!weekly) return null;
  const manual = (await Promise.all(lockIds.map((id) => store.getLock(id)))).filter(
    (l) => l.driver === 'manual',
  );
  if (manual.length === 0) return null;
  return `note: ${manual.map((l) => l.name).join(' and ')} ${manual.length > 1 ? 'are' : 'is'} keypad-only: with weekly hours someone has to go to the door each day they start and end, to type the code in and take it out.`;
}

export function registerCodeEdit(code: Command, ctx: Context): void {
  storeOptions(
    code
      .command('edit')
      .description(
        'change a code in place: name, dates, weekly hours, use limit, locks; the digits and slots stay',
      )
      .argument('<code>', 'the code: its id or its name')
      .option('--name <name>', 'a new name')
      .option('--starts, --from <time>', 'from (a date alone: the check-in time); "none" clears it')
      .option('--ends, --to <time>', 'until (a date alone: the check-out time); "none" clears it')
      .option('--windows, --window <spec>', 'weekly hours, e.g. "mon-fri 08:00-18:00"; "none": at all hours')
      .option('--uses, --max-uses <n>', 'use limit (1 = one-time code); "none": no limit')
      .option('--lock <locks>', 'every lock the code should be on, ids or names (replaces the list)', collect)
      .option('--add-lock <locks>', 'put the code on these locks too', collect)
      .option('--remove-lock <locks>', 'take the code off these locks', collect),
  ).action((which: string, opts: CodeEditOptions) =>
    withStore(opts, async (store) => {
      const c = await credentialNamed(store, which);
      const site = await siteOfLock(store, c.locks[0]?.lockId);
      const edit: CredentialEdit = {};
      if (opts.name !== undefined) edit.name = opts.name;
      if (opts.from !== undefined) edit.startsAt = await timeFlag(site, opts.from, '--from', 'in');
      if (opts.to !== undefined) edit.endsAt = await timeFlag(site, opts.to, '--to', 'out');
      if (opts.window !== undefined) edit.windows = opts.window === NONE ? [] : parseWindows(opts.window);
      if (opts.maxUses !== undefined)
        edit.maxUses = opts.maxUses === NONE ? null : parseWhole(opts.maxUses, '--max-uses', 1, 1_000_000)!;
      if (opts.lock !== undefined && (opts.addLock !== undefined || opts.removeLock !== undefined))
        throw new UsageError('give --lock (the whole list) or --add-lock/--remove-lock, not both');
      const on = c.locks
        .filter((l) => l.status !== 'removed' && l.status !== 'removing')
        .map((l) => l.lockId);
      if (opts.lock !== undefined) edit.lockIds = await lockIdsNamed(store, opts.lock);
      else {
        if (opts.addLock !== undefined) edit.addLockIds = await lockIdsNamed(store, opts.addLock);
        if (opts.removeLock !== undefined) edit.removeLockIds = await lockIdsNamed(store, opts.removeLock);
      }
      if (Object.keys(edit).length === 0)
        throw new UsageError(
          'nothing to change: give --name, --from, --to, --window, --max-uses or a lock option',
        );
      const after = await store.editCredential(c.id, edit);
      if (opts.json) return writeJson(ctx.io, credentialJson(after));
      const shown = await siteOfLock(store, after.locks[0]?.lockId);
      const lines = [`${after.name} changed (same code).`];
      if (after.startsAt !== null || after.endsAt !== null)
        lines.push(`  from ${siteTime(after.startsAt, shown)} until ${siteTime(after.endsAt, shown)}`);
      if (after.useLimit !== null) lines.push(`  uses: ${after.uses} of ${after.useLimit}`);
      for (const l of after.locks) {
        if (l.status === 'removed') continue;
        const note = on.includes(l.lockId)
          ? l.status === 'removing'
            ? 'coming off'
            : 'kept'
          : 'new: it will be set';
        lines.push(`  ${l.lockName}: slot ${l.slot} (${note})`);
      }
      const visits = await keypadNote(
        store,
        after.locks.filter((l) => l.status !== 'removed' && l.status !== 'removing').map((l) => l.lockId),
        after.windows.length > 0,
      );
      if (visits) lines.push(visits);
      ctx.io.out(`${lines.join('\n')}\n`);
    }),
  );
}
