import { offsetAt, type Zone } from '../core/access/zone.js';
import { KeywardError } from '../core/errors.js';
import { bumpVersion, change, notFound, type StoreContext } from './context.js';
import { getSite, type Site } from './sites.js';
import { ianaZone } from './time-zone.js';

/**
 * A site's check-in and check-out times, and the instants they give on a date: a guest's
 * arrival and departure default to them, in the site's own zone.
 */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function checkTimeProblem(text: string): string | null {
  return HHMM.test(text) ? null : `"${text}" is not a time of day like 16:00 (24-hour, HH:MM)`;
}

export async function setSiteCheckTimes(
  ctx: StoreContext,
  id: string,
  input: { checkInTime?: string; checkOutTime?: string },
  expectedVersion?: number,
): Promise<Site> {
  for (const [field, value] of [
    ['check-in time', input.checkInTime],
    ['check-out time', input.checkOutTime],
  ] as const) {
    const problem = value === undefined ? null : checkTimeProblem(value);
    if (problem) throw new KeywardError('BAD_INPUT', `the ${field}: ${problem}`);
  }
  await change(ctx, async (trx, audit) => {
    const site = await trx.selectFrom('sites').select('version').where('id', '=', id).executeTakeFirst();
    if (!site) throw notFound('site', id);
    await bumpVersion(trx, 'sites', id, expectedVersion ?? site.version);
    const set = {
      ...(input.checkInTime !== undefined ? { check_in_time: input.checkInTime } : {}),
      ...(input.checkOutTime !== undefined ? { check_out_time: input.checkOutTime } : {}),
    };
    if (Object.keys(set).length) await trx.updateTable('sites').set(set).where('id', '=', id).execute();
    await audit({ action: 'site.check-times', subjectType: 'site', subjectId: id, detail: input });
  });
  return getSite(ctx, id);
}

export function zoneOfSite(site: Pick<Site, 'timeZone' | 'tzOffsetMinutes'>): Zone {
  return site.timeZone !== null ? ianaZone(site.timeZone) : site.tzOffsetMinutes;
}

/**
 * The instant a local date and time ("2026-07-01", "16:00") names in the site's zone. Near a
 * clock change the offset is read at the guess and again at the answer, which settles it.
 */
export function siteInstant(
  site: Pick<Site, 'timeZone' | 'tzOffsetMinutes'>,
  date: string,
  time: string,
): number {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = HHMM.exec(time);
  if (!d || !t)
    throw new KeywardError('BAD_INPUT', `"${date} ${time}" is not a date and time like 2026-07-01 16:00`);
  const local = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  const zone = zoneOfSite(site);
  let at = local - offsetAt(zone, local) * 60_000;
  at = local - offsetAt(zone, at) * 60_000;
  return at;
}
