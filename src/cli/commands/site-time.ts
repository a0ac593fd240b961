import type { Site } from '../../store/index.js';

/**
 * Times as a host reads them: in the site's own zone, with the zone named ("Fri 5 Dec 2026,
 * 16:00 Europe/London"), not UTC. A site with a fixed offset shows it as UTC+hh:mm.
 */

function offsetName(minutes: number): string {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function siteTime(ms: number | null, site: Pick<Site, 'timeZone' | 'tzOffsetMinutes'> | null): string {
  if (ms === null) return '-';
  const zone = site?.timeZone ?? null;
  const shift = zone === null ? (site?.tzOffsetMinutes ?? 0) : 0;
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone ?? 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(format.formatToParts(ms + shift * 60_000).map((p) => [p.type, p.value]));
  const name = zone ?? offsetName(shift);
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} ${name}`;
}

/** The site of the first lock of a list (a code's times are read in its locks' site). */
export async function siteOfLock(
  store: { getLock(id: string): Promise<{ siteId: string }>; getSite(id: string): Promise<Site> },
  lockId: string | undefined,
): Promise<Site | null> {
  if (!lockId) return null;
  try {
    return await store.getSite((await store.getLock(lockId)).siteId);
  } catch {
    return null;
  }
}
