import type { AuditEntry } from '../store/audit.js';
import type { AccessCodeError, DriverEvent } from './driver.js';

/**
 * Everything sync has to tell, leaving through one door: what each lock said, each op confirmed
 * or failed, each code blocked, moved, removed or adopted, each read, and each error, with the
 * lock (and the credential and person where known). Never a code's digits.
 *
 * The audit log is the transactional subscriber: the events of a change become its audit rows
 * (auditRows below, the one mapping) in the same transaction as the register writes they
 * describe. Everyone else hears the events after the commit. To listen:
 *
 *     const unsubscribe = reconciler.events.subscribe((e) => { if (e.type === 'error') ... });
 *
 * (or pass `onEvent` in ReconcilerOptions). A listener is called synchronously, in order; what it
 * throws is reported to the other listeners as an error event and never reaches sync.
 */
export type SyncEvent =
  /** What a lock reported (its driver's event, without any code), with who used a code. */
  | {
      type: 'lock-event';
      lockId: string;
      event: LockReportedEvent;
      credentialId?: string | null;
      personId?: string | null;
    }
  /** The lock did not answer (a read, a checksum, or its driver said so); tried again at retryAt. */
  | {
      type: 'unreachable';
      lockId: string;
      during: 'read' | 'checksum' | 'event';
      message: string;
      failures: number;
      retryAt: number | null;
      /** During a first read: codes now showing the retryable error (see showUnreached). */
      shown?: number;
    }
  /** The lock answered again after being unreachable. */
  | { type: 'reachable'; lockId: string }
  | ({ type: 'op-sent' } & OpRef & { replaces: string | null })
  | ({ type: 'op-confirmed' } & OpRef & { confirmedBy: string })
  | ({ type: 'op-failed' } & OpRef & {
        error: AccessCodeError;
        message: string;
        retryable: boolean;
        /** The slot's back-off after this failure (absent for the programming code). */
        health?: { failures: number; suspended: boolean; retryAt: number | null };
      })
  /** Planned but never sent (an earlier op of the lock failed): as if never planned. */
  | ({ type: 'op-withdrawn' } & OpRef)
  | {
      type: 'code-blocked';
      lockId: string;
      credentialId: string;
      personId: string | null;
      slot: number;
      error: string;
    }
  | {
      type: 'code-moved';
      lockId: string;
      credentialId: string;
      personId: string | null;
      from: number;
      to: number;
    }
  /** A leaving code found no longer on the lock. */
  | { type: 'code-removed'; lockId: string; credentialId: string; personId: string | null; slot: number }
  /** A code found on the lock taken into the register (credentialId: known after the commit). */
  | {
      type: 'code-adopted';
      lockId: string;
      slot: number;
      credentialId: string | null;
      why: 'keypad' | 'found';
    }
  /** Every slot read (first contact, or after the lock's codes changed behind our back). */
  | { type: 'slots-read'; lockId: string; occupied: number; unmanaged: number }
  /** One slot read back: an unknown outcome resolved (recovered) or a keypad edit checked. */
  | {
      type: 'slot-read-back';
      lockId: string;
      slot: number;
      opId: string;
      kind: string;
      outcome: string;
      check: boolean;
    }
  | {
      type: 'slot-read-failed';
      lockId: string;
      slot: number;
      opId: string;
      message: string;
      failures: number;
      suspended: boolean;
    }
  | { type: 'checksum-changed'; lockId: string }
  | { type: 'slot-resumed'; lockId: string; slot: number }
  /**
   * A failure: the store refused a write, a pass failed, a driver reported a fault it handled
   * (`reported`: its event). lockId null: not about one lock (a sweep).
   */
  | { type: 'error'; lockId: string | null; during: string; message: string; reported?: FaultEvent };

type FaultEvent = Extract<DriverEvent, { type: 'fault' }>;

/** A driver's event as sync passes it on: any code it carried is left out. */
export type LockReportedEvent = DistributiveOmit<Exclude<DriverEvent, FaultEvent>, 'code'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface OpRef {
  lockId: string;
  op: 'add' | 'delete' | 'set-programming';
  slot: number;
  opId: string;
  credentialId: string | null;
  personId: string | null;
}

/** A failure's words, whatever a driver rejected with: an Error, a string, null. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * What an error event says of a failure: its message and, for a store fault, the database's own
 * words (the error's cause), which an operator reading the log needs and an HTTP answer never
 * carries.
 */
export function faultMessage(e: unknown): string {
  const message = errorText(e);
  const cause = (e as Error)?.cause;
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}

export type SyncListener = (event: SyncEvent) => void;

/** The port: subscribers, and publishing to them (after the commit that recorded the events). */
export class SyncEvents {
  readonly #listeners = new Set<SyncListener>();

  subscribe(fn: SyncListener): () => void {
    // A wrapper per subscription: the same function subscribed twice is two subscriptions.
    const own: SyncListener = (e) => fn(e);
    this.#listeners.add(own);
    return () => this.#listeners.delete(own);
  }

