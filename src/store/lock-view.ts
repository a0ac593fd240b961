import type { AccessCodeError, LockSlotStatus, SlotStatus } from '../core/access/lifecycle.js';
import { type Assignment, desiredSlots, nextChange } from '../core/access/slots.js';
import { getModel } from '../core/catalog/index.js';
import type { StoreContext } from './context.js';
import { SCHEDULE_COLUMNS, scheduleOf } from './credential-view.js';
import { getLock, type Lock } from './register.js';
import { siteZone } from './time-zone.js';

export interface LockSlotView {
  slot: number;
  credentialId: string | null;
  name: string | null;
  status: LockSlotStatus;
  error: AccessCodeError | null;
}

export interface LockView extends Lock {
  /** What the lock should hold now: desired slots with their sync status, and unmanaged codes. */
  slots: LockSlotView[];
  /** Active codes that found no slot (the lock would be over capacity). */
  unplaced: string[];
  /** When the desired slots next change (a guest arrives or leaves, a window opens or closes). */
  nextChange: number | null;
}

/** The desired slots of one lock at time t, from its assignments through the pure access model. */
export async function lockView(ctx: StoreContext, lockId: string, at = ctx.now()): Promise<LockView> {
  const lock = await getLock(ctx, lockId);
  const site = await ctx.db
    .selectFrom('sites')
    .select(['tz_offset_minutes', 'time_zone'])
    .where('id', '=', lock.siteId)
    .executeTakeFirstOrThrow();
  const rows = await ctx.db
    .selectFrom('credential_locks as cl')
    .innerJoin('credentials as c', 'c.id', 'cl.credential_id')
    .select(['cl.slot', 'cl.status', 'cl.error', 'cl.dropped_at', 'c.id', 'c.name', ...SCHEDULE_COLUMNS])
    .where('cl.lock_id', '=', lockId)
    .where('cl.status', '<>', 'removed')
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const assignments: Assignment[] = rows.map((r) => ({
    credentialId: r.id,
    slot: r.slot,
    schedule: scheduleOf(r),
  }));
  const shape = { capacity: getModel(lock.model).slots, ...siteZone(site) };
  const desired = desiredSlots(shape, assignments, at);
  const slots: LockSlotView[] = desired.slots.map(({ slot, credentialId }) => {
    const r = byId.get(credentialId)!;
    return {
      slot,
      credentialId,
      name: r.name,
      status: r.status as SlotStatus,
      error: r.error as AccessCodeError | null,
    };
  });
  // Codes still to come off the lock (revoked, departed) show until the lock confirms removal.
  const shown = new Set(slots.map((s) => s.slot));
  for (const r of rows) {
    if (
      (r.status === 'removing' || r.status === 'set') &&
      !desired.slots.some((d) => d.credentialId === r.id) &&
      !shown.has(r.slot)
    ) {
      slots.push({
        slot: r.slot,
        credentialId: r.id,
        name: r.name,
        status: r.status === 'set' ? 'removing' : r.status,
        error: r.error as AccessCodeError | null,
      });
      shown.add(r.slot);
    }
  }
  const unmanaged = await ctx.db
    .selectFrom('lock_slots')
    .select(['slot', 'error'])
    .where('lock_id', '=', lockId)
    .where('unmanaged', '=', 1)
    .execute();
  for (const u of unmanaged) {
    if (!shown.has(u.slot))
      slots.push({
        slot: u.slot,
        credentialId: null,
        name: null,
        status: 'unmanaged',
        error: u.error as AccessCodeError | null,
      });
  }
  slots.sort((a, b) => a.slot - b.slot);
  return { ...lock, slots, unplaced: desired.unplaced, nextChange: nextChange(shape, assignments, at) };
}
