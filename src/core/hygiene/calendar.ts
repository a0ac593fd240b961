import {
  addMonths,
  GUEST_REMOVAL_GRACE_MS,
  maintenanceDueAt,
  type RotationPolicy,
  rotationDueAt,
} from '../access/policies.js';
import type { ModelProfile } from '../catalog/types.js';
import { KeywardError } from '../errors.js';

export type CalendarKind = 'rotation' | 'guest-removal' | 'battery' | 'maintenance' | 'lubrication';

export interface CalendarItem {
  /** Stable per lock: `rotation`, `maintenance`, `battery`, `lubrication`, `guest:<name>`. */
  id: string;
  kind: CalendarKind;
  /** Milliseconds since the epoch (UTC). */
  dueAt: number;
  /** Past the time by which it had to be done. */
  overdue: boolean;
  title: string;
  detail: string;
}

export interface Guest {
  name: string;
  /** When the stay ends (ms since the epoch). */
  endsAt: number;
}

/** Every time in milliseconds since the epoch; the core has no clock, so `now` comes in. */
export interface CalendarInput {
  now: number;
  model: ModelProfile;
  rotation?: RotationPolicy;
  lastRotation?: number;
  lastMaintenance?: number;
  lastBatteryChange?: number;
  lastLubrication?: number;
  voltsPerCell?: number;
  guests?: readonly Guest[];
}

const KIND_ORDER: readonly CalendarKind[] = [
  'guest-removal',
  'battery',
  'rotation',
  'maintenance',
  'lubrication',
];

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function checkTime(value: number | undefined, name: string): void {
  if (value !== undefined && !Number.isFinite(value))
    throw new KeywardError('BAD_INPUT', `${name} is not a time`);
}

/** A record of work done after "now" would make everything look fresh. */
function checkPast(value: number | undefined, name: string, now: number): void {
  checkTime(value, name);
  if (value !== undefined && value > now) {
    throw new KeywardError('BAD_INPUT', `${name} (${day(value)}) is after now (${day(now)})`);
  }
}

function rotationItem(input: CalendarInput, policy: RotationPolicy): CalendarItem {
  const { now, lastRotation } = input;
  const every = policy === 'quarterly' ? 'every three months' : 'once a year';
  if (lastRotation === undefined) {
    return {
      id: 'rotation',
      kind: 'rotation',
      dueAt: now,
      overdue: false,
      title: 'Change every code',
      detail: `No code change on record: change all codes now and record the date; then ${every} (${policy}).`,
    };
  }
  const dueAt = rotationDueAt(lastRotation, policy);
  return {
    id: 'rotation',
    kind: 'rotation',
    dueAt,
    overdue: now > dueAt,
    title: 'Change every code',
    detail: `Codes last changed ${day(lastRotation)}; the ${policy} change ${now > dueAt ? 'was due' : 'is due'} ${day(dueAt)}. Plan new codes with keyward plan so the lock accepts every step.`,
  };
}

function maintenanceItem(input: CalendarInput): CalendarItem {
  const { now, lastMaintenance } = input;
  const dueAt = lastMaintenance === undefined ? now : maintenanceDueAt(lastMaintenance);
  return {
    id: 'maintenance',
    kind: 'maintenance',
    dueAt,
    overdue: now > dueAt,
    title: 'Monthly maintenance check',
    detail: `${lastMaintenance === undefined ? 'No check on record. ' : `Last check ${day(lastMaintenance)}. `}Test every user code with the door open, wipe the keypad with a dry microfiber cloth, check the battery voltage, verify the key turns smoothly.`,
  };
}

