import type { Command } from 'commander';
import { parseWindows } from '../../core/access/schedule.js';
import { isKeywardError, KeywardError } from '../../core/errors.js';
import type { Credential, Store } from '../../store/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { keypadNote, registerCodeEdit, timeFlag } from './code-edit.js';
import { credentialNamed, lockIdsNamed, lockNamed, personNamed } from './names.js';
import { credentialJson } from './register-json.js';
import { siteOfLock, siteTime } from './site-time.js';
import {
  collect,
  expectedVersion,
  parseWhole,
  type StoreCliOptions,
  storeOptions,
  type VersionOptions,
  withStore,
} from './store-cli.js';

// `keyward code`: the codes themselves: add (typed or generated), list, show, rotate, remove.

interface CodeAddOptions extends StoreCliOptions {
  lock?: string[];
  code?: string;
  generate?: boolean;
  person?: string;
  kind: string;
  starts?: string;
  ends?: string;
  windows?: string;
  uses?: string;
  rotation?: string;
  reveal?: boolean;
}

/** Drawn from the CSPRNG, fitted to the locks' models; the register has the last word on prefixes. */
async function generateFor(
  store: Store,
  lockIds: string[],
  save: (code: string) => Promise<Credential>,
): Promise<Credential> {
  const locks = await Promise.all(lockIds.map((id) => store.getLock(id)));
  const [{ generateCodes }, { cryptoRandom }, { factoryState }, { getModel }] = await Promise.all([
    import('../../core/codes/generator.js'),
    import('../../sync/random.js'),
    import('../../core/codes/lock-state.js'),
    import('../../core/catalog/index.js'),
  ]);
  const states = locks.map((l) => factoryState(getModel(l.model)));
  let last: unknown;
  for (let attempt = 0; attempt < 25; attempt++) {
    const [code] = generateCodes({ locks: states, count: 1 }, cryptoRandom).codes;
    try {
      return await save(code!);
    } catch (e) {
      // A prefix already taken on one of the locks: draw again.
      if (!isKeywardError(e) || e.code !== 'BAD_INPUT' || !e.details?.rejected) throw e;
      last = e;
    }
  }
  throw new KeywardError(
    'NO_CODE_POSSIBLE',
    `no generated code fit every lock after 25 draws: ${(last as Error).message}`,
  );
}

