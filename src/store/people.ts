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

/** A guest whose stay is over, or a code revoked: kept for the record, with when it came off. */
export interface PastCredential {
  id: string;
  name: string;
  kind: 'guest' | 'permanent';
  personName: string | null;
  startsAt: number | null;
  endsAt: number | null;
  revokedAt: number | null;
  /** When the last lock confirmed it gone; null while some lock still holds it. */
  removedAt: number | null;
  lockNames: string[];
}

/**
 * Past guests and revoked codes, the most recently ended first, filtered by a part of the code's
 * or its holder's name (case-insensitive, as a host types it).
 */
export async function pastCredentials(
  ctx: StoreContext,
  opts: { at: number; q?: string; limit?: number },
): Promise<PastCredential[]> {
  const q = ctx.db
    .selectFrom('credentials as c')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.name',
      'c.kind',
      'p.name as person_name',
      'c.starts_at',
      'c.ends_at',
      'c.revoked_at',
      'c.cleared_at',
    ])
    .where((eb) =>
      eb.or([
        eb('c.revoked_at', 'is not', null),
        eb.and([eb('c.kind', '=', 'guest'), eb('c.ends_at', '<=', opts.at)]),
      ]),
    );
  // Filtered here rather than with LIKE: the two databases escape patterns differently.
  const text = opts.q?.trim().toLowerCase();
  const rows = (await q.execute()).filter(
    (r) => !text || r.name.toLowerCase().includes(text) || !!r.person_name?.toLowerCase().includes(text),
  );
  const ended = (r: (typeof rows)[number]) =>
    Math.min(r.revoked_at ?? Number.POSITIVE_INFINITY, r.ends_at ?? Number.POSITIVE_INFINITY);
  rows.sort((a, b) => ended(b) - ended(a) || (a.id < b.id ? -1 : 1));
  const shown = rows.slice(0, opts.limit ?? 200);
  const names = new Map<string, string[]>();
  if (shown.length > 0) {
    const locks = await ctx.db
      .selectFrom('credential_locks as cl')
      .innerJoin('locks as l', 'l.id', 'cl.lock_id')
      .select(['cl.credential_id', 'l.name'])
      .where(
        'cl.credential_id',
        'in',
        shown.map((r) => r.id),
      )
      .execute();
    for (const l of locks) names.set(l.credential_id, [...(names.get(l.credential_id) ?? []), l.name]);
  }
  return shown.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind as 'guest' | 'permanent',
    personName: r.person_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    revokedAt: r.revoked_at,
    removedAt: r.cleared_at,
    lockNames: names.get(r.id) ?? [],
  }));
}
