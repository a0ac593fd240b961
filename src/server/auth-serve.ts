import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { KeywardError } from '../core/errors.js';
import type { Store } from '../store/index.js';
import { createSignInLink } from '../store/sessions.js';
import { SIGN_IN_PATH } from './auth-routes.js';

/** Whether only this machine can reach an address the server listens on. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return Boolean(mapped?.[1]?.startsWith('127.'));
}

/**
 * Listening where other machines can connect, without TLS, sends tokens, sign-in links, session
 * cookies and revealed codes across the network in the clear: said on stderr at start.
 */
export function exposureWarning(host: string, tls: boolean): string | null {
  if (tls || isLoopbackHost(host)) return null;
  return (
    `Warning: listening on ${host} without TLS: tokens, sign-in links and codes cross the network in the clear. ` +
    'Give --tls-cert and --tls-key, or serve through a reverse proxy with HTTPS (README, "Behind a reverse proxy").'
  );
}

/** The certificate and key for HTTPS, read once at start; both or neither. */
export function readTls(certFile?: string, keyFile?: string): { cert: Buffer; key: Buffer } | undefined {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile)
    throw new KeywardError('BAD_INPUT', 'HTTPS needs both --tls-cert and --tls-key (PEM files)');
  const read = (file: string, flag: string) => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new KeywardError(
        'BAD_INPUT',
        `cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      );
    }
  };
  return { cert: read(certFile, '--tls-cert'), key: read(keyFile, '--tls-key') };
}

/**
 * A fresh one-time admin sign-in link, as `keyward serve` prints it; made before the server
 * listens (a failure then leaves nothing open), given its address once the port is known.
 */
export async function signInLink(
  store: Store,
): Promise<(baseUrl: string) => { url: string; expiresAt: number }> {
  const { secret, expiresAt } = await createSignInLink(store.ctx, { role: 'admin' });
  return (baseUrl) => ({ url: `${baseUrl}${SIGN_IN_PATH}${secret}`, expiresAt });
}
