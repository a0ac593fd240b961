import type { FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import type { Store } from '../store/index.js';
import { Authenticator } from './auth.js';
import type { ThrottleStore } from './auth-throttle.js';

/** The throttle's counter row in memory: these tests are about the cache. */
const counter: ThrottleStore = {
  count: async () => 1,
  refund: async () => {},
  prune: async () => {},
  known: async () => new Set(),
};

const request = (token: string) =>
  ({ ip: '10.0.0.1', headers: { authorization: `Bearer ${token}` } }) as unknown as FastifyRequest;

/** A token table in memory whose lookups can be held open, to revoke while one is in flight. */
function tokens() {
  const live = new Map([['kw_a', { id: 'tok_a', role: 'viewer' as const }]]);
  let hold: Promise<void> | null = null;
  let lookups = 0;
  const store = {
    findApiToken: async (t: string) => {
      lookups++;
      const found = live.get(t) ?? null;
      if (hold) await hold;
      return found;
    },
  } as unknown as Store;
  return {
    store,
    revoke: (t: string) => live.delete(t),
    holdNext: () => {
      let release!: () => void;
      hold = new Promise((r) => {
        release = r;
      });
      return () => {
        hold = null;
        release();
      };
    },
    lookups: () => lookups,
  };
}

describe('the token cache', () => {
  it('serves a known token from memory, and asks again at once after forget', async () => {
    const t = tokens();
    const auth = new Authenticator(t.store, { cacheMs: 60_000, throttleStore: counter });
    await auth.authenticate(request('kw_a'));
    await auth.authenticate(request('kw_a'));
    expect(t.lookups()).toBe(1);
    t.revoke('kw_a');
    auth.forget('tok_a');
    await expect(auth.authenticate(request('kw_a'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('does not cache a lookup that was in flight when a token was revoked', async () => {
    const t = tokens();
    const auth = new Authenticator(t.store, { cacheMs: 60_000, throttleStore: counter });
    const release = t.holdNext();
    const inFlight = auth.authenticate(request('kw_a'));
    // The throttle counts the attempt first; revoke once the lookup itself has begun.
    await vi.waitFor(() => expect(t.lookups()).toBe(1));
    t.revoke('kw_a');
    auth.forget('tok_a');
    release();
    // It began before the revocation, so it may pass; it must not keep the token alive after.
    await inFlight;
    await expect(auth.authenticate(request('kw_a'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('gives its throttle the allowance and clock it was given, and tells a throttled client when to come back', async () => {
    const t = tokens();
    let attempts = 0;
    const counting: ThrottleStore = { ...counter, count: async () => ++attempts };
    const auth = new Authenticator(t.store, { throttleStore: counting, maxFailures: 2, now: () => 15_000 });
    for (let i = 0; i < 2; i++)
      await expect(auth.authenticate(request(`kw_wrong${i}`))).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    await expect(auth.authenticate(request('kw_wrong2'))).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: 'too many failed sign-ins from this address: try again in 45 s',
    });
  });
});
