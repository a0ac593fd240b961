import { isActive, nextActivityChange, type Schedule } from './schedule.js';
import type { Zone, ZoneRule } from './zone.js';

/** A credential's place on one lock: the slot was allocated once and is kept. */
export interface Assignment {
  credentialId: string;
  slot: number;
  schedule: Schedule;
}

export interface LockSlotsInput {
  capacity: number;
  /** The site's fixed offset, used when it has no zone rule. */
  tzOffsetMinutes: number;
  /** The site's time zone with its clock changes, when the site names one. */
  zone?: ZoneRule | undefined;
}

function zoneOf(lock: LockSlotsInput): Zone {
  return lock.zone ?? lock.tzOffsetMinutes;
}

export interface DesiredSlots {
  /** Slot -> credential, in slot order. */
  slots: Array<{ slot: number; credentialId: string }>;
  /** Active credentials that could not be placed (two on one slot, or a slot beyond capacity). */
  unplaced: string[];
}

/** When an assignment could be on the lock at all; null ends are open. */
export interface Interval {
  from: number | null;
  to: number | null;
}

export function intervalOf(s: Schedule): Interval {
  const ends = [s.endsAt, s.revokedAt].filter((x): x is number => x !== null);
  return { from: s.startsAt, to: ends.length ? Math.min(...ends) : null };
}

function overlaps(a: Interval, b: Interval): boolean {
  const aBeforeB = a.to !== null && b.from !== null && a.to <= b.from;
  const bBeforeA = b.to !== null && a.from !== null && b.to <= a.from;
  return !aBeforeB && !bBeforeA;
}

/** What a slot choice needs to know about one lock. */
export interface SlotWish {
  /** The lock's user slots are 1..capacity. */
  capacity: number;
  /** When the new assignment could be on the lock. */
  want: Interval;
  /** The register's assignments on the lock that are not over, each with when it could be on it. */
  assignments: ReadonlyArray<{ slot: number; interval: Interval }>;
  /** Slots nobody may be given, whatever the time: frozen, kept as the lock holds them, promised. */
  reserved?: Iterable<number>;
  /** Slots holding a code the register did not set: given only when no other slot is free. */
  unmanaged?: Iterable<number>;
  /** When each slot last held a code; a slot never used is absent. */
  lastUsed: ReadonlyMap<number, number>;
}

/**
 * The one slot rule, for a new credential and for one that has to move. A reserved slot, or one
 * an assignment holds for an overlapping time, is never given. A slot holding a code the
 * register did not set is avoided while another is free: a code placed there would have to move
 * on first contact with the lock. Among the rest a slot never used wins (lowest number first),
 * then the one released longest ago, so a departed guest's slot is not handed to the next guest
 * straight away (a slot that keeps changing hands invites mix-ups at the door and in the lock's
 * history). Null when the lock is full for that time.
 */
export function chooseSlot(wish: SlotWish): number | null {
  const taken = new Set(wish.reserved ?? []);
  for (const a of wish.assignments) if (overlaps(a.interval, wish.want)) taken.add(a.slot);
  const avoided = new Set(wish.unmanaged ?? []);
  const free = (slot: number) => !taken.has(slot);
  return (
    leastRecentlyUsed(wish.capacity, (slot) => free(slot) && !avoided.has(slot), wish.lastUsed) ??
    leastRecentlyUsed(wish.capacity, free, wish.lastUsed)
  );
}

function leastRecentlyUsed(
  capacity: number,
  eligible: (slot: number) => boolean,
  lastUsed: ReadonlyMap<number, number>,
): number | null {
  let best: number | null = null;
  let bestUsed = Number.POSITIVE_INFINITY;
  for (let slot = 1; slot <= capacity; slot++) {
    if (!eligible(slot)) continue;
    const used = lastUsed.get(slot) ?? Number.NEGATIVE_INFINITY;
    if (best === null || used < bestUsed) {
      best = slot;
      bestUsed = used;
    }
  }
  return best;
}

/** What the lock should hold at time t. */
export function desiredSlots(lock: LockSlotsInput, assignments: Assignment[], t: number): DesiredSlots {
  const active = assignments
    .filter((a) => isActive(a.schedule, t, zoneOf(lock)))
    .sort(
      (a, b) =>
        (a.schedule.startsAt ?? Number.NEGATIVE_INFINITY) -
          (b.schedule.startsAt ?? Number.NEGATIVE_INFINITY) ||
        (a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0),
    );
  const bySlot = new Map<number, string>();
  const unplaced: string[] = [];
  for (const a of active) {
    if (a.slot < 1 || a.slot > lock.capacity || bySlot.has(a.slot)) unplaced.push(a.credentialId);
    else bySlot.set(a.slot, a.credentialId);
  }
  const slots = [...bySlot.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([slot, credentialId]) => ({ slot, credentialId }));
  return { slots, unplaced };
}

/**
 * The first time after t at which desiredSlots differs from its value at t, or null. Slots are
 * fixed per assignment, so the desired slots change exactly when some assignment's activity does.
 */
export function nextChange(lock: LockSlotsInput, assignments: Assignment[], t: number): number | null {
  let best: number | null = null;
  for (const a of assignments) {
    const next = nextActivityChange(a.schedule, t, zoneOf(lock));
    if (next !== null && (best === null || next < best)) best = next;
  }
  return best;
}
