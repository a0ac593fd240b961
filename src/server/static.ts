import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** web/dist sits two levels above this file both in src/server and in dist/server. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The built UI is a handful of files: they are read once and kept in memory. Hashed assets are
 * cached for a year; index.html never, so a new build shows at once.
 */
export function serveWeb(app: FastifyInstance, root = WEB_DIST): boolean {
  if (!existsSync(join(root, 'index.html'))) return false;
  const cache = new Map<string, Buffer>();
  const read = (rel: string): Buffer | null => {
    const full = normalize(join(root, rel));
    if (!full.startsWith(root + sep) && full !== root) return null;
    const hit = cache.get(full);
    if (hit) return hit;
    if (!existsSync(full) || !statSync(full).isFile()) return null;
    const body = readFileSync(full);
    cache.set(full, body);
    return body;
  };
  const security = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  };
  app.get('/*', (request, reply) => {
    // The router has decoded the path once already: decoding it again would read '%25' as a
    // broken escape (a thrown URIError, a 500) and '%252e%252e' as '..'.
    const path = (request.params as { '*': string })['*'] ?? '';
    if (path.startsWith('api/')) return reply.callNotFound();
    const asset = path && !path.endsWith('/') ? read(path) : null;
    if (asset) {
      return reply
        .headers(security)
        .header('content-type', TYPES[extname(path)] ?? 'application/octet-stream')
        .header(
          'cache-control',
          path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
        .send(asset);
    }
    // Client-side routes (#/...) all start from index.html.
    return reply
      .headers(security)
      .header('content-type', TYPES['.html']!)
      .header('cache-control', 'no-cache')
      .send(read('index.html'));
  });
  return true;
}
