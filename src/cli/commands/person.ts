import type { Command } from 'commander';
import { count } from '../../core/plural.js';
import type { Context } from '../context.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { credentialJson, personJson } from './register-json.js';
import {
  expectedVersion,
  type StoreCliOptions,
  storeOptions,
  type VersionOptions,
  withStore,
} from './store-cli.js';

// `keyward person`: the people who hold codes.

export function registerPerson(program: Command, ctx: Context): void {
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
      ctx.io.out(`${p.name} (${p.id}), ${count(codes.length, 'code')}\n`);
      for (const c of codes)
        ctx.io.out(`  ${c.id}  ${c.name}  ${c.kind}  on ${c.locks.map((l) => l.lockName).join(', ')}\n`);
    }),
  );
  storeOptions(
    person
      .command('rename')
      .argument('<id>')
      .argument('<name>')
      .option('--version <n>', 'refuse if the person changed since this version'),
  ).action((id: string, name: string, opts: VersionOptions) =>
    withStore(opts, async (store) => {
      const p = await store.renamePerson(
        id,
        name,
        expectedVersion(opts) ?? (await store.getPerson(id)).version,
      );
      if (opts.json) return writeJson(ctx.io, personJson(p));
      ctx.io.out(`person ${p.id} is now ${p.name}\n`);
    }),
  );
  storeOptions(
    person
      .command('remove')
      .argument('<id>')
      .option('--version <n>', 'refuse if the person changed since this version'),
  ).action((id: string, opts: VersionOptions) =>
    withStore(opts, async (store) => {
      const { revoked } = await store.removePerson(id, expectedVersion(opts));
      if (opts.json) return writeJson(ctx.io, { removed: id, revoked });
      ctx.io.out(`person ${id} removed; ${count(revoked.length, 'code')} revoked\n`);
    }),
  );
}
