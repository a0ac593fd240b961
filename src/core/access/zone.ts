/**
 * A site's local time. A fixed offset in minutes east of UTC, or a rule whose offset changes
 * (daylight saving): weekly windows are written in wall-clock time, so "Mon-Fri 09:00-17:00"
 * must stay 09:00 on both sides of a clock change. The rule is passed in, as the clock and the
 * random source are: the core never reads the system's time-zone database itself.
 */
export type Zone = number | ZoneRule;

export interface ZoneRule {
  /** Minutes east of UTC in force at t. */
  offsetAt(t: number): number;
  /** The first instant strictly after t at which the offset changes, or null if it never does. */
  nextTransition(t: number): number | null;
}

export function offsetAt(zone: Zone, t: number): number {
  return typeof zone === 'number' ? zone : zone.offsetAt(t);
}

export function nextTransition(zone: Zone, t: number): number | null {
  return typeof zone === 'number' ? null : zone.nextTransition(t);
}

/**
 * A rule from its transitions, for tests and for adapters that know them: `initial` minutes
 * before the first transition, then each transition's offset from its instant on.
 */
export function zoneFromTransitions(
  initial: number,
  transitions: ReadonlyArray<{ at: number; offset: number }>,
): ZoneRule {
  const sorted = [...transitions].sort((a, b) => a.at - b.at);
  /** Index of the last transition at or before t, or -1. */
  const lastAtOrBefore = (t: number): number => {
    let lo = 0;
    let hi = sorted.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.at <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  return {
    offsetAt: (t) => {
      const i = lastAtOrBefore(t);
      return i < 0 ? initial : sorted[i]!.offset;
    },
    nextTransition: (t) => sorted[lastAtOrBefore(t) + 1]?.at ?? null,
  };
}
