import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALL_MS, Lock, refused, sessionOn } from '../../../test/support/zwave-lock-memory.js';
import type { Outcome } from './notification-wait.js';
import { confirmedClear, confirmedSet } from './write-confirm.js';

describe('setting a code on a Z-Wave lock', () => {
  it('takes the lock’s own notification as confirmation and reads nothing back', async () => {
    const lock = new Lock();
    lock.says = 'added';
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual({ ok: true, confirmedBy: 'notification' });
    expect(lock.frames).toEqual(['set 3']);
    expect(session.known.get(3)).toBe('2580');
  });

  it('after a confirmed set, sends the same code again only as a read-back proving it is there', async () => {
    const lock = new Lock();
    lock.says = 'added';
    const { session, run } = sessionOn(lock);
    await run(confirmedSet(session, 3, '2580'));
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(lock.frames).toEqual(['set 3', 'get 3']);
  });

  it('sends the code when the slot it believed held it reads back empty, another code, or not at all', async () => {
    for (const [answersReads, holds] of [
      [true, undefined],
      [true, '1470'],
      [false, undefined],
    ] as const) {
      const lock = new Lock();
      lock.says = 'added';
      lock.answersReads = answersReads;
      if (holds) lock.slots.set(3, holds);
      const { session, run } = sessionOn(lock, [[3, '2580']]);
      expect(await run(confirmedSet(session, 3, '2580'))).toEqual({ ok: true, confirmedBy: 'notification' });
      expect(lock.frames).toEqual(['get 3', 'set 3']);
    }
  });

  it('without a notification, confirms the set by one read-back showing the code', async () => {
    const lock = new Lock();
    const { session, run, clock } = sessionOn(lock);
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(lock.frames).toEqual(['set 3', 'get 3']);
    expect(clock.now()).toBe(1_000 + CALL_MS);
    expect(session.known.get(3)).toBe('2580');
  });

  it('believes a masked read-back only for a slot that was empty before the set', async () => {
    const lock = new Lock();
    lock.masks = true;
    const empty = sessionOn(lock);
    expect(await empty.run(confirmedSet(empty.session, 3, '2580'))).toEqual({
      ok: true,
      confirmedBy: 'read-back',
    });
    const held = sessionOn(lock, [[3, '1470']]);
    expect(await held.run(confirmedSet(held.session, 3, '2580'))).toEqual(
      refused(
        'the lock masks its codes, so the new code cannot be told from the old one',
        true,
        'unconfirmed',
      ),
    );
  });

  it('calls a set acknowledged but missing from the read-back a refusal, naming the prefix rule', async () => {
    const lock = new Lock();
    lock.takes = false;
    const { session, run } = sessionOn(lock, [], undefined as never);
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual(
      refused(
        'the lock acknowledged the set but the slot reads back without the code; a lock refuses a code that repeats the first four digits of another',
        false,
        'duplicate_on_device',
      ),
    );
  });

  it('calls a set refused when the slot reads back another code', async () => {
    const lock = new Lock();
    lock.takes = false;
    lock.slots.set(3, '1470');
    const { session, run } = sessionOn(lock, [[3, '1470']], undefined as never);
    expect(await run(confirmedSet(session, 3, '2580'))).toMatchObject({
      ok: false,
      error: 'duplicate_on_device',
      message: expect.stringContaining('reads back without the code'),
    });
  });

  it('calls a set refused when a slot it did not know reads back another code, however it was empty before', async () => {
    const lock = new Lock();
    lock.takes = false;
    lock.slots.set(3, '1470');
    const { session, run } = sessionOn(lock, [], undefined as never);
    expect(await run(confirmedSet(session, 3, '2580'))).toMatchObject({
      ok: false,
      error: 'duplicate_on_device',
      message: expect.stringContaining('reads back without the code'),
    });
  });

  it('leaves a set unconfirmed, to be tried again, when the lock gives no read-back', async () => {
    const lock = new Lock();
    lock.answersReads = false;
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual(
      refused('node 7 acknowledged the set but gave no read-back', true, 'unconfirmed'),
    );
  });

  it('names the slot that holds the clashing code when the lock reports a duplicate', async () => {
    const lock = new Lock();
    lock.says = 'duplicate';
    lock.takes = false;
    const { session, run } = sessionOn(lock, [[5, '2580123']]);
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual(
      refused(
        'the lock refused the code (Access Control 0x0F): slot 5 holds the same code or one with the same first four digits',
        false,
        'duplicate_on_device',
      ),
    );
    expect(lock.frames).toEqual(['set 3']);
  });

  it('reports a full code memory as no free slot, not to be retried', async () => {
    const lock = new Lock();
    lock.says = 'full';
    lock.takes = false;
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual(
      refused('the lock refused the code: its code memory is full', false, 'no_free_slot'),
    );
    expect(lock.frames).toEqual(['set 3']);
  });

  it('refuses a code that is not 4 to 10 digits without sending it', async () => {
    const lock = new Lock();
    lock.says = 'added';
    const { session, run } = sessionOn(lock);
    for (const code of ['123', '12345678901', 'a2580', '2580a', '25 80', ''])
      expect(await run(confirmedSet(session, 3, code))).toEqual(refused('a Z-Wave user code is 4-10 digits'));
    expect(lock.frames).toEqual([]);
    for (const code of ['2580', '1234567890'])
      expect(await run(confirmedSet(session, 4, code))).toMatchObject({ ok: true });
  });

  it('refuses a slot the lock does not have, saying how many it has', async () => {
    const lock = new Lock();
    lock.says = 'added';
    const { session, run } = sessionOn(lock);
    for (const slot of [0, -1, 2.5])
      expect(await run(confirmedSet(session, slot, '2580'))).toEqual(refused(`slot ${slot} does not exist`));
    expect(await run(confirmedSet(session, 31, '2580'))).toEqual(
      refused('the lock has 30 slots; slot 31 does not exist', false, 'no_free_slot'),
    );
    expect(lock.frames).toEqual([]);
    expect(await run(confirmedSet(session, 30, '2580'))).toMatchObject({ ok: true });
    expect(await run(confirmedSet(session, 1, '3690'))).toMatchObject({ ok: true });
  });

  it('takes any slot from 1 up when the lock never said how many it has', async () => {
    const lock = new Lock();
    lock.says = 'added';
    lock.caps = { ...lock.caps, users: undefined };
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedSet(session, 250, '2580'))).toMatchObject({ ok: true });
    expect(await run(confirmedClear(session, 250))).toMatchObject({ ok: true });
  });

  it('fails a set the node never acknowledges, retryably, naming the frame, and drops its wait', async () => {
    const lock = new Lock();
    lock.set = async () => {
      throw new Error('no ack');
    };
    const { session, run, unreachable } = sessionOn(lock);
    const message = 'node 7 did not answer a set of slot 3 after 1 attempt: no ack';
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual(refused(message, true));
    expect(unreachable).toEqual([message]);
    // A later notification for the slot is not taken for the answer to a frame that never went out.
    expect(session.waits.answer({ fact: 'added', slot: 3 })).toBe(false);
  });

  it('sends no second frame for a slot whose last set the network still holds for a sleeping node', async () => {
    const lock = new Lock();
    lock.set = () => new Promise<void>(() => undefined);
    const { session, run } = sessionOn(lock);
    expect(await run(confirmedSet(session, 3, '2580'))).toMatchObject({
      ok: false,
      error: 'failed_to_set',
      message: expect.stringContaining('no answer to a set of slot 3 within 60000 ms'),
      retryable: true,
    });
    const held =
      'node 7 has not yet taken the last frame for slot 3 (asleep or out of range): it is sent when the node wakes, not again';
    expect(await run(confirmedSet(session, 3, '2580'))).toEqual(refused(held, true));
    expect(await run(confirmedClear(session, 3))).toEqual(refused(held, true, 'failed_to_remove'));
  });

  it('never confirms a set unless the lock said so or the read-back shows exactly that code (or a code in a slot that was empty)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Outcome | undefined>(undefined, 'added', 'duplicate', 'full', 'deleted'),
        fc.option(fc.constantFrom('2580', '1470', '25801'), { nil: undefined }),
        fc.option(fc.constantFrom('2580', '1470'), { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        async (says, before, known, masks, answersReads) => {
          const lock = new Lock();
          lock.says = says;
          lock.takes = false;
          lock.masks = masks;
          lock.answersReads = answersReads;
          if (before !== undefined) lock.slots.set(3, before);
          const { session, run } = sessionOn(lock, known === undefined ? [] : [[3, known]]);
          const result = await run(confirmedSet(session, 3, '2580'));
          const readable = answersReads && before !== undefined;
          const provenByRead = readable && (masks ? known === undefined : before === '2580');
          if (result.ok) expect(says === 'added' || provenByRead).toBe(true);
          else expect(says === 'added').toBe(false);
        },
      ),
    );
  });
});
