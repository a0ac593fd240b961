/**
 * What the Z-Wave lock driver needs from a network, whether zwave-js runs in this process or
 * behind a zwave-js-server: one User Code frame per call and the node's reports as signals.
 * Both links speak the same calls, so the confirmation logic above them exists once.
 */

/** One slot as read from the lock. `code: null` is a masked read-back (occupied, code unknown). */
export type SlotRead = { status: 'empty' } | { status: 'occupied'; code: string | null };

export type LinkSignal =
  /** A Notification CC event as zwave-js reports it (V1 alarms already mapped by device config). */
  | { kind: 'notification'; type: number; event: number; userId?: number }
  /** A V1 alarm zwave-js has no mapping for (Kwikset 112 code added, 113 duplicate). */
  | { kind: 'alarm'; alarmType: number; alarmLevel: number }
  /** Battery CC report. */
  | { kind: 'battery'; percent: number; isLow: boolean }
  /** Power Management "Battery level status" state (14 replace soon, 15 replace now). */
  | { kind: 'battery-status'; state: number };

export interface LinkCapabilities {
  /** Users the lock reports (User Code Users Number Report), cached from the interview. */
  users: number | undefined;
  /** User Code CC v2 checksum: one frame fingerprints every slot. */
  checksum: boolean;
  /** Whether the lock takes an admin (programming) code over Z-Wave. */
  adminCode: boolean;
}

export interface NodeSummary {
  nodeId: number;
  manufacturerId: number | undefined;
  productType: number | undefined;
  productId: number | undefined;
  label: string | undefined;
  ready: boolean;
}

export interface LockLink {
  readonly kind: 'zwave' | 'zwave-server';
  readonly nodeId: number;
  capabilities(): LinkCapabilities;
  /** Slots from the driver's value cache, filled by the interview: no radio traffic. */
  cachedSlots(): Map<number, string | null>;
  /** Battery percentage from the cache, if the lock reported one. */
  cachedBattery(): number | undefined;
  /** Sends one set frame. Resolves when the frame was delivered; rejects if the node never acked. */
  set(slot: number, code: string): Promise<void>;
  clear(slot: number): Promise<void>;
  /** Resolves undefined when the lock did not answer in time. */
  get(slot: number): Promise<SlotRead | undefined>;
  checksum(): Promise<number | undefined>;
  setAdminCode(code: string): Promise<void>;
  getAdminCode(): Promise<string | undefined>;
  subscribe(listener: (signal: LinkSignal) => void): () => void;
  close(): Promise<void>;
}

/** User ID status values of the User Code CC. */
export const UserIdStatus = { available: 0, enabled: 1, disabled: 2 } as const;

/**
 * A slot from a User Code report. Locks that hide their codes answer "****" or all zeros
 * (keymaster sees both); such a read-back proves the slot is occupied, never which code it holds.
 * A literal all-zero user code is thereby unconfirmable, which errs on the side of the lock.
 */
export function slotFrom(status: number | undefined, code: unknown): SlotRead | undefined {
  if (status === undefined || status === 0xfe) return undefined;
  if (status === UserIdStatus.available) return { status: 'empty' };
  const text = typeof code === 'string' ? code : undefined;
  const masked = text === undefined || !/^[0-9]+$/.test(text) || /^0+$/.test(text);
  return { status: 'occupied', code: masked ? null : text };
}
