import { KeywardError } from '../errors.js';
import { timeProblem } from './time.js';
import { nextTransition, offsetAt, type Zone } from './zone.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/**
 * Hours on given weekdays when a code should be on the lock. Days are 0 (Sunday) to 6, in the
 * site's local time; minutes count from local midnight. A window that runs past midnight is
 * written as two windows, so every window is a plain interval inside one day.
 */
export interface WeeklyWindow {
  days: number[];
  startMinute: number;
  endMinute: number;
}

/** When a credential may open a door: the part of it that decides its presence on a lock. */
export interface Schedule {
  startsAt: number | null;
  endsAt: number | null;
  /** Empty: at all hours between start and end. */
  windows: WeeklyWindow[];
  useLimit: number | null;
  uses: number;
  revokedAt: number | null;
}

export function validateWindows(windows: WeeklyWindow[]): void {
  for (const [i, w] of windows.entries()) {
    if (w.days.length === 0 || w.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
      throw new KeywardError('BAD_INPUT', `window ${i + 1}: days must be 0 (Sunday) to 6`);
    }
    const okMinute = (m: number) => Number.isInteger(m) && m >= 0 && m <= 1440;
    if (!okMinute(w.startMinute) || !okMinute(w.endMinute) || w.startMinute >= w.endMinute) {
      throw new KeywardError(
        'BAD_INPUT',
        `window ${i + 1}: the start must come before the end within one day`,
      );
    }
  }
}

export function validateSchedule(s: Schedule): void {
  for (const [field, t] of [
    ['the start', s.startsAt],
    ['the end', s.endsAt],
  ] as const) {
    const problem = t === null ? null : timeProblem(t);
    if (problem) throw new KeywardError('BAD_INPUT', `${field} ${problem}`);
  }
  if (s.startsAt !== null && s.endsAt !== null && s.endsAt <= s.startsAt) {
    throw new KeywardError('BAD_INPUT', 'the end must come after the start');
  }
  if (s.useLimit !== null && (!Number.isInteger(s.useLimit) || s.useLimit < 1)) {
    throw new KeywardError('BAD_INPUT', 'a use limit must be a whole number of at least 1');
  }
  validateWindows(s.windows);
}

const YEAR_MS = 366 * DAY_MS;

/** The epoch fell on a Thursday (day 4 counting from Sunday). */
const EPOCH_WEEKDAY_MS = 4 * DAY_MS;

/** Milliseconds since local Sunday 00:00, in the offset the site's zone has at t. */
function weekPosition(t: number, zone: Zone): number {
  return (((t + offsetAt(zone, t) * MINUTE_MS + EPOCH_WEEKDAY_MS) % WEEK_MS) + WEEK_MS) % WEEK_MS;
}

function inWindows(windows: WeeklyWindow[], t: number, tz: Zone): boolean {
  if (windows.length === 0) return true;
  const pos = weekPosition(t, tz);
  const day = Math.floor(pos / DAY_MS);
  const minute = (pos - day * DAY_MS) / MINUTE_MS;
  return windows.some((w) => w.days.includes(day) && minute >= w.startMinute && minute < w.endMinute);
}

/** Whether the code belongs on its locks at time t. */
export function isActive(s: Schedule, t: number, zone: Zone = 0): boolean {
  if (s.revokedAt !== null && t >= s.revokedAt) return false;
  // Stryker disable next-line ConditionalExpression: equivalent, without the null check `t < null` compares with 0, and every time is after 2000
  if (s.startsAt !== null && t < s.startsAt) return false;
  if (s.endsAt !== null && t >= s.endsAt) return false;
  if (s.useLimit !== null && s.uses >= s.useLimit) return false;
  return inWindows(s.windows, t, zone);
}

/**
 * The first window edge strictly after t, reckoned in the offset in force at t. Where the zone
 * changes offset before that edge, the change itself comes first: wall-clock time jumps there
 * (into or out of a window), and from there the edges are reckoned again in the new offset.
 */
