import { describe, expect, it } from 'vitest';
import { ACTIVITY_TYPES } from '../activity/kinds.js';
import type { ActivityEvent } from '../store/activity.js';
import { messageFor } from './messages.js';

const event = (over: Partial<ActivityEvent>): ActivityEvent => ({
  id: 'evt_1',
  at: 0,
  type: 'code.used',
  lockId: 'lock_1',
  credentialId: 'cred_1',
  personName: 'Smith family',
  slot: 3,
  detail: {},
  ...over,
});
const ctx = { lockName: 'Front door', time: '16:04', baseUrl: 'https://k.example' };

describe('messages', () => {
  it('say who used which door when, with a link to the lock', () => {
    expect(messageFor(event({}), ctx)).toEqual({
      title: 'Door opened: Front door',
      text: 'Smith family used their code at Front door, 16:04',
      url: 'https://k.example/#/locks/lock_1',
    });
  });

  it('say why a code could not be set, in plain words', () => {
    const m = messageFor(
      event({
        type: 'code.failed',
        personName: 'Cabin 2 guests',
        detail: { op: 'set', error: 'unconfirmed', retrying: true },
      }),
      ctx,
    );
    expect(m.text).toBe(
      'The code for Cabin 2 guests could not be set on Front door: the lock did not answer; Keyward will try again',
    );
  });

  it('have a sentence for every kind, with no internal id in it', () => {
    for (const type of ACTIVITY_TYPES) {
      const m = messageFor(event({ type }), ctx);
      expect(m.text.length).toBeGreaterThan(10);
      expect(m.text).not.toMatch(/lock_1|cred_1|evt_1|undefined|null/);
    }
  });
});
