import { getModel } from '../../src/core/catalog/index.js';
import { SimClock } from '../../src/sync/clock.js';
import type { WriteResult } from '../../src/sync/driver.js';
import type { LinkCapabilities, LinkSignal, LockLink, SlotRead } from '../../src/sync/zwave/link.js';
import type { LockSession } from '../../src/sync/zwave/lock-session.js';
import { NotificationWaits, type Outcome } from '../../src/sync/zwave/notification-wait.js';
import { RadioCalls } from '../../src/sync/zwave/radio-calls.js';

/** What src/sync/zwave/write-confirm-*.test.ts share: a Z-Wave lock in memory and a session on it. */
export const WAIT_MS = 3_000;
export const CALL_MS = 60_000;

/**
 * A lock in memory: the slots it holds, what it says after a write (a notification, or nothing),
 * and what a read-back shows (its code, masked, or no answer). Every frame is logged.
 */
export class Lock implements LockLink {
  readonly kind = 'zwave' as const;
  readonly nodeId = 7;
  readonly slots = new Map<number, string>();
  readonly frames: string[] = [];
  caps: LinkCapabilities = { users: 30, checksum: false, adminCode: true };
  /** The notification the lock sends after a set or a clear, if any. */
  says: Outcome | undefined;
  /** Whether the lock keeps a set frame (false: it acknowledges and drops it). */
  takes = true;
  masks = false;
  answersReads = true;
  admin: string | undefined;
  adminTakes = true;
  waits: NotificationWaits | undefined;
  set: (slot: number, code: string) => Promise<void> = async (slot, code) => {
    this.frames.push(`set ${slot}`);
    if (this.takes) this.slots.set(slot, code);
    if (this.says) this.waits?.answer({ fact: this.says, slot });
  };
  clear: (slot: number) => Promise<void> = async (slot) => {
    this.frames.push(`clear ${slot}`);
    if (this.takes) this.slots.delete(slot);
    if (this.says) this.waits?.answer({ fact: this.says, slot });
  };
  get: (slot: number) => Promise<SlotRead | undefined> = async (slot) => {
    this.frames.push(`get ${slot}`);
    if (!this.answersReads) return undefined;
    const code = this.slots.get(slot);
    if (code === undefined) return { status: 'empty' };
    return { status: 'occupied', code: this.masks ? null : code };
  };
  capabilities(): LinkCapabilities {
    return this.caps;
  }
  cachedSlots() {
    return new Map<number, string | null>();
  }
  cachedBattery() {
    return undefined;
  }
  async checksum() {
    return undefined;
  }
  async setAdminCode(code: string) {
    this.frames.push('admin set');
    if (this.adminTakes) this.admin = code;
  }
  async getAdminCode() {
    this.frames.push('admin get');
    return this.admin;
  }
  subscribe(_listener: (signal: LinkSignal) => void) {
    return () => undefined;
  }
  async close() {}
}

/** A session on the lock, as the driver makes one: one try per frame, the given confirmed slots. */
export function sessionOn(lock: Lock, known: Array<[number, string | null]> = [], model = getModel('914')) {
  const clock = new SimClock(1_000);
  const unreachable: string[] = [];
  const waits = new NotificationWaits(clock, WAIT_MS);
  lock.waits = waits;
  const session: LockSession = {
    link: lock,
    model: model as LockSession['model'],
    clock,
    known: new Map(known),
    radio: new RadioCalls(
      lock.nodeId,
      clock,
      { attempts: 1, backoffMs: 1_000, callTimeoutMs: CALL_MS },
      (m) => unreachable.push(m),
    ),
    waits,
    emit: () => undefined,
    serial: (task) => task(),
  };
  /** Runs a write to its end, moving the simulated clock through any wait. */
  const run = async (write: Promise<WriteResult>): Promise<WriteResult> => {
    let result: WriteResult | undefined;
    void write.then((r) => {
      result = r;
    });
    for (let i = 0; result === undefined && i < 10; i++) await clock.advance(CALL_MS);
    return result!;
  };
  return { session, clock, unreachable, run };
}

export const refused = (message: string, retryable = false, error = 'failed_to_set'): WriteResult => ({
  ok: false,
  error: error as never,
  message,
  retryable,
});
