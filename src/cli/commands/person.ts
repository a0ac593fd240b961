import type { Command } from 'commander';
import { count } from '../../core/plural.js';
import type { Context } from '../context.js';
import { writeJson } from '../io.js';
import { table } from '../table.js';
import { personNamed, siteNamed } from './names.js';
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
    person.command('add').argument('<name>').option('--site <site>', 'the site they belong to (id or name)'),
  ).action((name: string, opts: StoreCliOptions & { site?: string }) =>
    withStore(opts, async (store) => {
      const p = await store.addPerson({
        name,
        siteId: opts.site ? (await siteNamed(store, opts.site)).id : null,
      });
      if (opts.json) return writeJson(ctx.io, personJson(p));
      ctx.io.out(`person ${p.id} added: ${p.name}\n`);
    }),
  );
  storeOptions(person.command('list').option('--site <site>', 'only this site (id or name)')).action(
    (opts: StoreCliOptions & { site?: string }) =>
      withStore(opts, async (store) => {
        const people = await store.listPeople(opts.site ? (await siteNamed(store, opts.site)).id : undefined);
        if (opts.json) return writeJson(ctx.io, people.map(personJson));
        ctx.io.out(
          table(
            ['id', 'name', 'site'],
            people.map((p) => [p.id, p.name, p.siteId ?? '-']),
          ),
        );
      }),
  );
  storeOptions(person.command('show').argument('<person>', 'their id or name')).action(
    (which: string, opts: StoreCliOptions) =>
      withStore(opts, async (store) => {
        const id = (await personNamed(store, which)).id;
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
      .argument('<person>', 'their id or name')
      .option('--version <n>', 'refuse if the person changed since this version'),
  ).action((which: string, opts: VersionOptions) =>
    withStore(opts, async (store) => {
      const id = (await personNamed(store, which)).id;
      const { revoked } = await store.removePerson(id, expectedVersion(opts));
      if (opts.json) return writeJson(ctx.io, { removed: id, revoked });
      ctx.io.out(`person ${id} removed; ${count(revoked.length, 'code')} revoked\n`);
    }),
  );
}
