import fc from 'fast-check';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { refuseCrossSite, SESSION_COOKIE, sessionCookie, sessionCookieHeader } from './auth-cookie.js';

const req = (r: { method?: string; headers?: Record<string, string>; protocol?: string; host?: string }) =>
  ({
    method: r.method ?? 'POST',
    headers: r.headers ?? {},
    protocol: r.protocol ?? 'http',
    host: r.host ?? 'keys.example.org:8080',
  }) as unknown as FastifyRequest;

describe('the cross-site check on changes signed in by the cookie', () => {
  it('lets a change through exactly when the browser says same-origin, or, saying nothing, names this host', () => {
    const method = fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PATCH', 'PUT', 'DELETE');
    const site = fc.option(fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none', 'SAME-ORIGIN'), {
      nil: undefined,
    });
    const origin = fc.option(
      fc.constantFrom(
        'http://keys.example.org:8080',
        'https://keys.example.org:8080',
        'http://keys.example.org',
        'http://evil.example:8080',
        'http://sub.keys.example.org:8080',
        'null',
        'not a url',
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(method, site, origin, (m, s, o) => {
        const headers: Record<string, string> = {};
        if (s !== undefined) headers['sec-fetch-site'] = s;
        if (o !== undefined) headers.origin = o;
        // The rule, written out independently of the code.
        const safe = ['GET', 'HEAD', 'OPTIONS'].includes(m);
        const fromOwnPage =
          s !== undefined
            ? s === 'same-origin'
            : o === 'http://keys.example.org:8080' || o === 'https://keys.example.org:8080';
        const allowed = safe || fromOwnPage;
        let refused: unknown = null;
        try {
          refuseCrossSite(req({ method: m, headers }));
        } catch (e) {
          refused = e;
        }
        if (allowed) expect(refused).toBeNull();
        else expect(refused).toMatchObject({ code: 'CROSS_SITE' });
      }),
    );
  });
});

describe('the session cookie', () => {
  it('is read by its name among others, and only when it looks like a secret', () => {
    const secret = 'A'.repeat(43);
    const withCookie = (cookie: string, protocol = 'http') =>
      sessionCookie(req({ headers: { cookie }, protocol }));
    expect(withCookie(`theme=dark; ${SESSION_COOKIE}=${secret}; x=1`)).toBe(secret);
    expect(withCookie(`x${SESSION_COOKIE}=${secret}`)).toBeNull();
    expect(withCookie(`${SESSION_COOKIE}=short`)).toBeNull();
    expect(withCookie(`${SESSION_COOKIE}=${secret}"; drop`)).toBeNull();
    // Over HTTPS only the __Host- cookie counts.
    expect(withCookie(`${SESSION_COOKIE}=${secret}`, 'https')).toBeNull();
    expect(withCookie(`__Host-${SESSION_COOKIE}=${secret}`, 'https')).toBe(secret);
  });

  it('is set HttpOnly, SameSite=Strict, for the whole site, Secure and __Host- only over HTTPS', () => {
    expect(sessionCookieHeader('s3cret', 60_000, false)).toBe(
      `${SESSION_COOKIE}=s3cret; Path=/; HttpOnly; SameSite=Strict; Max-Age=60`,
    );
    expect(sessionCookieHeader('s3cret', 60_000, true)).toBe(
      `__Host-${SESSION_COOKIE}=s3cret; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure`,
    );
  });
});
