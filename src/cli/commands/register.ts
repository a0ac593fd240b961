import type { Command } from 'commander';
import { parseWindows } from '../../core/access/schedule.js';
import { findModel } from '../../core/catalog/index.js';
import { isKeywardError, KeywardError } from '../../core/errors.js';
import type { Credential, LockView, Person, Site, Store } from '../../store/index.js';
import type { Context } from '../context.js';
import { UsageError } from '../exit.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import {
  collect,
  iso,
  parseTime,
  parseWhole,
  type StoreCliOptions,
  storeOptions,
  withStore,
} from './store-cli.js';

interface RemoveOptions extends StoreCliOptions {
  version?: string;
}

const version = (opts: RemoveOptions) => parseWhole(opts.version, '--version', 1, 2 ** 31);

function utcOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function siteJson(s: Site) {
  return { ...s, createdAt: iso(s.createdAt) };
}

function lockJson(l: Omit<LockView, 'slots' | 'unplaced' | 'nextChange'> & Partial<LockView>) {
  return {
    ...l,
    batteryAt: iso(l.batteryAt),
    maintainedAt: iso(l.maintainedAt),
    createdAt: iso(l.createdAt),
    ...(l.nextChange !== undefined ? { nextChange: iso(l.nextChange) } : {}),
  };
}

function personJson(p: Person) {
  return { ...p, createdAt: iso(p.createdAt) };
}

function credentialJson(c: Credential) {
  return {
    ...c,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
    codeSetAt: iso(c.codeSetAt),
    rotateDueAt: iso(c.rotateDueAt),
    revokedAt: iso(c.revokedAt),
    createdAt: iso(c.createdAt),
  };
}

function registerSite(program: Command, ctx: Context): void {
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
      ctx.io.out(`${s.name} (${s.id}), rotation ${s.rotation}, ${locks.length} lock(s)\n`);
      for (const l of locks) ctx.io.out(`  ${l.id}  ${l.name}  model ${l.model}  driver ${l.driver}\n`);
    }),
  );
  storeOptions(
    site
      .command('remove')
      .argument('<id>')
      .option('--version <n>', 'refuse if the site changed since this version'),
  ).action((id: string, opts: RemoveOptions) =>
    withStore(opts, async (store) => {
      await store.removeSite(id, version(opts));
      if (opts.json) return writeJson(ctx.io, { removed: id });
      ctx.io.out(`site ${id} removed\n`);
    }),
  );
}

