import type { RotationPolicy } from '../core/access/policies.js';
import { KeywardError } from '../core/errors.js';
import { count } from '../core/plural.js';
import { bumpVersion, change, newId, notFound, requireName, type StoreContext } from './context.js';
import type { SiteTable } from './schema.js';
import { ianaZone, isTimeZone } from './time-zone.js';

/** A site: a place with its locks, its time zone and its code rotation policy. */
export interface Site {
  id: string;
  name: string;
  tzOffsetMinutes: number;
  /** IANA time zone; when set, weekly windows follow its clock changes. */
  timeZone: string | null;
  rotation: RotationPolicy;
  /** "HH:MM" local: a guest's arrival and departure default to these. */
  checkInTime: string;
  checkOutTime: string;
  version: number;
  createdAt: number;
}

function parseRotation(value: string | undefined): RotationPolicy {
  const r = value ?? 'annual';
  if (r !== 'annual' && r !== 'quarterly')
    throw new KeywardError('BAD_INPUT', `rotation must be annual or quarterly, not "${r}"`);
  return r;
}

const siteOf = (r: SiteTable): Site => ({
  id: r.id,
  name: r.name,
  tzOffsetMinutes: r.tz_offset_minutes,
  timeZone: r.time_zone,
  rotation: r.rotation as RotationPolicy,
  checkInTime: r.check_in_time ?? '16:00',
  checkOutTime: r.check_out_time ?? '11:00',
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
      throw new KeywardError(
        'BAD_INPUT',
        `site ${id} still has ${count(locks.length, 'lock')}: remove them first`,
      );
    await bumpVersion(trx, 'sites', id, expectedVersion ?? site.version);
    await trx.updateTable('people').set({ site_id: null }).where('site_id', '=', id).execute();
    await trx.deleteFrom('sites').where('id', '=', id).execute();
    await audit({ action: 'site.remove', subjectType: 'site', subjectId: id });
  });
}
