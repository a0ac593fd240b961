/**
 * The one port every kind of lock sits behind: a simulated twin, a person following a guide at a
 * lock without a radio, a zwave-js driver on a serial stick, or a zwave-js-server shared with
 * Home Assistant. The reconciler sees only this.
 */

import type { AccessCodeError } from '../core/access/lifecycle.js';

export type { AccessCodeError };

/** A write is done only when confirmed by a read-back or the lock's own notification. */
export type WriteResult =
  | { ok: true; confirmedBy: 'read-back' | 'notification' | 'person' }
  | { ok: false; error: AccessCodeError; message: string; retryable: boolean };

export interface LockReport {
  /**
   * Slot number to code. `null` means occupied but the code is unknown (masked read-back);
   * absent means empty.
   */
  slots: Record<string, string | null>;
  /** Volts per AA cell, when the lock reports its battery. */
  voltsPerCell?: number;
  /** When the report was taken (driver clock, ms since epoch). */
  at: number;
}

export type DriverEvent =
  | { type: 'code-used'; slot: number; at: number }
  | { type: 'code-added-at-keypad'; slot: number; code: string | null; at: number }
  | { type: 'code-deleted-at-keypad'; slot: number; at: number }
  | { type: 'all-codes-deleted'; at: number }
  | { type: 'duplicate-refused'; slot: number | null; at: number }
  | { type: 'lock-full'; at: number }
  | { type: 'wrong-code-lockout'; at: number }
  | { type: 'programming-code-changed'; at: number }
  | { type: 'battery'; voltsPerCell: number; level: 'ok' | 'low' | 'critical'; at: number }
  | { type: 'unreachable'; at: number; message: string }
  /**
   * A failure the driver handled itself (a read-back after a keypad alarm, a malformed message
   * from a server): reported so that no error goes unseen. It changes nothing in the register.
   */
  | { type: 'fault'; at: number; message: string; during: string };

export interface LockDriver {
  readonly kind: 'sim' | 'manual' | 'zwave' | 'zwave-server' | 'zigbee2mqtt';
  /** Everything the lock reports. On radio locks this costs battery: call it only when needed. */
  read(): Promise<LockReport>;
  /** One slot's code (null: occupied but masked; undefined: empty). */
  readSlot(slot: number): Promise<string | null | undefined>;
  setSlot(slot: number, code: string): Promise<WriteResult>;
  clearSlot(slot: number): Promise<WriteResult>;
  setProgrammingCode(code: string): Promise<WriteResult>;
  /**
   * A cheap fingerprint of every slot (the User Code CC checksum where the lock has one), so an
   * unchanged lock is verified with one frame. Undefined where the lock cannot give one.
   */
  checksum?(): Promise<number | undefined>;
  /**
   * The checksum the lock would report if it held exactly these slots (same algorithm as
   * `checksum`, e.g. the User Code CC's CRC), so a verification compares the lock with the
   * register instead of with an earlier reading. Optional; without it the reconciler compares
   * with the checksum it took right after its own last confirmed writes.
   */
  expectedChecksum?(slots: Record<string, string>): number;
  onEvent(listener: (event: DriverEvent) => void): () => void;
  close(): Promise<void>;
}
