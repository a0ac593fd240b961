import { revokeAssignments } from './assignments.js';
import {
  type AuditFn,
  bumpVersion,
  change,
  newId,
  notFound,
  requireName,
  type StoreContext,
  type Trx,
} from './context.js';

/** A person who holds codes, and what leaving means for them. */
export interface Person {
  id: string;
  siteId: string | null;
  name: string;
  version: number;
  createdAt: number;
}

const personOf = (r: {
  id: string;
  site_id: string | null;
  name: string;
  version: number;
  created_at: number;
}): Person => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  version: r.version,
  createdAt: r.created_at,
});

export async function addPerson(
  ctx: StoreContext,
  input: { name: string; siteId?: string | null },
): Promise<Person> {
  return change(ctx, (trx, audit) => insertPerson(ctx, trx, audit, input));
}

/** Inside the caller's transaction. */
export async function insertPerson(
  ctx: StoreContext,
  trx: Trx,
  audit: AuditFn,
  input: { name: string; siteId?: string | null },
): Promise<Person> {
  const name = requireName(input.name, "a person's");
  if (input.siteId) {
    const site = await trx.selectFrom('sites').select('id').where('id', '=', input.siteId).executeTakeFirst();
    if (!site) throw notFound('site', input.siteId);
  }
  const row = { id: newId('per'), site_id: input.siteId ?? null, name, version: 1, created_at: ctx.now() };
  await trx.insertInto('people').values(row).execute();
  await audit({ action: 'person.add', subjectType: 'person', subjectId: row.id, detail: { name } });
  return personOf(row);
}

export async function listPeople(ctx: StoreContext, siteId?: string): Promise<Person[]> {
  let q = ctx.db.selectFrom('people').selectAll();
  if (siteId) q = q.where('site_id', '=', siteId);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(personOf);
}

export async function getPerson(ctx: StoreContext, id: string): Promise<Person> {
  const r = await ctx.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('person', id);
  return personOf(r);
}

export async function renamePerson(
  ctx: StoreContext,
  id: string,
  name: string,
  expectedVersion: number,
): Promise<Person> {
  const n = requireName(name, "a person's");
  return change(ctx, async (trx, audit) => {
    await bumpVersion(trx, 'people', id, expectedVersion);
    await trx.updateTable('people').set({ name: n }).where('id', '=', id).execute();
    await audit({ action: 'person.rename', subjectType: 'person', subjectId: id, detail: { name: n } });
    return personOf(
      await trx.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    );
  });
}

/** A person who leaves loses every code: all of them are revoked in the same transaction. */
export async function removePerson(
  ctx: StoreContext,
  id: string,
  expectedVersion?: number,
): Promise<{ revoked: string[] }> {
  return change(ctx, async (trx, audit) => {
    const person = await trx.selectFrom('people').select('version').where('id', '=', id).executeTakeFirst();
    if (!person) throw notFound('person', id);
    await bumpVersion(trx, 'people', id, expectedVersion ?? person.version);
    const now = ctx.now();
    const creds = await trx
      .selectFrom('credentials')
      .select(['id', 'version'])
      .where('person_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    for (const c of creds) {
      await bumpVersion(trx, 'credentials', c.id, c.version);
      await revokeAssignments(trx, c.id, now);
      await audit({
        action: 'credential.revoke',
        subjectType: 'credential',
        subjectId: c.id,
        detail: { reason: 'person removed' },
      });
    }
    await trx
      .updateTable('credentials')
      .set({ revoked_at: now })
      .where('person_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    await trx.updateTable('credentials').set({ person_id: null }).where('person_id', '=', id).execute();
    await trx.deleteFrom('people').where('id', '=', id).execute();
    await audit({ action: 'person.remove', subjectType: 'person', subjectId: id });
    return { revoked: creds.map((c) => c.id) };
  });
}
