import type { ModelProfile } from '../../core/catalog/types.js';
import type { TimerClock } from '../clock.js';
import type { DriverEvent } from '../driver.js';
import type { LockLink, SlotRead } from './link.js';
import type { NotificationWaits } from './notification-wait.js';
import type { RadioCalls } from './radio-calls.js';

/**
 * What the parts of one Z-Wave lock driver share: the link to the node, what the lock last
 * confirmed, the radio calls, the writes waiting for an answer, and where events go.
 */
export interface LockSession {
  readonly link: LockLink;
  /** The catalog model, when known. */
  readonly model: ModelProfile | undefined;
  readonly clock: TimerClock;
  /** Slots as last confirmed by the lock (null: occupied, code masked). */
  readonly known: Map<number, string | null>;
  readonly radio: RadioCalls;
  readonly waits: NotificationWaits;
  emit(event: DriverEvent): void;
  /** Runs the task after every operation already queued on this lock. */
  serial<T>(task: () => Promise<T>): Promise<T>;
}

/** Reads one slot from the lock and remembers what it holds. */
export async function readBack(session: LockSession, slot: number): Promise<SlotRead | undefined> {
  const read = await session.radio.call(`a read of slot ${slot}`, () => session.link.get(slot));
  if (read?.status === 'empty') session.known.delete(slot);
  else if (read) session.known.set(slot, read.code);
  return read;
}
