/**
 * Dates and times in the site's own zone, as the forms show them: a guest arriving "16:00" means
 * 16:00 at the house, wherever the browser is. A site without a named zone has a fixed offset.
 */

export interface SiteClock {
  timeZone: string | null;
  tzOffsetMinutes: number;
  checkInTime?: string;
  checkOutTime?: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function offsetAt(site: SiteClock, t: number): number {
  if (!site.timeZone) return site.tzOffsetMinutes;
  let f = formats.get(site.timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: site.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(site.timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, Number(x.value)]));
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
  return Math.round((local - Math.floor(t / 60_000) * 60_000) / 60_000);
}

/** "2026-07-01T16:00" (a datetime-local value) read at the site. */
export function siteInstant(site: SiteClock, local: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  let at = wall - offsetAt(site, wall) * 60_000;
  at = wall - offsetAt(site, at) * 60_000;
  return at;
}

/** The datetime-local value an instant shows at the site. */
export function siteLocal(site: SiteClock, ms: number): string {
  return new Date(ms + offsetAt(site, ms) * 60_000).toISOString().slice(0, 16);
}

/** The zone's name for a label: "Europe/London" or "UTC+02:00". */
export function zoneName(site: SiteClock): string {
  if (site.timeZone) return site.timeZone;
  const m = site.tzOffsetMinutes;
  const abs = Math.abs(m);
  return `UTC${m < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A new stay's default dates: arriving today at check-in (or now, once today's check-in has
 * passed) and leaving three days later at check-out.
 */
export function defaultStay(site: SiteClock, now: number): { arrives: string; leaves: string } {
  const today = siteLocal(site, now).slice(0, 10);
  const checkIn = siteInstant(site, `${today}T${site.checkInTime ?? '16:00'}`) ?? now;
  const arrives = Math.max(checkIn, now);
  const day = new Date(`${today}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 3);
  const leaves = `${day.toISOString().slice(0, 10)}T${site.checkOutTime ?? '11:00'}`;
  return { arrives: siteLocal(site, arrives), leaves };
}
