import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionEvent,
  availabilityOf,
  clearPayload,
  getPayload,
  readUsers,
  setPayload,
  voltsPerCellOf,
} from './messages.js';

describe('Zigbee2MQTT messages', () => {
  it('numbers users from 0, so slot N is user N-1 in every request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (slot) => {
        expect((setPayload(slot, '1234').pin_code as { user: number }).user).toBe(slot - 1);
        expect((clearPayload(slot).pin_code as { user: number }).user).toBe(slot - 1);
        expect((getPayload(slot).pin_code as { user: number }).user).toBe(slot - 1);
      }),
    );
  });

  it('reads occupancy from status, never from a pin_code left in the merged state', () => {
    const users = readUsers({ users: { '0': { status: 'available', pin_code: '1234' } } }, true);
    expect(users.get(1)).toEqual({ status: 'empty' });
  });

  it('trusts a PIN only where the device exposes PINs', () => {
    const state = { users: { '4': { status: 'enabled', pin_code: '2468' } } };
    expect(readUsers(state, true).get(5)).toEqual({ status: 'occupied', code: '2468', enabled: true });
    expect(readUsers(state, false).get(5)).toEqual({ status: 'occupied', code: null, enabled: true });
  });

  it('leaves out users whose status it does not know, and junk', () => {
    const users = readUsers(
      { users: { x: {}, '-1': { status: 'enabled' }, '3': { status: 'weird' } } },
      true,
    );
    expect(users.size).toBe(0);
    expect(readUsers({ users: 'nope' }, true).size).toBe(0);
  });

  it('turns a keypad unlock into a use of the slot, and an RF unlock into nothing', () => {
    expect(actionEvent({ action: 'unlock', action_source_name: 'keypad', action_user: 2 }, 9)).toEqual({
      type: 'code-used',
      slot: 3,
      at: 9,
    });
    expect(actionEvent({ action: 'unlock', action_source_name: 'rf', action_user: 2 }, 9)).toBeUndefined();
  });

  it('reads a changed code as a new code to read back', () => {
    expect(actionEvent({ action: 'pin_code_changed', action_user: 0 }, 1)).toEqual({
      type: 'code-added-at-keypad',
      slot: 1,
      code: null,
      at: 1,
    });
  });

  it('understands both availability forms and nothing else', () => {
    expect(availabilityOf('{"state":"online"}')).toBe(true);
    expect(availabilityOf('offline')).toBe(false);
    expect(availabilityOf('{bad')).toBeUndefined();
    expect(availabilityOf('maybe')).toBeUndefined();
  });

  it('gives volts per cell from the pack voltage in millivolts', () => {
    expect(voltsPerCellOf({ voltage: 6000 })).toBe(1.5);
    expect(voltsPerCellOf({ voltage: 'x' })).toBeUndefined();
  });
});
