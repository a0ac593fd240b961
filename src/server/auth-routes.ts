import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { KeywardError } from '../core/errors.js';
import { endSession, redeemSignInLink, SESSION_LIFETIME_MS } from '../store/sessions.js';
import { tokenHash } from '../store/tokens.js';
import { clientKey } from './auth-address.js';
import { clearedSessionCookieHeader, installHttpsHeaders, sessionCookieHeader } from './auth-cookie.js';
import type { ServerDeps } from './deps.js';
import { route } from './route.js';

export const SIGN_IN_PATH = '/signin/';

export const SignOutOut = z.object({ signedOut: z.boolean() });

export const sessionRoutes = [
  route({
    method: 'DELETE',
    url: '/api/v1/session',
    tag: 'tokens',
    summary: 'Sign out: end this browser session (its cookie is refused from now on)',
    access: 'viewer',
    response: SignOutOut,
    handler: async ({ deps, principal, request, reply }) => {
      if (principal!.via !== 'session')
        throw new KeywardError(
          'BAD_INPUT',
          'signing out ends a browser session; a token signs out by being revoked (DELETE /api/v1/tokens/{id})',
        );
      const ended = await endSession(deps.storeFor(principal).ctx, principal!.tokenId);
      deps.auth.forget(principal!.tokenId);
      reply.header('set-cookie', clearedSessionCookieHeader(request.protocol === 'https'));
      return { signedOut: ended };
    },
  }),
];

/** A page for a person who opened a link in a browser: plain words, nothing else loaded. */
function page(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    .send(
      `<!doctype html><html lang="en"><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Keyward</title>` +
        `<body style="font:1rem/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem">` +
        `<h1>Keyward</h1><p>${message}</p><p><a href="/">Open Keyward</a></p></body></html>`,
    );
}

/**
 * GET /signin/<secret>: the one-time link `keyward serve` prints. Opening it spends the link,
 * opens a browser session and sends the browser on to the app, so the secret is not left in the
 * address bar (nor in a Referer: no page loads while it is there). A link that is unknown, used
 * or expired signs nobody in; its attempts count against the address like wrong tokens.
 */
export function registerSignIn(app: FastifyInstance, deps: ServerDeps): void {
  installHttpsHeaders(app);
  // No HEAD twin: a link checker asking HEAD would otherwise spend the link unseen.
  app.get(`${SIGN_IN_PATH}:secret`, { exposeHeadRoute: false }, async (request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const { secret } = request.params as { secret: string };
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret))
      return page(reply, 404, 'This is not a Keyward sign-in link.');
    const found = await deps.auth.throttle.check(clientKey(request.ip), tokenHash(secret), () =>
      redeemSignInLink(deps.store.ctx, secret),
    );
    if (found.kind === 'limited')
      return page(
        reply.header('retry-after', String(Math.max(1, Math.ceil(found.retryAfterMs / 1000)))),
        429,
        'Too many failed sign-ins from this address. Wait a minute and try again.',
      );
    if (found.kind === 'unknown')
      return page(
        reply,
        401,
        'This sign-in link has been used already or has expired. Each link works once, for 15 minutes: ' +
          'run <code>keyward sign-in-link</code> for a new one, or sign in with the admin token.',
      );
    const session = found.value;
    reply.header(
      'set-cookie',
      sessionCookieHeader(session.secret, SESSION_LIFETIME_MS, request.protocol === 'https'),
    );
    return reply.redirect('/', 303);
  });
}
