import { recordUse } from '../store/assignments.js';
import { slotHolder } from '../store/sync-state.js';
import { newIntentId } from '../store/sync-writes.js';
import type { DriverEvent } from './driver.js';
import { faultMessage, type SyncEvent, withoutCode } from './events.js';
import type { Effects, Runtime } from './runtime.js';

/**
 * What a lock tells us, as register changes. Pure: the event's audit row (never the code), an
 * intent to read back a slot edited at the keypad, a full read after "all codes deleted", the
 * time a slot's code was used. A driver's `fault` is an error it handled: reported, no change.
 */
export function lockEventEffects(lockId: string, e: DriverEvent, newId: () => string): Effects {
  if (e.type === 'fault')
    return {
      writes: [],
      events: [{ type: 'error', lockId, during: e.during, message: e.message, reported: e }],
    };
  const out: Effects = { writes: [], events: [{ type: 'lock-event', lockId, event: withoutCode(e) }] };
  if (
    e.type === 'code-added-at-keypad' ||
    e.type === 'code-deleted-at-keypad' ||
    e.type === 'duplicate-refused'
  ) {
    if (e.slot !== null)
      out.writes.push({
        kind: 'intent-added',
        lockId,
        intent: {
          id: newId(),
          slot: e.slot,
          kind: e.type === 'code-added-at-keypad' ? 'keypad-added' : 'verify',
          credentialId: null,
          startedAt: e.at,
        },
      });
  } else if (e.type === 'all-codes-deleted') {
    out.writes.push({ kind: 'lock-sync-state', lockId, patch: { reread: 1 } });
  } else if (e.type === 'code-used') {
    out.writes.push({ kind: 'slot-used', lockId, slot: e.slot, at: e.at });
  }
  return out;
}

/** Whether the event asks for a pass at once (news about the lock's codes). */
export function wantsPass(e: DriverEvent): boolean {
  // A failure event is not news to act on at once: a pass now would only meet the same silence
  // (a tight loop). It backs the lock off like a failed read; the pass comes when that runs out.
  return e.type !== 'battery' && e.type !== 'code-used' && e.type !== 'unreachable' && e.type !== 'fault';
}

/** Records a lock's event, tells the listeners, and asks for the pass it calls for. */
export async function onLockEvent(rt: Runtime, lockId: string, e: DriverEvent): Promise<void> {
  // Anything but a failure shows the lock awake and in range: the best moment to try it.
  if (e.type === 'unreachable') {
    const r = rt.reach.unreached(lockId, rt.clock.now());
    rt.wake(lockId, r.nextAttemptAt);
    if (r.counted)
      rt.report({
        type: 'unreachable',
        lockId,
        during: 'event',
        message: e.message,
        failures: r.failures,
        retryAt: r.nextAttemptAt,
      });
  } else rt.reached(lockId);
  const change = lockEventEffects(lockId, e, newIntentId);
  const events: SyncEvent[] = change.events;
  try {
    await rt.commit(change, false);
    if (e.type === 'battery') await rt.store.recordBattery(lockId, e.voltsPerCell);
    if (e.type === 'code-used') {
      const held = await slotHolder(rt.ctx, lockId, e.slot);
      if (held)
        events[0] = { ...events[0]!, credentialId: held.credentialId, personId: held.personId } as SyncEvent;
      // At its use limit a code stops being wanted: the pass takes it off.
      if (held && (await recordUse(rt.ctx, held.credentialId, lockId)).exhausted) rt.schedule(lockId);
    }
  } catch (err) {
    // The store is down: told here; the periodic checksum still catches the change.
    events.push({
      type: 'error',
      lockId,
      during: `lock event ${e.type}`,
      message: faultMessage(err),
    });
  }
  rt.events.publish(events);
  if (wantsPass(e)) rt.schedule(lockId);
}
