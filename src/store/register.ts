import type { RotationPolicy } from '../core/access/policies.js';
import { findModel, MODELS } from '../core/catalog/index.js';
import { isDigits } from '../core/codes/keypad.js';
import { KeywardError } from '../core/errors.js';
import { refreshCleared, revokeAssignments } from './assignments.js';
import {
  type AuditFn,
  aad,
  bumpVersion,
  change,
  newId,
  notFound,
  type StoreContext,
  type Trx,
} from './context.js';
import { DRIVERS, type DriverKind } from './kinds.js';
import { ianaZone, isTimeZone } from './time-zone.js';

export { DRIVERS, type DriverKind };

export interface Site {
  id: string;
  name: string;
  tzOffsetMinutes: number;
  /** IANA time zone; when set, weekly windows follow its clock changes. */
  timeZone: string | null;
  rotation: RotationPolicy;
  version: number;
  createdAt: number;
}

export interface Lock {
  id: string;
  siteId: string;
  name: string;
  model: string;
  driver: DriverKind;
  driverConfig: Record<string, unknown>;
  hasProgrammingCode: boolean;
  voltsPerCell: number | null;
  batteryAt: number | null;
  maintainedAt: number;
  version: number;
  createdAt: number;
}

export interface Person {
  id: string;
  siteId: string | null;
  name: string;
  version: number;
  createdAt: number;
}

function requireName(name: string, what: string): string {
  const n = name.trim();
  if (!n || n.length > 200) throw new KeywardError('BAD_INPUT', `${what} name must be 1-200 characters`);
  return n;
}

function parseRotation(value: string | undefined): RotationPolicy {
  const r = value ?? 'annual';
  if (r !== 'annual' && r !== 'quarterly')
    throw new KeywardError('BAD_INPUT', `rotation must be annual or quarterly, not "${r}"`);
  return r;
}

const siteOf = (r: {
  id: string;
  name: string;
  tz_offset_minutes: number;
  time_zone: string | null;
  rotation: string;
  version: number;
  created_at: number;
}): Site => ({
  id: r.id,
  name: r.name,
  tzOffsetMinutes: r.tz_offset_minutes,
  timeZone: r.time_zone,
  rotation: r.rotation as RotationPolicy,
  version: r.version,
  createdAt: r.created_at,
});

export async function addSite(
  ctx: StoreContext,
  input: { name: string; rotation?: string; tzOffsetMinutes?: number; timeZone?: string },
): Promise<Site> {
  const name = requireName(input.name, 'a site');
  const rotation = parseRotation(input.rotation);
  const timeZone = input.timeZone ?? null;
  if (timeZone !== null && !isTimeZone(timeZone)) {
    throw new KeywardError(
      'BAD_INPUT',
      `"${timeZone}" is not a time zone this system knows: use an IANA name such as America/New_York`,
    );
  }
  if (timeZone !== null && input.tzOffsetMinutes !== undefined) {
    throw new KeywardError('BAD_INPUT', 'give a site a time zone or a fixed offset, not both');
  }
  // The offset column keeps the zone's current offset: a reader that knows only offsets is close.
  const tz = timeZone !== null ? ianaZone(timeZone).offsetAt(ctx.now()) : (input.tzOffsetMinutes ?? 0);
  if (!Number.isInteger(tz) || tz < -14 * 60 || tz > 14 * 60) {
    throw new KeywardError('BAD_INPUT', 'the time zone offset must be whole minutes between -840 and 840');
  }
  return change(ctx, async (trx, audit) => {
    const row = {
      id: newId('site'),
      name,
      tz_offset_minutes: tz,
      time_zone: timeZone,
      rotation,
      version: 1,
      created_at: ctx.now(),
    };
    await trx.insertInto('sites').values(row).execute();
    await audit({
      action: 'site.add',
      subjectType: 'site',
      subjectId: row.id,
      detail: { name, rotation, timeZone },
    });
    return siteOf(row);
  });
}

