import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { Authenticator } from './auth.js';
import type { ThrottleStore } from './auth-throttle.js';

/** The throttle's counter in memory: these tests are about the header and the cache. */
const throttleStore: ThrottleStore = {
  count: async () => 1,
  refund: async () => {},
  prune: async () => {},
  known: async () => new Set(),
};

/** A token table in memory that counts its lookups. */
function table() {
  const live = new Map([['kw_a', { id: 'tok_a', role: 'manager' as const }]]);
  let lookups = 0;
  const store = {
    findApiToken: async (t: string) => {
      lookups++;
      return live.get(t) ?? null;
    },
  } as unknown as Store;
  return { store, live, lookups: () => lookups };
}

const withHeader = (authorization: string | undefined, ip = '10.0.0.1') =>
  ({ ip, headers: authorization === undefined ? {} : { authorization } }) as unknown as FastifyRequest;

describe('the Authorization header', () => {
  it('takes "Bearer <token>" in any case, with spaces around the token', async () => {
    const t = table();
    const auth = new Authenticator(t.store, { cacheMs: 0, throttleStore });
    for (const h of ['Bearer kw_a', 'bearer kw_a', 'BEARER   kw_a  ']) {
      expect(await auth.authenticate(withHeader(h))).toEqual({
        tokenId: 'tok_a',
        role: 'manager',
        via: 'token',
      });
    }
  });

  it('refuses a missing header or another scheme without asking the database', async () => {
    const t = table();
    const auth = new Authenticator(t.store, { throttleStore });
    for (const h of [undefined, '', 'Basic kw_a', 'Bearer', 'Bearer kw_a extra', 'xBearer kw_a', 'kw_a']) {
      await expect(auth.authenticate(withHeader(h)), String(h)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('send the header "Authorization: Bearer <token>"'),
      });
    }
    expect(t.lookups()).toBe(0);
  });

  it('names an unknown token as such', async () => {
    const t = table();
    const auth = new Authenticator(t.store, { throttleStore });
    await expect(auth.authenticate(withHeader('Bearer kw_nope'))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'unknown or revoked token',
    });
  });
});

describe('the token cache', () => {
  it('asks the database again once cacheMs has passed, so a revocation elsewhere takes effect', async () => {
    const t = table();
    let now = 1_000;
    const auth = new Authenticator(t.store, { cacheMs: 5_000, now: () => now, throttleStore });
    await auth.authenticate(withHeader('Bearer kw_a'));
    now += 4_999;
    await auth.authenticate(withHeader('Bearer kw_a'));
    expect(t.lookups()).toBe(1);
    t.live.delete('kw_a');
    now += 1;
    await expect(auth.authenticate(withHeader('Bearer kw_a'))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(t.lookups()).toBe(2);
    expect(auth.cacheMilliseconds).toBe(5_000);
  });

  it('trusts a token for 5 seconds by default', async () => {
    const t = table();
    let now = 0;
    const auth = new Authenticator(t.store, { now: () => now, throttleStore });
    await auth.authenticate(withHeader('Bearer kw_a'));
    now = 4_999;
    await auth.authenticate(withHeader('Bearer kw_a'));
    expect(t.lookups()).toBe(1);
    now = 5_000;
    await auth.authenticate(withHeader('Bearer kw_a'));
    expect(t.lookups()).toBe(2);
  });

  it('keeps other tokens cached when one is forgotten', async () => {
    const t = table();
    t.live.set('kw_b', { id: 'tok_b', role: 'manager' });
    const auth = new Authenticator(t.store, { cacheMs: 60_000, throttleStore });
    await auth.authenticate(withHeader('Bearer kw_a'));
    await auth.authenticate(withHeader('Bearer kw_b'));
    auth.forget('tok_a');
    await auth.authenticate(withHeader('Bearer kw_b'));
    expect(t.lookups()).toBe(2);
    await auth.authenticate(withHeader('Bearer kw_a'));
    expect(t.lookups()).toBe(3);
  });
});
