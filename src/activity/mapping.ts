import type { SyncEvent } from '../sync/events.js';
import type { ActivityType } from './kinds.js';

/** One activity row as the recorder hands it to the store (the id and person name come there). */
export interface ActivityDraft {
  at: number;
  type: ActivityType;
  lockId: string | null;
  credentialId: string | null;
  personId: string | null;
  slot: number | null;
  /** Plain facts, never a code's digits (only the listed fields are copied). */
  detail: Record<string, string | number | boolean | null>;
}

const draft = (
  at: number,
  type: ActivityType,
  lockId: string | null,
  rest: Partial<Omit<ActivityDraft, 'at' | 'type' | 'lockId'>> = {},
): ActivityDraft => ({
  at,
  type,
  lockId,
  credentialId: rest.credentialId ?? null,
  personId: rest.personId ?? null,
  slot: rest.slot ?? null,
  detail: rest.detail ?? {},
});

/**
 * What one sync event means for the activity history (pure; the one mapping). `now` dates the
 * events that carry no time of their own. Bookkeeping (ops sent, reads, read-backs, errors that
 * the log keeps) is not activity; a lock that stays unreachable is told once, when it stops
 * answering, not at every retry. `guest.arrived` is decided by the store, which knows whether the
 * guest's code was used before.
 */
export function activityOf(e: SyncEvent, now: number): ActivityDraft[] {
  switch (e.type) {
    case 'lock-event': {
      const ev = e.event;
      const who = { credentialId: e.credentialId ?? null, personId: e.personId ?? null };
      switch (ev.type) {
        case 'code-used':
          return [draft(ev.at, 'code.used', e.lockId, { ...who, slot: ev.slot })];
        case 'wrong-code-lockout':
          return [draft(ev.at, 'lock.lockout', e.lockId)];
        case 'code-added-at-keypad':
          return [draft(ev.at, 'code.added_at_keypad', e.lockId, { slot: ev.slot })];
        case 'code-deleted-at-keypad':
          return [draft(ev.at, 'code.removed_at_keypad', e.lockId, { slot: ev.slot })];
        case 'all-codes-deleted':
          return [draft(ev.at, 'lock.codes_cleared', e.lockId)];
        case 'duplicate-refused':
          return [draft(ev.at, 'lock.duplicate_refused', e.lockId, { slot: ev.slot })];
        case 'lock-full':
          return [draft(ev.at, 'lock.full', e.lockId)];
        case 'programming-code-changed':
          return [draft(ev.at, 'lock.programming_code_changed', e.lockId)];
        case 'battery':
          return ev.level === 'ok'
            ? []
            : [
                draft(ev.at, 'battery.low', e.lockId, {
                  detail: { level: ev.level, voltsPerCell: Math.round(ev.voltsPerCell * 1000) / 1000 },
                }),
              ];
        case 'unreachable':
          return []; // sync reports it as its own 'unreachable' event, counted once per back-off
      }
      return [];
    }
    case 'unreachable':
      return e.failures === 1
        ? [draft(now, 'lock.unreachable', e.lockId, { detail: { message: e.message } })]
        : [];
    case 'reachable':
      return [draft(now, 'lock.reachable', e.lockId)];
    case 'op-confirmed':
      if (e.op === 'set-programming') return [draft(now, 'lock.programming_code_changed', e.lockId)];
      return [
        draft(now, e.op === 'add' ? 'code.set' : 'code.removed', e.lockId, {
          credentialId: e.credentialId,
          personId: e.personId,
          slot: e.slot,
        }),
      ];
    case 'op-failed':
      return [
        draft(now, 'code.failed', e.lockId, {
          credentialId: e.credentialId,
          personId: e.personId,
          slot: e.slot,
          detail: {
            op: e.op === 'add' ? 'set' : e.op === 'delete' ? 'remove' : 'set-programming-code',
            error: e.error,
            message: e.message,
            retrying: e.retryable && !(e.health?.suspended ?? false),
          },
        }),
      ];
    case 'code-blocked':
      return [
        draft(now, 'code.failed', e.lockId, {
          credentialId: e.credentialId,
          personId: e.personId,
          slot: e.slot,
          detail: { op: 'set', error: e.error, retrying: false },
        }),
      ];
    case 'code-removed':
      return [
        draft(now, 'code.removed', e.lockId, {
          credentialId: e.credentialId,
          personId: e.personId,
          slot: e.slot,
        }),
      ];
    case 'code-moved':
      return [
        draft(now, 'code.moved', e.lockId, {
          credentialId: e.credentialId,
          personId: e.personId,
          slot: e.to,
          detail: { from: e.from, to: e.to },
        }),
      ];
    case 'code-adopted':
      return [
        draft(now, 'code.adopted', e.lockId, {
          credentialId: e.credentialId,
          slot: e.slot,
          detail: { why: e.why },
        }),
      ];
    default:
      return [];
  }
}
