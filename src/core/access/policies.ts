import type { ModelProfile } from '../catalog/types.js';
import { DAY_MS, HOUR_MS } from './schedule.js';

/** Guide: change codes annually (its close says quarterly). */
export type RotationPolicy = 'annual' | 'quarterly';

/** Guide: delete guest codes within 24 h of departure. */
export const GUEST_REMOVAL_GRACE_MS = 24 * HOUR_MS;
export const DEFAULT_HORIZON_MS = 7 * DAY_MS;

/**
 * Calendar months in UTC, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
 * Plain arithmetic on day numbers: `keyward status` asks this a few thousand times in a fresh
 * process, where two Date objects per call cost it 7 ms.
 */
export function addMonths(t: number, months: number): number {
  const day = Math.floor(t / DAY_MS);
  const { year, month, date } = civilFromDays(day);
  const m = year * 12 + month + months;
  const y = Math.floor(m / 12);
  const mo = m - y * 12;
  return (daysFromCivil(y, mo, Math.min(date, daysInMonth(y, mo))) - day) * DAY_MS + t;
}

/** Proleptic Gregorian date of a day count from 1970-01-01 (month 0-11), after H. Hinnant. */
function civilFromDays(days: number): { year: number; month: number; date: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const date = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 2 : mp - 10;
  return { year: yoe + era * 400 + (month < 2 ? 1 : 0), month, date };
}

function daysFromCivil(year: number, month: number, date: number): number {
  const y = month < 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month < 2 ? month + 10 : month - 2;
  const doy = Math.floor((153 * mp + 2) / 5) + date - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}

export function rotationDueAt(codeSetAt: number, policy: RotationPolicy): number {
  return addMonths(codeSetAt, policy === 'quarterly' ? 3 : 12);
}

export function maintenanceDueAt(lastMaintainedAt: number): number {
  return addMonths(lastMaintainedAt, 1);
}

export type DueKind = 'guest-departure' | 'rotation' | 'battery' | 'maintenance';

export interface DueItem {
  kind: DueKind;
  subject: { type: 'credential' | 'lock'; id: string; name: string };
  dueAt: number;
  /** Past the time by which it must be done. */
  overdue: boolean;
  message: string;
}

export interface DueCredential {
  id: string;
  name: string;
  kind: 'permanent' | 'guest';
  endsAt: number | null;
  codeSetAt: number;
  rotation: RotationPolicy;
  revokedAt: number | null;
  /** Some lock may still hold the code (its slot status is not yet "removed"). */
  onLocks: boolean;
}

export interface DueLock {
  id: string;
  name: string;
  model: ModelProfile;
  voltsPerCell: number | null;
  maintainedAt: number;
}

export interface DueInput {
  credentials: Iterable<DueCredential>;
  locks: Iterable<DueLock>;
}

/** The shortest calendar month step addMonths takes (31 Jan -> 28 Feb). */
const SHORTEST_MONTH_MS = 28 * DAY_MS;

/**
 * Bounds a store may filter on before dueItems decides: a row outside all of them cannot become
 * an item at time t, so skipping it never changes the answer. Locks: maintained after
 * maintainedAtOrBefore (a month is at least 28 days) and with cells at or above every model's
 * replacement threshold.
 */
export function dueCutoffs(t: number, horizonMs: number, models: Iterable<ModelProfile>) {
  let batteryBelow = 0;
  for (const m of models) batteryBelow = Math.max(batteryBelow, m.battery.replaceBelow);
  return {
    endsAtOrBefore: t + horizonMs,
    rotationDueAtOrBefore: t + horizonMs,
    maintainedAtOrBefore: t + horizonMs - SHORTEST_MONTH_MS,
    batteryBelow,
  };
}

/** What needs doing soon or is late, soonest first. */
export function dueItems(input: DueInput, t: number, horizonMs = DEFAULT_HORIZON_MS): DueItem[] {
  const items: DueItem[] = [];
  const until = t + horizonMs;
  for (const c of input.credentials) {
    const subject = { type: 'credential' as const, id: c.id, name: c.name };
    if (c.kind === 'guest' && c.endsAt !== null && c.onLocks) {
      const deadline = c.endsAt + GUEST_REMOVAL_GRACE_MS;
      if (c.endsAt <= until) {
        items.push({
          kind: 'guest-departure',
          subject,
          dueAt: c.endsAt,
          overdue: t > deadline,
          message:
            t < c.endsAt
              ? `guest ${c.name} leaves; the code comes off its locks then`
              : t > deadline
                ? `guest ${c.name} left more than 24 h ago and the code is still on a lock: remove it now`
                : `guest ${c.name} has left; remove the code within 24 h of departure`,
        });
      }
    }
    if (c.kind === 'permanent' && c.revokedAt === null) {
      const due = rotationDueAt(c.codeSetAt, c.rotation);
      if (due <= until) {
        items.push({
          kind: 'rotation',
          subject,
          dueAt: due,
          overdue: t > due,
          message: `the code of ${c.name} is due for its ${c.rotation} change`,
        });
      }
    }
  }
  for (const l of input.locks) {
    const subject = { type: 'lock' as const, id: l.id, name: l.name };
    if (l.voltsPerCell !== null && l.voltsPerCell < l.model.battery.replaceBelow) {
      const failing = l.voltsPerCell <= l.model.battery.programmingFailsAtOrBelow;
      items.push({
        kind: 'battery',
        subject,
        dueAt: t,
        overdue: failing,
        message: `${l.name}: batteries at ${l.voltsPerCell} V per cell, below ${l.model.battery.replaceBelow} V: replace all four AA cells${failing ? ' (programming already fails)' : ''}`,
      });
    }
    const due = maintenanceDueAt(l.maintainedAt);
    if (due <= until) {
      items.push({
        kind: 'maintenance',
        subject,
        dueAt: due,
        overdue: t > due,
        message: `${l.name}: monthly check (test every code with the door open, clean the keypad, battery voltage, key turns smoothly)`,
      });
    }
  }
  return items.sort(
    (a, b) => a.dueAt - b.dueAt || byCodeUnits(a.kind, b.kind) || byCodeUnits(a.subject.id, b.subject.id),
  );
}

/**
 * Ties broken by plain code-unit order: ids and kinds are ASCII, and localeCompare asks ICU to
 * collate (8 ms of `keyward status` on 100,000 codes, where thousands of items share a due time).
 */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