export async function listSites(ctx: StoreContext): Promise<Site[]> {
  return (await ctx.db.selectFrom('sites').selectAll().orderBy('created_at').orderBy('id').execute()).map(
    siteOf,
  );
}

export async function getSite(ctx: StoreContext, id: string): Promise<Site> {
  const r = await ctx.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('site', id);
  return siteOf(r);
}

export async function removeSite(ctx: StoreContext, id: string, expectedVersion?: number): Promise<void> {
  await change(ctx, async (trx, audit) => {
    const site = await trx.selectFrom('sites').select(['version']).where('id', '=', id).executeTakeFirst();
    if (!site) throw notFound('site', id);
    const locks = await trx.selectFrom('locks').select('id').where('site_id', '=', id).execute();
    if (locks.length)
      throw new KeywardError('BAD_INPUT', `site ${id} still has ${locks.length} lock(s): remove them first`);
    await bumpVersion(trx, 'sites', id, expectedVersion ?? site.version);
    await trx.updateTable('people').set({ site_id: null }).where('site_id', '=', id).execute();
    await trx.deleteFrom('sites').where('id', '=', id).execute();
    await audit({ action: 'site.remove', subjectType: 'site', subjectId: id });
  });
}

type LockRow = {
  id: string;
  site_id: string;
  name: string;
  model: string;
  driver: string;
  driver_config: string;
  programming_code_enc: string | null;
  volts_per_cell: number | null;
  battery_at: number | null;
  maintained_at: number;
  version: number;
  created_at: number;
};

export const lockOf = (r: LockRow): Lock => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  model: r.model,
  driver: r.driver as DriverKind,
  driverConfig: JSON.parse(r.driver_config) as Record<string, unknown>,
  hasProgrammingCode: r.programming_code_enc !== null,
  voltsPerCell: r.volts_per_cell,
  batteryAt: r.battery_at,
  maintainedAt: r.maintained_at,
  version: r.version,
  createdAt: r.created_at,
});

export interface LockInput {
  siteId: string;
  name: string;
  model: string;
  driver?: string;
  driverConfig?: Record<string, unknown>;
  programmingCode?: string | null;
}

export async function addLock(ctx: StoreContext, input: LockInput): Promise<Lock> {
  return change(ctx, (trx, audit) => insertLock(ctx, trx, audit, input));
}

/** Inside the caller's transaction (adding Z-Wave locks with their codes is one change). */
export async function insertLock(
  ctx: StoreContext,
  trx: Trx,
  audit: AuditFn,
  input: LockInput,
): Promise<Lock> {
  const name = requireName(input.name, 'a lock');
  const model = findModel(input.model);
  if (!model) {
    throw new KeywardError(
      'UNKNOWN_MODEL',
      `unknown model "${input.model}" (known: ${MODELS.map((m) => m.id).join(', ')})`,
    );
  }
  const driver = (input.driver ?? 'manual') as DriverKind;
  if (!DRIVERS.includes(driver))
    throw new KeywardError('BAD_INPUT', `driver must be one of ${DRIVERS.join(', ')}`);
  const pc = input.programmingCode ?? null;
  if (pc !== null) {
    if (!model.programmingCode)
      throw new KeywardError('BAD_INPUT', `model ${model.id} has no programming code`);
    const { min, max } = model.programmingCode.length;
    if (!isDigits(pc) || pc.length < min || pc.length > max) {
      throw new KeywardError('BAD_INPUT', `the programming code of a ${model.id} is ${min}-${max} digits`);
    }
  }
  const site = await trx.selectFrom('sites').select('id').where('id', '=', input.siteId).executeTakeFirst();
  if (!site) throw notFound('site', input.siteId);
  const id = newId('lock');
  const now = ctx.now();
  const row: LockRow = {
    id,
    site_id: input.siteId,
    name,
    model: model.id,
    driver,
    driver_config: JSON.stringify(input.driverConfig ?? {}),
    programming_code_enc: pc === null ? null : ctx.sealer.seal(pc, aad.programming(id)),
    volts_per_cell: null,
    battery_at: null,
    maintained_at: now,
    version: 1,
    created_at: now,
  };
  await trx.insertInto('locks').values(row).execute();
  await audit({
    action: 'lock.add',
    subjectType: 'lock',
    subjectId: id,
    detail: { name, model: model.id, driver },
  });
  return lockOf(row);
}

