import type { FastifyInstance } from 'fastify';

/** The API's own page, like the UI's: its inline style and nothing else, never in a frame. */
export const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers every answer carries. No answer is ever sniffed into another type. API answers can
 * carry a code (revealed on request) or a token (just created), so no cache and no proxy keeps
 * any of them, errors included; the UI's files set their own caching.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    return payload;
  });
}
