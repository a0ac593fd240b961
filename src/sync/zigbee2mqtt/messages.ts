import type { DriverEvent } from '../driver.js';

/**
 * What Zigbee2MQTT says and what Keyward sends it, as data. Zigbee2MQTT numbers a lock's users
 * from 0; Keyward's slots start at 1, so slot N is user N-1 everywhere below.
 *
 * Two habits of Zigbee2MQTT shape this file. It never confirms a write: a `set` is only a
 * request, so every write is checked by reading the user back. And the state it publishes is
 * merged: after a user is cleared its old `pin_code` stays in the state, so a slot's occupancy is
 * read from the user's `status`, never from the presence of `pin_code`.
 */

export const userOf = (slot: number): number => slot - 1;
export const slotOf = (user: number): number => user + 1;

export function setPayload(slot: number, code: string): Record<string, unknown> {
  return {
    pin_code: { user: userOf(slot), user_type: 'unrestricted', user_enabled: true, pin_code: code },
  };
}

/** Clearing is the documented form with a null code. */
export function clearPayload(slot: number): Record<string, unknown> {
  return { pin_code: { user: userOf(slot), pin_code: null } };
}

export function getPayload(slot: number): Record<string, unknown> {
  return { pin_code: { user: userOf(slot) } };
}

/** One user as the lock last answered for it. */
export type UserReading =
  /** `code` is null when the device does not expose PIN codes (`expose_pin` off). */
  | { status: 'occupied'; code: string | null; enabled: boolean }
  | { status: 'empty' }
  /** The lock answered that this user does not exist or is not supported. */
  | { status: 'unsupported' };

/** The `users` part of a device's state, by slot. Entries that make no sense are left out. */
export function readUsers(state: Record<string, unknown>, exposePin: boolean): Map<number, UserReading> {
  const out = new Map<number, UserReading>();
  const users = state.users;
  if (!users || typeof users !== 'object') return out;
  for (const [key, value] of Object.entries(users as Record<string, unknown>)) {
    const user = Number(key);
    if (!Number.isInteger(user) || user < 0 || !value || typeof value !== 'object') continue;
    const { status, pin_code: pin } = value as { status?: unknown; pin_code?: unknown };
    let reading: UserReading;
    if (status === 'available') reading = { status: 'empty' };
    else if (status === 'enabled' || status === 'disabled')
      reading = {
        status: 'occupied',
        enabled: status === 'enabled',
        // A PIN is read only where the device is set to expose it; otherwise whatever pin_code
        // the merged state holds may be stale, and is not trusted.
        code: exposePin && typeof pin === 'string' && /^[0-9]{4,10}$/.test(pin) ? pin : null,
      };
    else if (status === 'not_supported') reading = { status: 'unsupported' };
    else continue;
    out.set(slotOf(user), reading);
  }
  return out;
}

/** Battery as Keyward keeps it: volts per AA cell (4 cells), from the voltage Zigbee2MQTT reports in mV. */
export function voltsPerCellOf(state: Record<string, unknown>): number | undefined {
  const mv = state.voltage;
  if (typeof mv !== 'number' || !Number.isFinite(mv) || mv <= 0) return undefined;
  return Math.round((mv / 1000 / 4) * 1000) / 1000;
}

/** The lock's own events carried by a state message (`action` and its companions). */
export function actionEvent(state: Record<string, unknown>, at: number): DriverEvent | undefined {
  const action = state.action;
  const user = state.action_user;
  const slot = typeof user === 'number' && Number.isInteger(user) && user >= 0 ? slotOf(user) : null;
  if (action === 'pin_code_added' && slot !== null)
    return { type: 'code-added-at-keypad', slot, code: null, at };
  // A changed code is a new code in that slot: read it back like an added one.
  if (action === 'pin_code_changed' && slot !== null)
    return { type: 'code-added-at-keypad', slot, code: null, at };
  if (action === 'pin_code_deleted' && slot !== null) return { type: 'code-deleted-at-keypad', slot, at };
  if (action === 'unlock' && state.action_source_name === 'keypad' && slot !== null)
    return { type: 'code-used', slot, at };
  return undefined;
}

/**
 * Availability, in both forms Zigbee2MQTT has used: `{"state":"online"}` and the bare word.
 * Undefined: not an availability message.
 */
export function availabilityOf(payload: string): boolean | undefined {
  let word: unknown = payload.trim();
  if (typeof word === 'string' && word.startsWith('{')) {
    try {
      word = (JSON.parse(word) as { state?: unknown }).state;
    } catch {
      return undefined;
    }
  }
  if (word === 'online') return true;
  if (word === 'offline') return false;
  return undefined;
}

/** Parses a JSON object message; anything else is undefined (Zigbee2MQTT publishes objects). */
export function objectOf(payload: Buffer | string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(payload.toString()) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A device's `expose_pin` option from `bridge/info` (options are keyed by IEEE address). */
export function exposePinOf(info: Record<string, unknown> | undefined, device: string): boolean | undefined {
  const devices = (info?.config as { devices?: unknown } | undefined)?.devices;
  if (!devices || typeof devices !== 'object') return undefined;
  for (const options of Object.values(devices as Record<string, unknown>)) {
    if (!options || typeof options !== 'object') continue;
    const o = options as { friendly_name?: unknown; expose_pin?: unknown };
    if (o.friendly_name === device) return o.expose_pin === true;
  }
  return undefined;
}