function batteryItem(input: CalendarInput): CalendarItem {
  const { now, model, voltsPerCell, lastBatteryChange } = input;
  const { replaceBelow, programmingFailsAtOrBelow } = model.battery;
  const changed = lastBatteryChange === undefined ? '' : ` Last changed ${day(lastBatteryChange)}.`;
  const base = { id: 'battery', kind: 'battery' as const };
  if (voltsPerCell === undefined) {
    return {
      ...base,
      dueAt: now,
      overdue: false,
      title: 'Measure the batteries',
      detail: `No reading: measure each AA cell and replace all ${model.battery.cells} below ${replaceBelow} V per cell.${changed}`,
    };
  }
  if (voltsPerCell < replaceBelow) {
    const failing = voltsPerCell <= programmingFailsAtOrBelow;
    return {
      ...base,
      dueAt: now,
      // Programming already fails at this level, so the replacement is late, not merely due.
      overdue: failing,
      title: 'Replace the batteries',
      detail: `${voltsPerCell} V per cell is below ${replaceBelow} V: fit ${model.battery.cells} new alkaline AA cells${failing ? '; at this level programming already fails with red flashes' : ''}.${changed}`,
    };
  }
  // Fine today: the next monthly check measures again.
  const dueAt = input.lastMaintenance === undefined ? now : maintenanceDueAt(input.lastMaintenance);
  return {
    ...base,
    dueAt: Math.max(dueAt, now),
    overdue: false,
    title: 'Measure the batteries',
    detail: `${voltsPerCell} V per cell, at or above ${replaceBelow} V: measure again at the monthly check and replace below ${replaceBelow} V.${changed}`,
  };
}

function lubricationItem(input: CalendarInput): CalendarItem {
  const { now, lastLubrication } = input;
  const dueAt = lastLubrication === undefined ? now : addMonths(lastLubrication, 12);
  return {
    id: 'lubrication',
    kind: 'lubrication',
    dueAt,
    overdue: now > dueAt,
    title: 'Graphite in the key cylinder',
    detail: `${lastLubrication === undefined ? 'None on record. ' : `Last done ${day(lastLubrication)}. `}Once a year, a puff of graphite powder in the key cylinder (never oil).`,
  };
}

function guestItems(input: CalendarInput): CalendarItem[] {
  const { now } = input;
  const seen = new Map<string, number>();
  return (input.guests ?? []).map((g) => {
    if (g.name.trim() === '') throw new KeywardError('BAD_INPUT', 'a guest needs a name');
    checkTime(g.endsAt, `the end of ${g.name}'s stay`);
    const n = (seen.get(g.name) ?? 0) + 1;
    seen.set(g.name, n);
    const dueAt = g.endsAt + GUEST_REMOVAL_GRACE_MS;
    const state =
      now < g.endsAt
        ? `leaves ${day(g.endsAt)}; delete the code within 24 hours after, by ${day(dueAt)}`
        : now > dueAt
          ? `left ${day(g.endsAt)}, more than 24 hours ago: delete the code now`
          : `left ${day(g.endsAt)}: delete the code within 24 hours of departure`;
    return {
      id: n === 1 ? `guest:${g.name}` : `guest:${g.name}#${n}`,
      kind: 'guest-removal' as const,
      dueAt,
      overdue: now > dueAt,
      title: `Delete the guest code of ${g.name}`,
      detail: `${g.name} ${state}.`,
    };
  });
}

/**
 * The guide's code-hygiene calendar for one lock: code changes (annual by default, quarterly as
 * its close advises), guest codes off within 24 hours of departure, batteries at the model's
 * threshold, the monthly check and the yearly graphite. Soonest first.
 */
export function hygieneCalendar(input: CalendarInput): CalendarItem[] {
  const { now } = input;
  if (!Number.isFinite(now)) throw new KeywardError('BAD_INPUT', 'now is not a time');
  checkPast(input.lastRotation, 'the last code change', now);
  checkPast(input.lastMaintenance, 'the last maintenance', now);
  checkPast(input.lastBatteryChange, 'the last battery change', now);
  checkPast(input.lastLubrication, 'the last graphite', now);
  const v = input.voltsPerCell;
  if (v !== undefined && (!Number.isFinite(v) || v < 0 || v > 2)) {
    throw new KeywardError('BAD_INPUT', 'voltsPerCell must be between 0 and 2');
  }
  const items = [
    rotationItem(input, input.rotation ?? 'annual'),
    maintenanceItem(input),
    batteryItem(input),
    lubricationItem(input),
    ...guestItems(input),
  ];
  return items.sort(
    (a, b) =>
      a.dueAt - b.dueAt ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.id.localeCompare(b.id),
  );
}
