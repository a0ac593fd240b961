import type { FastifyRequest } from 'fastify';
import { KeywardError } from '../core/errors.js';
import type { Role, Store } from '../store/index.js';
import { tokenHash } from '../store/tokens.js';

export interface Principal {
  tokenId: string;
  role: Role;
}

const RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

export function allows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export interface AuthOptions {
  /** Failed attempts one address may make per window before it is refused outright. */
  maxFailures?: number;
  windowMs?: number;
  /** How long a known token is trusted without asking the database again. */
  cacheMs?: number;
  now?: () => number;
}

/**
 * Bearer tokens, looked up by SHA-256. A short cache keeps the database out of the hot path of
 * reads; failed attempts are counted per address so nobody can try tokens at request speed.
 * A revocation made through this instance drops the token from its cache at once; another
 * instance on the same database keeps trusting it for at most `cacheMs` (docs/http.md).
 */
export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  private readonly failures = new Map<string, { count: number; resetAt: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly cacheMs: number;
  private readonly now: () => number;
  /** Bumped by every revocation: a lookup that began before one does not fill the cache. */
  private epoch = 0;

  constructor(
    private readonly store: Store,
    opts: AuthOptions = {},
  ) {
    this.maxFailures = opts.maxFailures ?? 20;
    this.windowMs = opts.windowMs ?? 60_000;
    this.cacheMs = opts.cacheMs ?? 5_000;
    this.now = opts.now ?? Date.now;
  }

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const ip = request.ip;
    const t = this.now();
    const f = this.failures.get(ip);
    if (f && f.resetAt <= t) this.failures.delete(ip);
    else if (f && f.count >= this.maxFailures) {
      throw new KeywardError(
        'RATE_LIMITED',
        `too many failed sign-ins from this address: try again in ${Math.ceil((f.resetAt - t) / 1000)} s`,
      );
    }
    const header = request.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) {
      throw new KeywardError('UNAUTHORIZED', 'send the header "Authorization: Bearer <token>"');
    }
    const hash = tokenHash(m[1]!);
    const cached = this.cache.get(hash);
    if (cached && cached.until > t) return cached.principal;
    const epoch = this.epoch;
    const found = await this.store.findApiToken(m[1]!);
    if (!found) {
      this.fail(ip, t);
      throw new KeywardError('UNAUTHORIZED', 'unknown or revoked token');
    }
    const principal = { tokenId: found.id, role: found.role };
    if (epoch === this.epoch) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { principal, until: t + this.cacheMs });
    }
    return principal;
  }

  /** Forgets a revoked token, so its next request here goes to the database and is refused. */
  forget(tokenId: string): void {
    this.epoch++;
    for (const [hash, entry] of this.cache) if (entry.principal.tokenId === tokenId) this.cache.delete(hash);
  }

  /** How long another instance may still accept a token revoked here. */
  get cacheMilliseconds(): number {
    return this.cacheMs;
  }

  private fail(ip: string, t: number): void {
    const f = this.failures.get(ip);
    if (f) f.count++;
    else {
      if (this.failures.size > 100_000) this.failures.clear();
      this.failures.set(ip, { count: 1, resetAt: t + this.windowMs });
    }
  }
}
