import type { ZoneRule } from '../core/access/zone.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Whether the system's time-zone database knows this IANA name (e.g. America/New_York). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface YearTable {
  /** Offset in force at the year's first instant. */
  initial: number;
  transitions: Array<{ at: number; offset: number }>;
}

/**
 * A named zone's offsets and clock changes, from the system's time-zone database (Intl). Each
 * year is read once: the offset sampled day by day, every change narrowed to its minute, so the
 * schedules' many look-ups are a search in a short table rather than a date formatting each.
 */
export function ianaZone(name: string): ZoneRule {
  const cached = ZONES.get(name);
  if (cached) return cached;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const measure = (t: number): number => {
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(t)) p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
    return Math.round((wall - Math.floor(t / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
  };
  const years = new Map<number, YearTable>();
  const table = (year: number): YearTable => {
    let y = years.get(year);
    if (y) return y;
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    y = { initial: measure(start), transitions: [] };
    let before = y.initial;
    for (let day = start; day < end; day += DAY_MS) {
      const next = Math.min(day + DAY_MS, end);
      const after = measure(next);
      if (after === before) continue;
      // The change lies in (day, next]: narrow it to the minute.
      let lo = day;
      let hi = next;
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
        if (measure(mid) === before) lo = mid;
        else hi = mid;
      }
      y.transitions.push({ at: hi, offset: after });
      before = after;
    }
    years.set(year, y);
    return y;
  };
  const rule: ZoneRule = {
    offsetAt: (t) => {
      const y = table(new Date(t).getUTCFullYear());
      let offset = y.initial;
      for (const tr of y.transitions) {
        if (tr.at > t) break;
        offset = tr.offset;
      }
      return offset;
    },
    nextTransition: (t) => {
      const year = new Date(t).getUTCFullYear();
      // Zones without daylight saving have none: two years of nothing answers "never" for now;
      // the schedules are computed again long before a rule change could matter.
      for (let y = year; y <= year + 2; y++) {
        const found = table(y).transitions.find((tr) => tr.at > t);
        if (found) return found.at;
      }
      return null;
    },
  };
  ZONES.set(name, rule);
  return rule;
}

const ZONES = new Map<string, ZoneRule>();

/** The time-zone part of a lock's shape for the access model, from its site's row. */
export function siteZone(site: { tz_offset_minutes: number; time_zone: string | null }): {
  tzOffsetMinutes: number;
  zone: ZoneRule | undefined;
} {
  return {
    tzOffsetMinutes: site.tz_offset_minutes,
    zone: site.time_zone !== null ? ianaZone(site.time_zone) : undefined,
  };
}