function registerLock(program: Command, ctx: Context): void {
  const lock = program.command('lock').description('locks: one door each, with its model and driver');
  storeOptions(
    lock
      .command('add')
      .argument('<name>')
      .requiredOption('--site <id>', 'the site the door belongs to')
      .requiredOption('--model <id>', 'lock model, e.g. 264, 910 (keyward models)')
      .option('--driver <kind>', 'sim, manual, zwave or zwave-server', 'manual')
      .option('--config <json>', 'driver settings as JSON, e.g. {"url":"ws://hass:3000","nodeId":7}')
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
  ).action((id: string, opts: RemoveOptions) =>
    withStore(opts, async (store) => {
      await store.removeLock(id, version(opts));
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

function registerPerson(program: Command, ctx: Context): void {
  const person = program.command('person').description('people: each may hold several codes');
  storeOptions(
    person.command('add').argument('<name>').option('--site <id>', 'the site they belong to'),
  ).action((name: string, opts: StoreCliOptions & { site?: string }) =>
    withStore(opts, async (store) => {
      const p = await store.addPerson({ name, siteId: opts.site ?? null });
      if (opts.json) return writeJson(ctx.io, personJson(p));
      ctx.io.out(`person ${p.id} added: ${p.name}\n`);
    }),
  );
  storeOptions(person.command('list').option('--site <id>', 'only this site')).action(
    (opts: StoreCliOptions & { site?: string }) =>
      withStore(opts, async (store) => {
        const people = await store.listPeople(opts.site);
        if (opts.json) return writeJson(ctx.io, people.map(personJson));
        ctx.io.out(
          table(
            ['id', 'name', 'site'],
            people.map((p) => [p.id, p.name, p.siteId ?? '-']),
          ),
        );
      }),
  );
  storeOptions(person.command('show').argument('<id>')).action((id: string, opts: StoreCliOptions) =>
    withStore(opts, async (store) => {
      const p = await store.getPerson(id);
      const codes = await store.listCredentials({ personId: id });
      if (opts.json) return writeJson(ctx.io, { ...personJson(p), credentials: codes.map(credentialJson) });
      ctx.io.out(`${p.name} (${p.id}), ${codes.length} code(s)\n`);
      for (const c of codes)
        ctx.io.out(`  ${c.id}  ${c.name}  ${c.kind}  on ${c.locks.map((l) => l.lockName).join(', ')}\n`);
    }),
  );
  storeOptions(
    person
      .command('remove')
      .argument('<id>')
      .option('--version <n>', 'refuse if the person changed since this version'),
  ).action((id: string, opts: RemoveOptions) =>
    withStore(opts, async (store) => {
      const { revoked } = await store.removePerson(id, version(opts));
      if (opts.json) return writeJson(ctx.io, { removed: id, revoked });
      ctx.io.out(`person ${id} removed; ${revoked.length} code(s) revoked\n`);
    }),
  );
}

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

function registerCode(program: Command, ctx: Context): void {
  const code = program
    .command('code')
    .description('codes (credentials): permanent or guest, on one or more locks');
  storeOptions(
    code
      .command('add')
      .argument('<name>', 'what the code is called, e.g. "Ann" or "Guest 12-15 July"')
      .option('--lock <ids>', 'lock id(s) the code opens (repeat or comma-separate)', collect)
      .option('--code <digits>', 'the code; "-" reads it from standard input (keeps it out of shell history)')
      .option('--generate', 'draw a random code that every lock accepts')
      .option('--person <id>', 'whose code it is')
      .option('--kind <kind>', 'permanent or guest', 'permanent')
      .option('--starts <time>', 'from (ISO date/time)')
      .option('--ends <time>', 'until (ISO date/time); guests need it')
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
      if (digits !== undefined && !/^[0-9]+$/.test(digits)) throw new UsageError('a code is digits 0-9 only');
      if (opts.kind !== 'permanent' && opts.kind !== 'guest')
        throw new UsageError('--kind must be permanent or guest');
      if (opts.rotation !== undefined && opts.rotation !== 'annual' && opts.rotation !== 'quarterly') {
        throw new UsageError('--rotation must be annual or quarterly');
      }
      const useLimit = parseWhole(opts.uses, '--uses', 1, 1_000_000);
      const input = {
        name,
        code: digits ?? '',
        kind: opts.kind as 'permanent' | 'guest',
        personId: opts.person ?? null,
        lockIds: opts.lock,
        startsAt: opts.starts !== undefined ? parseTime(opts.starts, '--starts') : null,
        endsAt: opts.ends !== undefined ? parseTime(opts.ends, '--ends') : null,
        windows: opts.windows !== undefined ? parseWindows(opts.windows) : [],
        useLimit: useLimit ?? null,
        ...(opts.rotation !== undefined ? { rotation: opts.rotation as 'annual' | 'quarterly' } : {}),
      };
      const c = opts.generate
        ? await generateFor(store, input.lockIds, (code) => store.addCredential({ ...input, code }))
        : await store.addCredential(input);
      const shown = opts.reveal
        ? { ...c, code: (await store.getCredential(c.id, { reveal: true })).code }
        : c;
      if (opts.json) return writeJson(ctx.io, credentialJson(shown));
      ctx.io.out(
        `code ${c.id} added: ${c.name} on ${c.locks.map((l) => `${l.lockName} slot ${l.slot}`).join(', ')}\n`,
      );
      if (shown.code !== undefined) ctx.io.out(`code: ${shown.code}\n`);
      else if (opts.generate) ctx.io.out(`see it with: keyward code show ${c.id} --reveal\n`);
    }),
  );
  storeOptions(
    code
      .command('list')
      .option('--person <id>', 'only this person')
      .option('--lock <id>', 'only codes on this lock')
      .option('--all', 'include revoked codes'),
  ).action((opts: StoreCliOptions & { person?: string; lock?: string; all?: boolean }) =>
    withStore(opts, async (store) => {
      const codes = await store.listCredentials({
        ...(opts.person ? { personId: opts.person } : {}),
        ...(opts.lock ? { lockId: opts.lock } : {}),
        includeRevoked: Boolean(opts.all),
      });
      if (opts.json) return writeJson(ctx.io, codes.map(credentialJson));
      ctx.io.out(
        table(
          ['id', 'name', 'kind', 'ends', 'locks'],
          codes.map((c) => [
            c.id,
            c.name,
            c.kind,
            iso(c.endsAt) ?? '-',
            c.locks.map((l) => `${l.lockName}#${l.slot}`).join(', '),
          ]),
        ),
      );
    }),
  );
  storeOptions(code.command('show').argument('<id>').option('--reveal', 'print the code')).action(
    (id: string, opts: StoreCliOptions & { reveal?: boolean }) =>
      withStore(opts, async (store) => {
        const c = await store.getCredential(id, { reveal: Boolean(opts.reveal) });
        if (opts.json) return writeJson(ctx.io, credentialJson(c));
        ctx.io.out(`${c.name} (${c.id}), ${c.kind}${c.revokedAt !== null ? ', revoked' : ''}\n`);
        if (c.code !== undefined) ctx.io.out(`code: ${c.code}\n`);
        if (c.startsAt !== null || c.endsAt !== null)
          ctx.io.out(`from ${iso(c.startsAt) ?? '-'} until ${iso(c.endsAt) ?? '-'}\n`);
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
      .argument('<id>')
      .option('--code <digits>', 'the new code; "-" reads it from standard input')
      .option('--generate', 'draw a random new code that every lock accepts')
      .option('--version <n>', 'refuse if the code changed since this version')
      .option('--reveal', 'print the new code'),
  ).action((id: string, opts: RemoveOptions & { code?: string; generate?: boolean; reveal?: boolean }) =>
    withStore(opts, async (store) => {
      if ((opts.code === undefined) === !opts.generate)
        throw new UsageError('give either --code or --generate');
      const digits = opts.code === '-' ? ctx.io.readStdin().trim() : opts.code;
      if (digits !== undefined && !/^[0-9]+$/.test(digits)) throw new UsageError('a code is digits 0-9 only');
      const expected = version(opts);
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
      .argument('<id>')
      .option('--version <n>', 'refuse if the code changed since this version'),
  ).action((id: string, opts: RemoveOptions) =>
    withStore(opts, async (store) => {
      const c = await store.revokeCredential(id, version(opts));
      if (opts.json) return writeJson(ctx.io, credentialJson(c));
      ctx.io.out(`code ${id} revoked; it comes off ${c.locks.length} lock(s)\n`);
    }),
  );
}

export function registerRegister(program: Command, ctx: Context): void {
  registerSite(program, ctx);
  registerLock(program, ctx);
  registerPerson(program, ctx);
  registerCode(program, ctx);
}
