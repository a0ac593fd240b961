import type { ModelProfile } from '../catalog/types.js';
import { DAY_MS, HOUR_MS } from './schedule.js';

/** Guide: change codes annually (its close says quarterly). */
export type RotationPolicy = 'annual' | 'quarterly';

/** Guide: delete guest codes within 24 h of departure. */
export const GUEST_REMOVAL_GRACE_MS = 24 * HOUR_MS;
export const DEFAULT_HORIZON_MS = 7 * DAY_MS;

/** Calendar months in UTC, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(t: number, months: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(
    y,
    m,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
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
export function dueCutoffs(t: number, horizonMs = DEFAULT_HORIZON_MS, models: Iterable<ModelProfile> = []) {
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
 * collate (a tenth of `keyward status` on 100,000 codes).
 */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
