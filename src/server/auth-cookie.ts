import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KeywardError } from '../core/errors.js';

/** The browser session's cookie (set by a sign-in link, server/auth-routes.ts). */
export const SESSION_COOKIE = 'keyward_session';
/**
 * Over HTTPS the cookie is named with the __Host- prefix: the browser then accepts it only if
 * Secure, for Path=/ and this host alone, so no sibling subdomain or plain-HTTP page can plant
 * or overwrite it.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** The session's secret from the Cookie header, if the request carries one. */
export function sessionCookie(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  const name = request.protocol === 'https' ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
  }
  return null;
}

/**
 * The cookie as a sign-in link sets it: script cannot read it (HttpOnly), no other site's page
 * makes the browser send it (SameSite=Strict), and over HTTPS it never travels in the clear.
 */
export function sessionCookieHeader(secret: string, maxAgeMs: number, secure: boolean): string {
  return [
    `${secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE}=${secret}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookieHeader(secure: boolean): string {
  return sessionCookieHeader('', 0, secure);
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A change made with the session cookie must come from this server's own pages. SameSite=Strict
 * already keeps other sites' requests cookie-less in current browsers, but not in every browser
 * nor from a sibling subdomain, so the browser's own word is checked too: Sec-Fetch-Site (set by
 * the browser, never by a page's script) must say same-origin; a browser too old to send it
 * must send an Origin naming this host. A request with neither is refused: every browser that
 * can run the UI sends one of them, and the API's other clients use a bearer token.
 */
export function refuseCrossSite(request: FastifyRequest): void {
  if (SAFE.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site === 'same-origin') return;
    throw crossSite(
      `the browser says this change comes from ${site === 'none' ? 'outside any page' : `a ${site} page`}`,
    );
  }
  const origin = request.headers.origin;
  if (typeof origin !== 'string') throw crossSite('the request says neither Sec-Fetch-Site nor Origin');
  // Compared as URLs, so that a default port written in one and not the other still matches.
  let from: string;
  let own: string;
  try {
    from = new URL(origin).host;
    own = new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    throw crossSite(`its Origin (${origin.slice(0, 100)}) is not this server`);
  }
  if (from !== own) throw crossSite(`it comes from ${origin.slice(0, 100)}`);
}

function crossSite(why: string): KeywardError {
  return new KeywardError(
    'CROSS_SITE',
    `refused a change signed in by the browser cookie: ${why}. Changes come from Keyward's own pages, or use a bearer token`,
  );
}

/**
 * Over HTTPS, browsers are told to use nothing else for this host for a year, so that a link
 * typed as http:// later cannot be caught in the clear.
 */
export function installHttpsHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
}