export function registerCode(program: Command, ctx: Context): void {
  const code = program
    .command('code')
    .description('codes (credentials): permanent or guest, on one or more locks');
  storeOptions(
    code
      .command('add')
      .argument('<name>', 'what the code is called, e.g. "Ann" or "Guest 12-15 July"')
      .option('--lock <locks>', 'the locks the code opens, ids or names (repeat or comma-separate)', collect)
      .option('--code <digits>', 'the code; "-" reads it from standard input (keeps it out of shell history)')
      .option('--generate', 'draw a random code that every lock accepts')
      .option('--person <person>', 'whose code it is (id or name)')
      .option('--kind <kind>', 'permanent or guest', 'permanent')
      .option('--starts <time>', 'from (ISO date/time; a date alone: the site check-in time)')
      .option('--ends <time>', 'until (ISO date/time; a date alone: the site check-out time); guests need it')
      .option('--windows <spec>', 'weekly hours, e.g. "mon-fri 08:00-18:00; sat 09:00-12:00"')
      .option('--uses <n>', 'use limit (1 = one-time code)')
      .option('--rotation <policy>', 'annual or quarterly (default: the site policy)')
      .option('--reveal', 'print the code'),
  ).action((name: string, opts: CodeAddOptions) =>
    withStore(opts, async (store) => {
      if (!opts.lock?.length) throw new UsageError('give at least one --lock');
      if ((opts.code === undefined) === !opts.generate)
        throw new UsageError('give either --code or --generate');
      const digits = opts.code === '-' ? ctx.io.readStdin().trim() : opts.code;
      if (digits !== undefined && !/^[0-9]+$/.test(digits))
        throw new UsageError('--code: a code is digits 0-9 only (nothing else is taken, not even spaces)');
      if (opts.kind !== 'permanent' && opts.kind !== 'guest')
        throw new UsageError('--kind must be permanent or guest');
      if (opts.rotation !== undefined && opts.rotation !== 'annual' && opts.rotation !== 'quarterly') {
        throw new UsageError('--rotation must be annual or quarterly');
      }
      const useLimit = parseWhole(opts.uses, '--uses', 1, 1_000_000);
      const lockIds = await lockIdsNamed(store, opts.lock);
      // A date alone is the site's check-in (or check-out) time that day, as `code edit` reads it.
      const site = await siteOfLock(store, lockIds[0]);
      const input = {
        name,
        code: digits ?? '',
        kind: opts.kind as 'permanent' | 'guest',
        personId: opts.person !== undefined ? (await personNamed(store, opts.person)).id : null,
        lockIds,
        startsAt: opts.starts !== undefined ? await timeFlag(site, opts.starts, '--starts', 'in') : null,
        endsAt: opts.ends !== undefined ? await timeFlag(site, opts.ends, '--ends', 'out') : null,
        windows: opts.windows !== undefined ? parseWindows(opts.windows) : [],
        useLimit: useLimit ?? null,
        ...(opts.rotation !== undefined ? { rotation: opts.rotation as 'annual' | 'quarterly' } : {}),
      };
      const c = opts.generate
        ? await generateFor(store, input.lockIds, (code) => store.addCredential({ ...input, code }))
        : await store.addCredential(input).catch((e: unknown) => {
            // A clash with a code already on a lock: drawing one is the quickest way out.
            if (isKeywardError(e) && e.details?.rejected)
              throw new UsageError(`${e.message} (or let Keyward draw one: --generate)`);
            throw e;
          });
      const shown = opts.reveal
        ? { ...c, code: (await store.getCredential(c.id, { reveal: true })).code }
        : c;
      if (opts.json) return writeJson(ctx.io, credentialJson(shown));
      ctx.io.out(
        `code ${c.id} added: ${c.name} on ${c.locks.map((l) => `${l.lockName} slot ${l.slot}`).join(', ')}\n`,
      );
      const visits = await keypadNote(store, input.lockIds, input.windows.length > 0);
      if (visits) ctx.io.out(`${visits}\n`);
      if (shown.code !== undefined) ctx.io.out(`code: ${shown.code}\n`);
      else if (opts.generate) ctx.io.out(`see it with: keyward code show ${c.id} --reveal\n`);
    }),
  );
  storeOptions(
    code
      .command('list')
      .option('--person <person>', 'only this person (id or name)')
      .option('--lock <lock>', 'only codes on this lock (id or name)')
      .option('--all', 'include revoked codes'),
  ).action((opts: StoreCliOptions & { person?: string; lock?: string; all?: boolean }) =>
    withStore(opts, async (store) => {
      const codes = await store.listCredentials({
        ...(opts.person ? { personId: (await personNamed(store, opts.person)).id } : {}),
        ...(opts.lock ? { lockId: (await lockNamed(store, opts.lock)).id } : {}),
        includeRevoked: Boolean(opts.all),
      });
      if (opts.json) return writeJson(ctx.io, codes.map(credentialJson));
      // Each code's times in the zone of its own locks' site.
      const sites = new Map((await store.listSites()).map((x) => [x.id, x]));
      const siteOfLockId = new Map((await store.listLocks()).map((l) => [l.id, sites.get(l.siteId) ?? null]));
      const siteFor = (c: (typeof codes)[number]) => siteOfLockId.get(c.locks[0]?.lockId ?? '') ?? null;
      ctx.io.out(
        table(
          ['id', 'name', 'kind', 'ends', 'locks'],
          codes.map((c) => [
            c.id,
            c.name,
            c.kind,
            siteTime(c.endsAt, siteFor(c)),
            c.locks.map((l) => `${l.lockName}#${l.slot}`).join(', '),
          ]),
        ),
      );
    }),
  );
  storeOptions(
    code.command('show').argument('<code>', 'its id or its name').option('--reveal', 'print the code'),
  ).action((which: string, opts: StoreCliOptions & { reveal?: boolean }) =>
    withStore(opts, async (store) => {
      const c = await store.getCredential((await credentialNamed(store, which)).id, {
        reveal: Boolean(opts.reveal),
      });
      const site = await siteOfLock(store, c.locks[0]?.lockId);
      if (opts.json) return writeJson(ctx.io, credentialJson(c));
      ctx.io.out(`${c.name} (${c.id}), ${c.kind}${c.revokedAt !== null ? ', revoked' : ''}\n`);
      if (c.code !== undefined) ctx.io.out(`code: ${c.code}\n`);
      if (c.startsAt !== null || c.endsAt !== null)
        ctx.io.out(`from ${siteTime(c.startsAt, site)} until ${siteTime(c.endsAt, site)}\n`);
      if (c.useLimit !== null) ctx.io.out(`uses: ${c.uses} of ${c.useLimit}\n`);
      ctx.io.out(
        table(
          ['lock', 'slot', 'status', 'error'],
          c.locks.map((l) => [l.lockName, String(l.slot), l.status, l.error ?? '']),
        ),
      );
    }),
  );
  storeOptions(
    code
      .command('rotate')
      .description('replace a code with a new one on the same locks, for the same holder and schedule')
      .argument('<code>', 'its id or its name')
      .option('--code <digits>', 'the new code; "-" reads it from standard input')
      .option('--generate', 'draw a random new code that every lock accepts')
      .option('--version <n>', 'refuse if the code changed since this version')
      .option('--reveal', 'print the new code'),
  ).action((which: string, opts: VersionOptions & { code?: string; generate?: boolean; reveal?: boolean }) =>
    withStore(opts, async (store) => {
      const id = (await credentialNamed(store, which)).id;
      if ((opts.code === undefined) === !opts.generate)
        throw new UsageError('give either --code or --generate');
      const digits = opts.code === '-' ? ctx.io.readStdin().trim() : opts.code;
      if (digits !== undefined && !/^[0-9]+$/.test(digits)) throw new UsageError('a code is digits 0-9 only');
      const expected = expectedVersion(opts);
      const old = await store.getCredential(id);
      const rotate = (c: string) => store.rotateCredential(id, c, expected);
      const c =
        digits !== undefined
          ? await rotate(digits)
          : await generateFor(
              store,
              old.locks.map((l) => l.lockId),
              rotate,
            );
      const shown = opts.reveal
        ? { ...c, code: (await store.getCredential(c.id, { reveal: true })).code }
        : c;
      if (opts.json) return writeJson(ctx.io, { replaced: id, ...credentialJson(shown) });
      ctx.io.out(
        `code ${id} replaced by ${c.id}: ${c.locks.map((l) => `${l.lockName} slot ${l.slot}`).join(', ')}\n`,
      );
      if (shown.code !== undefined) ctx.io.out(`code: ${shown.code}\n`);
    }),
  );
  storeOptions(
    code
      .command('remove')
      .argument('<code>', 'its id or its name')
      .option('--version <n>', 'refuse if the code changed since this version'),
  ).action((which: string, opts: VersionOptions) =>
    withStore(opts, async (store) => {
      const id = (await credentialNamed(store, which)).id;
      const c = await store.revokeCredential(id, expectedVersion(opts));
      if (opts.json) return writeJson(ctx.io, credentialJson(c));
      const n = c.locks.filter((l) => l.status !== 'removed').length;
      ctx.io.out(`${c.name} removed; it comes off ${n} ${n === 1 ? 'lock' : 'locks'}\n`);
    }),
  );
  registerCodeEdit(code, ctx);
}