export async function listLocks(ctx: StoreContext, siteId?: string): Promise<Lock[]> {
  let q = ctx.db.selectFrom('locks').selectAll();
  if (siteId) q = q.where('site_id', '=', siteId);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(lockOf);
}

export async function getLock(ctx: StoreContext, id: string): Promise<Lock> {
  const r = await ctx.db.selectFrom('locks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('lock', id);
  return lockOf(r);
}

/** The credentials stay in the register; only this lock's share of them goes. */
export async function removeLock(ctx: StoreContext, id: string, expectedVersion?: number): Promise<void> {
  await change(ctx, async (trx, audit) => {
    const lock = await trx.selectFrom('locks').select('version').where('id', '=', id).executeTakeFirst();
    if (!lock) throw notFound('lock', id);
    await bumpVersion(trx, 'locks', id, expectedVersion ?? lock.version);
    const holders = await trx
      .selectFrom('credential_locks')
      .select('credential_id')
      .where('lock_id', '=', id)
      .execute();
    for (const t of ['credential_locks', 'lock_slots', 'deleted_codes', 'battery_readings'] as const) {
      await trx.deleteFrom(t).where('lock_id', '=', id).execute();
    }
    await trx.deleteFrom('locks').where('id', '=', id).execute();
    await refreshCleared(
      trx,
      holders.map((h) => h.credential_id),
      ctx.now(),
    );
    await audit({ action: 'lock.remove', subjectType: 'lock', subjectId: id });
  });
}

export async function recordBattery(ctx: StoreContext, lockId: string, voltsPerCell: number): Promise<Lock> {
  if (!Number.isFinite(voltsPerCell) || voltsPerCell < 0 || voltsPerCell > 2) {
    throw new KeywardError('BAD_INPUT', 'battery volts per AA cell must be between 0 and 2');
  }
  return change(ctx, async (trx, audit) => {
    const lock = await trx.selectFrom('locks').select('version').where('id', '=', lockId).executeTakeFirst();
    if (!lock) throw notFound('lock', lockId);
    await bumpVersion(trx, 'locks', lockId, lock.version);
    const at = ctx.now();
    await trx
      .insertInto('battery_readings')
      .values({ id: newId('bat'), lock_id: lockId, volts_per_cell: voltsPerCell, at })
      .execute();
    await trx
      .updateTable('locks')
      .set({ volts_per_cell: voltsPerCell, battery_at: at })
      .where('id', '=', lockId)
      .execute();
    await audit({ action: 'lock.battery', subjectType: 'lock', subjectId: lockId, detail: { voltsPerCell } });
    return lockOf(
      await trx.selectFrom('locks').selectAll().where('id', '=', lockId).executeTakeFirstOrThrow(),
    );
  });
}

export async function recordMaintenance(ctx: StoreContext, lockId: string): Promise<Lock> {
  return change(ctx, async (trx, audit) => {
    const lock = await trx.selectFrom('locks').select('version').where('id', '=', lockId).executeTakeFirst();
    if (!lock) throw notFound('lock', lockId);
    await bumpVersion(trx, 'locks', lockId, lock.version);
    await trx.updateTable('locks').set({ maintained_at: ctx.now() }).where('id', '=', lockId).execute();
    await audit({ action: 'lock.maintained', subjectType: 'lock', subjectId: lockId });
    return lockOf(
      await trx.selectFrom('locks').selectAll().where('id', '=', lockId).executeTakeFirstOrThrow(),
    );
  });
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