  publish(events: readonly SyncEvent[]): void {
    for (const e of events) {
      for (const fn of [...this.#listeners]) {
        try {
          fn(e);
        } catch (err) {
          // A listener's failure is news for the others, never for sync (and never a loop).
          if (e.type === 'error' && e.during === 'listener') continue;
          const report: SyncEvent = {
            type: 'error',
            lockId: 'lockId' in e ? e.lockId : null,
            during: 'listener',
            message: errorText(err),
          };
          for (const other of this.#listeners) {
            if (other === fn) continue;
            try {
              other(report);
            } catch {
              // Deliberately dropped: a listener failing on the report of another's failure
              // would otherwise loop; that first failure is already reported above.
            }
          }
        }
      }
    }
  }
}

/** A lock event as passed on: the driver's own fields in its order, the code left out. */
export function withoutCode(e: Exclude<DriverEvent, FaultEvent>): LockReportedEvent {
  const out: Record<string, unknown> = { ...e };
  delete out.code;
  return out as LockReportedEvent;
}

type Row = Omit<AuditEntry, 'actor'>;

/**
 * The audit rows of a change, from its events (the one mapping). Sent and confirmed ops are one
 * row per lock naming every op, at the place of the lock's first such op; events that are not
 * the register's business (reachable, errors, adoption, unreachable outside a read) have none.
 */
export function auditRows(events: readonly SyncEvent[]): Row[] {
  const rows: Row[] = [];
  const grouped = new Map<string, unknown[]>();
  const group = (action: string, lockId: string, op: unknown) => {
    const key = `${action}\u0000${lockId}`;
    const ops = grouped.get(key);
    if (ops) ops.push(op);
    else {
      const list = [op];
      grouped.set(key, list);
      rows.push({ action, subjectType: 'lock', subjectId: lockId, detail: { ops: list } });
    }
  };
  const lock = (action: string, lockId: string, detail: Record<string, unknown>) =>
    rows.push({ action, subjectType: 'lock', subjectId: lockId, detail });
  for (const e of events) {
    switch (e.type) {
      case 'lock-event':
        lock(`lock.${e.event.type}`, e.lockId, { ...e.event });
        break;
      case 'error':
        if (e.reported && e.lockId) lock('lock.fault', e.lockId, { ...e.reported });
        break;
      case 'unreachable':
        if (e.during === 'read')
          lock('sync.unreachable', e.lockId, {
            message: e.message,
            failures: e.failures,
            retryAt: e.retryAt,
            shown: e.shown ?? 0,
          });
        break;
      case 'op-sent':
        group(
          'sync.send',
          e.lockId,
          e.op === 'set-programming'
            ? { op: e.op, slot: e.slot, opId: e.opId }
            : { op: e.op, slot: e.slot, opId: e.opId, credentialId: e.credentialId, replaces: e.replaces },
        );
        break;
      case 'op-confirmed':
        group('sync.confirmed', e.lockId, {
          op: e.op,
          slot: e.slot,
          opId: e.opId,
          confirmedBy: e.confirmedBy,
        });
        break;
      case 'op-failed': {
        const base = {
          op: e.op,
          slot: e.slot,
          opId: e.opId,
          error: e.error,
          message: e.message,
          retryable: e.retryable,
        };
        lock('sync.failed', e.lockId, e.health ? { ...base, ...e.health } : base);
        break;
      }
      case 'op-withdrawn':
        lock('sync.withdrawn', e.lockId, { op: e.op, slot: e.slot, opId: e.opId });
        break;
      case 'code-blocked':
        rows.push({
          action: 'sync.blocked',
          subjectType: 'credential',
          subjectId: e.credentialId,
          detail: { lockId: e.lockId, slot: e.slot, error: e.error },
        });
        break;
      case 'code-moved':
        rows.push({
          action: 'sync.moved',
          subjectType: 'credential',
          subjectId: e.credentialId,
          detail: { lockId: e.lockId, from: e.from, to: e.to, why: 'its slot is taken' },
        });
        break;
      case 'code-removed':
        rows.push({
          action: 'sync.removed',
          subjectType: 'credential',
          subjectId: e.credentialId,
          detail: { lockId: e.lockId, slot: e.slot, how: 'not on the lock' },
        });
        break;
      case 'slots-read':
        lock('sync.read', e.lockId, { occupied: e.occupied, unmanaged: e.unmanaged });
        break;
      case 'slot-read-back':
        lock(e.check ? 'sync.checked' : 'sync.recovered', e.lockId, {
          slot: e.slot,
          opId: e.opId,
          kind: e.kind,
          outcome: e.outcome,
        });
        break;
      case 'slot-read-failed':
        lock('sync.read-failed', e.lockId, {
          slot: e.slot,
          opId: e.opId,
          message: e.message,
          failures: e.failures,
          suspended: e.suspended,
        });
        break;
      case 'checksum-changed':
        lock('sync.checksum-changed', e.lockId, {});
        break;
      case 'slot-resumed':
        lock('sync.resume', e.lockId, { slot: e.slot });
        break;
      case 'reachable':
      case 'code-adopted':
        break;
    }
  }
  return rows;
}
