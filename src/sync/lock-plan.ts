import type { Assignment, Interval } from '../core/access/slots.js';
import { chooseSlot, desiredSlots, intervalOf, nextChange } from '../core/access/slots.js';
import type { ModelProfile } from '../core/catalog/types.js';
import { prefixKey } from '../core/codes/keypad.js';
import type { LockState } from '../core/codes/lock-state.js';
import { type DesiredState, type Plan, planLock } from '../core/plan/index.js';
import type { LockSyncPicture } from '../store/sync-state.js';
import type { AccessCodeError } from './driver.js';

export type UnmanagedPolicy = 'keep' | 'remove' | 'adopt';
export type KeypadPolicy = 'revert' | 'adopt';

export interface SyncPolicy {
  /** Codes found on a lock that Keyward did not put there (there before, or never registered). */
  unmanaged: UnmanagedPolicy;
  /** Codes added or changed at the keypad after Keyward took the lock over. */
  keypadEdits: KeypadPolicy;
}

export const DEFAULT_POLICY: SyncPolicy = { unmanaged: 'keep', keypadEdits: 'revert' };

export interface LockPlan {
  plan: Plan;
  /** Slot -> credential wanted there now. */
  wanted: Map<number, { credentialId: string; code: string }>;
  /** Assignments that cannot go on the lock as it stands, with the reason (no frame is spent). */
  blocked: Array<{ credentialId: string; error: AccessCodeError }>;
  /**
   * Wanted codes whose slot is held by a code kept on the lock (or by another credential), each
   * given a free slot instead. The register must record the new slot before any frame is sent
   * for it, so the plan leaves them out; the next plan puts them on in their new slots.
   */
  moves: Array<{ credentialId: string; from: number; to: number }>;
  /** Assignments on or maybe on the lock that are no longer wanted: they must come off. */
  leaving: Set<string>;
  /** When the wanted slots next change (a guest arrives or leaves, a window opens or closes). */
  nextChange: number | null;
  current: LockState;
}

/**
 * Pure: from one lock's picture (register, report, memory, slot health) to the ops to send now.
 * Slots that are backing off or suspended are frozen as the lock reports them, so the plan works
 * around them and stays valid on the lock. A wanted code that collides with a code kept on the
 * lock, or with the deleted-code memory, is blocked with its error instead of sent to be refused.
 */