function nextWindowEdge(windows: WeeklyWindow[], t: number, tz: Zone): number | null {
  // Stryker disable next-line ConditionalExpression: equivalent, no windows give no edge but the zone's changes, where activity cannot change, and the search steps over them
  if (windows.length === 0) return null;
  const pos = weekPosition(t, tz);
  let best = Number.POSITIVE_INFINITY;
  for (const w of windows) {
    for (const d of w.days) {
      for (const m of [w.startMinute, w.endMinute]) {
        const edge = d * DAY_MS + m * MINUTE_MS;
        let delta = edge - pos;
        if (delta <= 0) delta += WEEK_MS;
        // Stryker disable next-line EqualityOperator: equivalent, an equal delta is the same edge
        if (delta < best) best = delta;
      }
    }
  }
  const change = nextTransition(tz, t);
  // Stryker disable next-line EqualityOperator: equivalent, when the two are equal either is the answer
  return change !== null && change < t + best ? change : t + best;
}

/**
 * The first time after t at which isActive changes, or null if it never does. Edges where
 * nothing changes (two windows that touch, a window edge before the start) are stepped over.
 */
export function nextActivityChange(s: Schedule, t: number, zone: Zone = 0): number | null {
  const now = isActive(s, t, zone);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a shortcut: a code with no uses left is inactive at every later time, so the search below finds no change either
  if (s.useLimit !== null && s.uses >= s.useLimit) return null;
  // Stryker disable next-line all: equivalent, a shortcut: a code revoked or ended by t is inactive at every later time, so the search below finds no change either
  if ((s.revokedAt !== null && s.revokedAt <= t) || (s.endsAt !== null && s.endsAt <= t)) return null;
  // Stryker disable next-line MethodExpression,ConditionalExpression: equivalent, a null left in compares as 0, before t and before every fixed time
  const fixed = [s.startsAt, s.endsAt, s.revokedAt].filter((x): x is number => x !== null);
  const lastFixed = Math.max(t, ...fixed);
  let cursor = t;
  // After the last fixed boundary only window edges remain, and they repeat weekly: a week of
  // them (plus the zone's clock changes, a few a year) decides whether activity ever changes.
  let horizon = lastFixed + WEEK_MS;
  // Stryker disable next-line EqualityOperator: equivalent, a weekly pattern that changes at all changes strictly inside every week, so no first change falls exactly on the horizon
  while (cursor <= horizon) {
    const candidates = fixed.filter((x) => x > cursor);
    const edge = nextWindowEdge(s.windows, cursor, zone);
    if (edge !== null) candidates.push(edge);
    // Stryker disable next-line ConditionalExpression: equivalent, Math.min() of nothing is Infinity, past any horizon
    if (candidates.length === 0) return null;
    const next = Math.min(...candidates);
    // A clock change inside the week being searched moves every later edge: search a week past it.
    // Capped at a year: a zone changing its clocks every few days must not keep the search going.
    if (next === nextTransition(zone, cursor) && next + WEEK_MS > horizon)
      // Stryker disable next-line MethodExpression: equivalent in what is found, a longer search only costs time
      horizon = Math.min(next + WEEK_MS, lastFixed + YEAR_MS);
    cursor = next;
    if (isActive(s, cursor, zone) !== now) return cursor;
  }
  return null;
}

export function parseDays(text: string): number[] {
  const names = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const days = new Set<number>();
  for (const part of text.toLowerCase().split(',')) {
    const range = part.trim().split('-');
    const idx = range.map((r) => names.indexOf(r.trim().slice(0, 3)));
    if (idx.some((i) => i < 0) || idx.length > 2) {
      throw new KeywardError('BAD_INPUT', `"${part}" is not a day or range of days such as mon-fri`);
    }
    const from = idx[0]!;
    const to = idx[idx.length - 1]!;
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/** "mon-fri 08:00-18:00" -> a window; several are separated by ";". */
export function parseWindows(text: string): WeeklyWindow[] {
  const out: WeeklyWindow[] = [];
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\S+)\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) throw new KeywardError('BAD_INPUT', `window "${part}" is not like "mon-fri 08:00-18:00"`);
    const [, days, h1, m1, h2, m2] = m as unknown as [string, string, string, string, string, string];
    out.push({
      days: parseDays(days),
      startMinute: Number(h1) * 60 + Number(m1),
      endMinute: Number(h2) * 60 + Number(m2),
    });
  }
  validateWindows(out);
  return out;
}
