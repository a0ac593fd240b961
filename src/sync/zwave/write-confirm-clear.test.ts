import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lock, refused, sessionOn } from '../../../test/support/zwave-lock-memory.js';
import type { Outcome } from './notification-wait.js';
import { confirmedClear, confirmedProgrammingCode } from './write-confirm.js';

describe('clearing a slot on a Z-Wave lock', () => {
  it('takes the lock’s notification as confirmation and forgets the slot', async () => {
    const lock = new Lock();
    lock.says = 'deleted';
    lock.slots.set(3, '2580');
    const { session, run } = sessionOn(lock, [[3, '2580']]);
    expect(await run(confirmedClear(session, 3))).toEqual({ ok: true, confirmedBy: 'notification' });
    expect(lock.frames).toEqual(['clear 3']);
    expect(session.known.has(3)).toBe(false);
    // Forgotten: the next clear first reads the slot and finds it empty.
    expect(await run(confirmedClear(session, 3))).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(lock.frames).toEqual(['clear 3', 'get 3']);
  });

  it('clears a slot it did not know only when a read-back shows something there', async () => {
    const lock = new Lock();
    lock.says = 'deleted';
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedClear(session, 3))).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(lock.frames).toEqual(['get 3']);
    lock.slots.set(4, '2580');
    expect(await run(confirmedClear(session, 4))).toEqual({ ok: true, confirmedBy: 'notification' });
    lock.answersReads = false;
    expect(await run(confirmedClear(session, 5))).toEqual({ ok: true, confirmedBy: 'notification' });
    expect(lock.frames).toEqual(['get 3', 'get 4', 'clear 4', 'get 5', 'clear 5']);
  });

  it('without a notification, confirms the clear by a read-back showing the slot empty', async () => {
    const lock = new Lock();
    lock.slots.set(3, '2580');
    const { session, run } = sessionOn(lock, [[3, '2580']]);
    expect(await run(confirmedClear(session, 3))).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(lock.frames).toEqual(['clear 3', 'get 3']);
    expect(session.known.has(3)).toBe(false);
  });

  it('fails a clear whose slot still reads back a code, to be tried again', async () => {
    const lock = new Lock();
    lock.takes = false;
    lock.slots.set(3, '2580');
    const { session, run } = sessionOn(lock, [[3, '2580']]);
    expect(await run(confirmedClear(session, 3))).toEqual(
      refused('the lock acknowledged the clear but the slot still holds a code', true, 'failed_to_remove'),
    );
  });

  it('leaves a clear unconfirmed when the lock gives no read-back', async () => {
    const lock = new Lock();
    lock.answersReads = false;
    const { session, run } = sessionOn(lock, [[3, '2580']]);
    expect(await run(confirmedClear(session, 3))).toEqual(
      refused('node 7 acknowledged the clear but gave no read-back', true, 'unconfirmed'),
    );
  });

  it('refuses a slot the lock does not have, as a failed removal', async () => {
    const lock = new Lock();
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedClear(session, 0))).toEqual(
      refused('slot 0 does not exist', false, 'failed_to_remove'),
    );
    expect(await run(confirmedClear(session, 31))).toEqual(
      refused('the lock has 30 slots; slot 31 does not exist', false, 'failed_to_remove'),
    );
    expect(lock.frames).toEqual([]);
  });

  it('fails a clear the node never acknowledges, retryably, naming the frame, and drops its wait', async () => {
    const lock = new Lock();
    lock.clear = async () => {
      throw new Error('no ack');
    };
    const { session, run } = sessionOn(lock, [[3, '2580']]);
    expect(await run(confirmedClear(session, 3))).toEqual(
      refused('node 7 did not answer a clear of slot 3 after 1 attempt: no ack', true, 'failed_to_remove'),
    );
    expect(session.waits.answer({ fact: 'deleted', slot: 3 })).toBe(false);
  });

  it('never confirms a clear unless the lock said so or the slot reads back empty', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Outcome | undefined>(undefined, 'added', 'duplicate', 'full', 'deleted'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (says, known, masks, answersReads) => {
          const lock = new Lock();
          lock.says = says;
          lock.takes = false;
          lock.masks = masks;
          lock.answersReads = answersReads;
          lock.slots.set(3, '2580');
          const { session, run } = sessionOn(lock, known ? [[3, '2580']] : []);
          const result = await run(confirmedClear(session, 3));
          expect(result.ok).toBe(says === 'deleted');
        },
      ),
    );
  });
});

describe('setting the programming code over Z-Wave', () => {
  it('confirms the programming code by reading it back', async () => {
    const lock = new Lock();
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedProgrammingCode(session, '97531'))).toEqual({
      ok: true,
      confirmedBy: 'read-back',
    });
    expect(lock.frames).toEqual(['admin set', 'admin get']);
  });

  it('refuses when the lock reads back another programming code', async () => {
    const lock = new Lock();
    lock.adminTakes = false;
    lock.admin = '11111';
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedProgrammingCode(session, '97531'))).toEqual(
      refused('the lock acknowledged the programming code but reads back another'),
    );
  });

  it('points to the keypad on a lock that takes no programming code over Z-Wave', async () => {
    const lock = new Lock();
    lock.caps = { ...lock.caps, adminCode: false };
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedProgrammingCode(session, '97531'))).toEqual(
      refused(
        'this lock does not take its programming code over Z-Wave (no User Code admin code): set it at the keypad',
      ),
    );
    expect(lock.frames).toEqual([]);
  });

  it('fails retryably, naming the frame, when the node does not answer the set or the get', async () => {
    const lock = new Lock();
    lock.setAdminCode = async () => {
      throw new Error('no ack');
    };
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedProgrammingCode(session, '97531'))).toEqual(
      refused('node 7 did not answer an admin code set after 1 attempt: no ack', true),
    );
    const reads = new Lock();
    reads.getAdminCode = async () => {
      throw new Error('no report');
    };
    const other = sessionOn(reads);
    expect(await other.run(confirmedProgrammingCode(other.session, '97531'))).toEqual(
      refused('node 7 did not answer an admin code get after 1 attempt: no report', true),
    );
  });
});
