import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { KeywardError } from '../core/errors.js';
import { accepted } from './auth.js';
import { clientKey, transportOptions, trustProxySetting } from './auth-address.js';
import { installHttpsHeaders } from './auth-cookie.js';

describe('the key a client is counted under', () => {
  it('keeps anything that is not an IP address as it is', () => {
    expect(clientKey('unix-socket')).toBe('unix-socket');
    expect(clientKey('')).toBe('');
  });

  it('counts a zoned link-local address by its /64, without the zone', () => {
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('places the groups after :: correctly when the address ends in an IPv4 part', () => {
    // 1 : (one zero group) : 2 : 3 : 4 : 5 : 6.7.8.9 (two groups) makes eight groups.
    expect(clientKey('1::2:3:4:5:6.7.8.9')).toBe('1:0:2:3::/64');
    expect(clientKey('1:2::3:4:5:6:7')).toBe('1:2:0:3::/64');
  });
});

describe('reading --trust-proxy', () => {
  it('believes no proxy when the flag is absent or false', () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting(false)).toBe(false);
  });

  it('believes proxies on this machine when the flag has no value', () => {
    expect(trustProxySetting(true)).toEqual(['loopback']);
    expect(trustProxySetting('  ')).toEqual(['loopback']);
  });

  it('reads a hop count of any size, with spaces around it', () => {
    expect(trustProxySetting(' 12 ')).toBe(12);
  });

  it('reads a list of addresses and ranges, spaces and empty items dropped', () => {
    expect(trustProxySetting(' 10.0.0.5 ,192.168.0.0/16,, ')).toEqual(['10.0.0.5', '192.168.0.0/16']);
  });
});

describe("Fastify's transport options", () => {
  it('believes exactly as many hops as the count says', () => {
    const { trustProxy } = transportOptions({ trustProxy: 2 });
    expect(typeof trustProxy).toBe('function');
    const trusts = trustProxy as (address: string, hop: number) => boolean;
    expect([0, 1, 2, 3].map((hop) => trusts('10.0.0.1', hop))).toEqual([true, true, false, false]);
  });

  it('passes a list through, believes nobody by default, and adds the certificate for HTTPS', () => {
    expect(transportOptions({ trustProxy: ['loopback'] })).toEqual({ trustProxy: ['loopback'] });
    expect(transportOptions({})).toEqual({ trustProxy: false });
    const https = { key: Buffer.from('k'), cert: Buffer.from('c') };
    expect(transportOptions({ https })).toEqual({ trustProxy: false, https });
  });
});

describe('answers over HTTPS', () => {
  it('tells browsers to use HTTPS only, and says nothing of it over plain HTTP', async () => {
    const app = Fastify({ trustProxy: true });
    installHttpsHeaders(app);
    app.get('/', async () => ({ ok: true }));
    const secure = await app.inject({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(secure.json()).toEqual({ ok: true });
    const plain = await app.inject({ url: '/' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    await app.close();
  });
});

describe('what a throttled client is told', () => {
  const refusal = (retryAfterMs: number) => {
    try {
      accepted({ kind: 'limited', retryAfterMs }, 'unknown');
    } catch (e) {
      return e as KeywardError;
    }
    throw new Error('not refused');
  };

  it('says in whole seconds, rounded up, when to try again', () => {
    const e = refusal(30_500);
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.message).toBe('too many failed sign-ins from this address: try again in 31 s');
    expect(e.details).toEqual({ retryAfterSeconds: 31 });
  });

  it('never says to try again in 0 seconds', () => {
    expect(refusal(0).details).toEqual({ retryAfterSeconds: 1 });
  });

  it('passes a found principal through and refuses an unknown secret with its own words', () => {
    expect(accepted({ kind: 'found', value: 'p' }, 'unknown')).toBe('p');
    expect(() => accepted({ kind: 'unknown' }, 'unknown or revoked token')).toThrow(
      'unknown or revoked token',
    );
  });
});
