import type { AccessCodeError, WriteResult } from '../driver.js';
import { type LockSession, readBack } from './lock-session.js';
import { namedRefusal } from './refusal.js';
import { errorText, fail } from './write-result.js';

/**
 * Writes that count only once the lock confirms them: its Access Control notification or
 * Kwikset alarm, or else one read-back of the slot. A bare acknowledgement is never success,
 * because a Kwikset acknowledges a set it then refuses.
 */

function slotProblem(session: LockSession, slot: number, error: AccessCodeError): WriteResult | undefined {
  const users = session.link.capabilities().users;
  if (!Number.isInteger(slot) || slot < 1) return fail(error, `slot ${slot} does not exist`, false);
  if (users !== undefined && slot > users) {
    const code = error === 'failed_to_set' ? 'no_free_slot' : error;
    return fail(code, `the lock has ${users} slots; slot ${slot} does not exist`, false);
  }
  return undefined;
}

export async function confirmedSet(session: LockSession, slot: number, code: string): Promise<WriteResult> {
  const { link, known, radio, waits } = session;
  const problem = slotProblem(session, slot, 'failed_to_set');
  if (problem) return problem;
  if (!/^[0-9]{4,10}$/.test(code)) return fail('failed_to_set', 'a Z-Wave user code is 4-10 digits', false);
  const held = radio.stillHeld(slot, 'failed_to_set');
  if (held) return held;
  try {
    // A lock compares a new code with the one it replaces too, so sending the code a slot
    // already holds would be refused as a duplicate: one read-back proves it instead.
    if (known.get(slot) === code) {
      const read = await readBack(session, slot);
      if (read?.status === 'occupied' && read.code === code) return { ok: true, confirmedBy: 'read-back' };
    }
    const wasEmpty = !known.has(slot);
    const waiter = waits.expect(slot, 'set');
    try {
      await radio.call(`a set of slot ${slot}`, () => radio.held(slot, link.set(slot, code)));
    } catch (error) {
      waiter.cancel();
      throw error;
    }
    const outcome = await waiter.arm();
    if (outcome === 'added') {
      known.set(slot, code);
      return { ok: true, confirmedBy: 'notification' };
    }
    const refused = (message: string) => namedRefusal(session.model, known, slot, code, message);
    if (outcome === 'duplicate') return refused('the lock refused the code (Access Control 0x0F)');
    if (outcome === 'full')
      return fail('no_free_slot', 'the lock refused the code: its code memory is full', false);
    const read = await readBack(session, slot);
    if (!read)
      return fail('unconfirmed', `node ${link.nodeId} acknowledged the set but gave no read-back`, true);
    if (read.status === 'occupied' && read.code === code) return { ok: true, confirmedBy: 'read-back' };
    if (read.status === 'occupied' && read.code === null && wasEmpty) {
      // The slot was empty and now holds a code only this write can have put there.
      return { ok: true, confirmedBy: 'read-back' };
    }
    if (read.status === 'occupied' && read.code === null) {
      return fail(
        'unconfirmed',
        'the lock masks its codes, so the new code cannot be told from the old one',
        true,
      );
    }
    return refused('the lock acknowledged the set but the slot reads back without the code');
  } catch (error) {
    return fail('failed_to_set', errorText(error), true);
  }
}

export async function confirmedClear(session: LockSession, slot: number): Promise<WriteResult> {
  const { link, known, radio, waits } = session;
  const problem = slotProblem(session, slot, 'failed_to_remove');
  if (problem) return problem;
  const held = radio.stillHeld(slot, 'failed_to_remove');
  if (held) return held;
  try {
    if (!known.has(slot)) {
      const read = await readBack(session, slot);
      if (read?.status === 'empty') return { ok: true, confirmedBy: 'read-back' };
    }
    const waiter = waits.expect(slot, 'clear');
    try {
      await radio.call(`a clear of slot ${slot}`, () => radio.held(slot, link.clear(slot)));
    } catch (error) {
      waiter.cancel();
      throw error;
    }
    if ((await waiter.arm()) === 'deleted') {
      known.delete(slot);
      return { ok: true, confirmedBy: 'notification' };
    }
    const read = await readBack(session, slot);
    if (read?.status === 'empty') return { ok: true, confirmedBy: 'read-back' };
    if (!read)
      return fail('unconfirmed', `node ${link.nodeId} acknowledged the clear but gave no read-back`, true);
    return fail('failed_to_remove', 'the lock acknowledged the clear but the slot still holds a code', true);
  } catch (error) {
    return fail('failed_to_remove', errorText(error), true);
  }
}

export async function confirmedProgrammingCode(session: LockSession, code: string): Promise<WriteResult> {
  const { link, radio } = session;
  if (!link.capabilities().adminCode) {
    return fail(
      'failed_to_set',
      'this lock does not take its programming code over Z-Wave (no User Code admin code): set it at the keypad',
      false,
    );
  }
  try {
    await radio.call('an admin code set', () => link.setAdminCode(code));
    const read = await radio.call('an admin code get', () => link.getAdminCode());
    if (read === code) return { ok: true, confirmedBy: 'read-back' };
    return fail('failed_to_set', 'the lock acknowledged the programming code but reads back another', false);
  } catch (error) {
    return fail('failed_to_set', errorText(error), true);
  }
}