export function planForLock(
  p: LockSyncPicture,
  model: ModelProfile,
  now: number,
  policy: SyncPolicy,
  frozen: ReadonlySet<number>,
): LockPlan {
  const assignments: Assignment[] = p.assignments.map((a) => ({
    credentialId: a.credentialId,
    slot: a.slot,
    schedule: a.schedule,
  }));
  const shape = { capacity: model.slots, tzOffsetMinutes: p.tzOffsetMinutes, zone: p.zone };
  const want = desiredSlots(shape, assignments, now);
  const byId = new Map(p.assignments.map((a) => [a.credentialId, a]));
  const blocked: LockPlan['blocked'] = [];
  const active = new Set(want.slots.map((s) => s.credentialId));
  const leaving = new Set(
    p.assignments
      .filter(
        (a) =>
          !active.has(a.credentialId) &&
          (a.status === 'set' || a.status === 'setting' || a.status === 'removing'),
      )
      .map((a) => a.credentialId),
  );

  // A lock whose programming code the register does not know still has the factory one.
  const programmingCode = p.programmingCode ?? model.programmingCode?.default ?? null;
  const current: LockState = {
    model: model.id,
    programmingCode,
    slots: {},
    deleted: p.deleted,
    voltsPerCell: model.battery.replaceBelow + 0.2,
    programmingSwitch: true,
  };
  for (const r of p.reported.values()) if (r.code !== null) current.slots[String(r.slot)] = r.code;

  const desired: DesiredState = { slots: {} };
  const wanted = new Map<number, { credentialId: string; code: string }>();
  const prefixes = new Map<number, number>();
  const shares = model.programmingCode?.mayShareUserPrefix ?? false;
  const pcKey = programmingCode !== null && !shares ? prefixKey(programmingCode, model) : null;
  const take = (slot: number, code: string): boolean => {
    const key = prefixKey(code, model);
    if (prefixes.has(key) || key === pcKey) return false;
    prefixes.set(key, slot);
    desired.slots[String(slot)] = code;
    return true;
  };

  // 1. Frozen slots stay as the lock holds them.
  for (const slot of frozen) {
    const held = current.slots[String(slot)];
    if (held !== undefined) take(slot, held);
  }
  // 2. Codes Keyward did not put there, kept by policy: "keep" means a wanted code does not
  //    overwrite them; it waits for a free slot instead.
  for (const r of p.reported.values()) {
    if (!r.unmanaged || r.code === null || frozen.has(r.slot) || desired.slots[String(r.slot)] !== undefined)
      continue;
    const keypadEdit = r.error === 'modified_at_keypad';
    const keep = keypadEdit ? policy.keypadEdits === 'adopt' : policy.unmanaged !== 'remove';
    if (keep) take(r.slot, r.code);
  }

  // 3. Wanted codes, in slot order. One whose slot a kept code holds (the register allocated it
  //    before the lock was read, or someone took it at the keypad meanwhile) moves to a free slot.
  // Two active credentials on one slot (or one beyond capacity) are the same problem.
  const homeless: string[] = [...want.unplaced];
  for (const { slot, credentialId } of want.slots) {
    if (frozen.has(slot)) continue;
    const a = byId.get(credentialId)!;
    if (desired.slots[String(slot)] !== undefined) homeless.push(credentialId);
    else if (take(slot, a.code)) wanted.set(slot, { credentialId, code: a.code });
    else blocked.push({ credentialId, error: 'duplicate_on_device' });
  }
  const moves: LockPlan['moves'] = [];
  for (const credentialId of homeless) {
    const a = byId.get(credentialId)!;
    const to = freeSlot(p, model, now, credentialId, desired, frozen, moves);
    const key = prefixKey(a.code, model);
    if (to === null) blocked.push({ credentialId, error: 'no_free_slot' });
    // A code that would be refused in any slot is not worth moving.
    else if (prefixes.has(key) || key === pcKey) blocked.push({ credentialId, error: 'duplicate_on_device' });
    else moves.push({ credentialId, from: a.slot, to });
  }
  // The deleted-code memory can make a wanted code impossible until a factory reset: block
  // those and plan the rest.
  let plan = planLock(current, desired, model);
  for (let guard = 0; plan.requiresFactoryReset && guard <= model.slots; guard++) {
    const slots = plan.reasons.map((r) => r.slot).filter((s): s is number => s !== undefined);
    if (slots.length === 0) break;
    for (const slot of slots) {
      const w = wanted.get(slot);
      if (w) {
        blocked.push({ credentialId: w.credentialId, error: 'prefix_reserved' });
        wanted.delete(slot);
      }
      const held = current.slots[String(slot)];
      if (held !== undefined && frozen.has(slot)) desired.slots[String(slot)] = held;
      else delete desired.slots[String(slot)];
    }
    plan = planLock(current, desired, model);
  }
  if (plan.requiresFactoryReset) plan = { ...plan, ops: [] };
  return {
    plan,
    wanted,
    blocked,
    moves,
    leaving,
    nextChange: nextChange(shape, assignments, now),
    current,
  };
}

/**
 * A slot for a credential that has to leave its own, by the register's slot rule (chooseSlot),
 * among slots nobody holds: not a code kept or frozen on the lock, not a code the register did
 * not set (the lock holds it right now), not another credential's slot for any overlapping time,
 * not a slot another move of this plan took.
 */
function freeSlot(
  p: LockSyncPicture,
  model: ModelProfile,
  now: number,
  credentialId: string,
  desired: DesiredState,
  frozen: ReadonlySet<number>,
  moves: LockPlan['moves'],
): number | null {
  const reserved = [...Object.keys(desired.slots).map(Number), ...frozen, ...moves.map((m) => m.to)];
  // Occupied by something that is not a credential of the register (a masked code included).
  for (const r of p.reported.values()) if (r.credentialId === null) reserved.push(r.slot);
  const assignments: Array<{ slot: number; interval: Interval }> = [];
  const lastUsed = new Map(p.lastUsed);
  for (const a of p.assignments) {
    if (a.credentialId === credentialId) continue;
    const interval = intervalOf(a.schedule);
    if (interval.to !== null && interval.to <= now)
      lastUsed.set(a.slot, Math.max(lastUsed.get(a.slot) ?? interval.to, interval.to));
    else assignments.push({ slot: a.slot, interval });
  }
  const me = p.assignments.find((a) => a.credentialId === credentialId)!;
  return chooseSlot({
    capacity: model.slots,
    want: intervalOf(me.schedule),
    assignments,
    reserved,
    lastUsed,
  });
}
