import type { FastifyRequest } from 'fastify';
import { KeywardError } from '../core/errors.js';
import type { Role, Store } from '../store/index.js';
import { findSession } from '../store/sessions.js';
import { tokenHash } from '../store/tokens.js';
import { clientKey } from './auth-address.js';
import { refuseCrossSite, sessionCookie } from './auth-cookie.js';
import {
  type Checked,
  SignInThrottle,
  type ThrottleOptions,
  type ThrottleStore,
  throttleStore,
} from './auth-throttle.js';

export interface Principal {
  /** The API token's id, or the browser session's (ses_...): the audit log names it. */
  tokenId: string;
  role: Role;
  /** How the request signed in: a bearer token, or the session cookie a sign-in link set. */
  via?: 'token' | 'session';
}

const RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

export function allows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export interface AuthOptions extends ThrottleOptions {
  /** The throttle's database side (tests replace it); default the store's tables. */
  throttleStore?: ThrottleStore;
  /** How long a known token is trusted without asking the database again. */
  cacheMs?: number;
}

/**
 * Bearer tokens and browser sessions, looked up by SHA-256. A short cache keeps the database out
 * of the hot path of reads; every lookup of a secret not in it goes through the sign-in throttle
 * (auth-throttle.ts), which counts it against the client's address before the lookup.
 * A revocation made through this instance drops the token from its cache at once; another
 * instance on the same database keeps trusting it for at most `cacheMs` (docs/http.md).
 */
export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  private readonly cacheMs: number;
  private readonly now: () => number;
  readonly throttle: SignInThrottle;
  /** Bumped by every revocation: a lookup that began before one does not fill the cache. */
  private epoch = 0;

  constructor(
    private readonly store: Store,
    opts: AuthOptions = {},
  ) {
    this.cacheMs = opts.cacheMs ?? 5_000;
    this.now = opts.now ?? Date.now;
    this.throttle = new SignInThrottle(opts.throttleStore ?? throttleStore(store), {
      ...opts,
      now: this.now,
    });
  }

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const cookie = header ? null : sessionCookie(request);
    if (cookie) refuseCrossSite(request);
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const secret = m ? m[1]! : cookie;
    if (!secret) {
      throw new KeywardError(
        'UNAUTHORIZED',
        'send the header "Authorization: Bearer <token>", or open the sign-in link the server printed',
      );
    }
    const hash = tokenHash(secret);
    const t = this.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > t) return cached.principal;
    const epoch = this.epoch;
    const found = await this.throttle.check<Principal>(clientKey(request.ip), hash, async () => {
      if (m) {
        const token = await this.store.findApiToken(secret);
        return token ? { tokenId: token.id, role: token.role, via: 'token' } : null;
      }
      const session = await findSession(this.store.ctx, secret);
      return session ? { tokenId: session.id, role: session.role, via: 'session' } : null;
    });
    const principal = accepted(
      found,
      m ? 'unknown or revoked token' : 'this browser session has ended: sign in again',
    );
    if (epoch === this.epoch) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { principal, until: t + this.cacheMs });
    }
    return principal;
  }

  /** Forgets a revoked token or ended session, so its next request here is refused. */
  forget(tokenId: string): void {
    this.epoch++;
    this.throttle.forget();
    for (const [hash, entry] of this.cache) if (entry.principal.tokenId === tokenId) this.cache.delete(hash);
  }

  /** How long another instance may still accept a token revoked here. */
  get cacheMilliseconds(): number {
    return this.cacheMs;
  }
}

/** The throttle's answer as a principal or the fault a client sees. */
export function accepted<T>(found: Checked<T>, unknown: string): T {
  if (found.kind === 'found') return found.value;
  if (found.kind === 'unknown') throw new KeywardError('UNAUTHORIZED', unknown);
  const seconds = Math.max(1, Math.ceil(found.retryAfterMs / 1000));
  throw new KeywardError(
    'RATE_LIMITED',
    `too many failed sign-ins from this address: try again in ${seconds} s`,
    { retryAfterSeconds: seconds },
  );
}
