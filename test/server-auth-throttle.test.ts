import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { Store } from '../src/store/index.js';
import { DIALECTS, type DialectName, Harness, IN_CI, RUN_POSTGRES } from './store/dialects.js';
import { bearer } from './support/server-app.js';

/**
 * Issue 14 §1: a flood of wrong tokens reaches the database a bounded number of times, on both
 * dialects and across instances, and never locks the owner out.
 */

/** Counts the queries a store sends that look a secret up in the token table. */
function counting(store: Store) {
  const seen = { tokenLookups: 0, counterWrites: 0, all: 0 };
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      seen.all++;
      const text = JSON.stringify(node as RootOperationNode);
      if (
        node.kind === 'SelectQueryNode' &&
        text.includes('"api_tokens"') &&
        /"where".*token_sha256/.test(text)
      )
        seen.tokenLookups++;
      if (node.kind === 'InsertQueryNode' && text.includes('"sign_in_attempts"')) seen.counterWrites++;
      return node;
    },
    async transformResult({ result }) {
      return result;
    },
  };
  const wrapped = new Store({ ...store.ctx, db: store.ctx.db.withPlugin(plugin) }, store.location);
  return { store: wrapped, seen };
}

const LIMIT = 20;
const NOW = Date.UTC(2026, 0, 5, 12, 0, 30);

describe('the sign-in throttle against a real database', () => {
  it('runs PostgreSQL in CI', () => {
    if (IN_CI) expect(RUN_POSTGRES).toBe(true);
    expect(DIALECTS).toContain('sqlite');
  });
});

describe.each(DIALECTS)('a burst of wrong tokens on %s', (dialect: DialectName) => {
  const harness = new Harness();
  const apps: FastifyInstance[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
    await harness.cleanup();
  });

  const instance = async (url: string, opts: { trustProxy?: string[] } = {}) => {
    const c = counting(await harness.open(url));
    const { app } = await buildApp({
      store: c.store,
      logLevel: false,
      web: false,
      auth: { maxFailures: LIMIT, windowMs: 60_000 },
      // One throttle window for the whole test: a burst that straddled two windows would
      // rightly be allowed twice.
      now: () => NOW,
      ...opts,
    });
    apps.push(app);
    return { app, seen: c.seen, store: c.store };
  };

  const me = (app: FastifyInstance, token: string, ip: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { ...bearer(token), ...headers },
      remoteAddress: ip,
    });

  it('lets 10,000 wrong tokens reach the token table at most the allowed number of times, and the owner in', async () => {
    const db = await harness.database(dialect);
    const a = await instance(db.url);
    const { token } = await a.store.createApiToken({ name: 'owner', role: 'admin' });
    const wrong = Array.from({ length: 10_000 }, (_, i) =>
      me(a.app, `kw_guess_${i.toString().padStart(40, '0')}`, '203.0.113.7'),
    );
    // The owner signs in from the same address in the middle of the flood.
    const owner = me(a.app, token, '203.0.113.7');
    const started = performance.now();
    const answers = await Promise.all(wrong);
    // Figures for BENCHMARKS.md ("Sign-in throttling").
    console.info(
      `${dialect}: 10,000 wrong tokens in ${Math.round(performance.now() - started)} ms -> ` +
        `${a.seen.tokenLookups} token lookups, ${a.seen.counterWrites} counter writes, ${a.seen.all} queries in all`,
    );
    const statuses = new Map<number, number>();
    for (const r of answers) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
    expect((await owner).statusCode).toBe(200);
    expect(a.seen.tokenLookups).toBeLessThanOrEqual(LIMIT + 1);
    expect(a.seen.counterWrites).toBeLessThanOrEqual(LIMIT + 1);
    expect(statuses.get(401)).toBeLessThanOrEqual(LIMIT);
    expect((statuses.get(401) ?? 0) + (statuses.get(429) ?? 0)).toBe(10_000);
    const limited = answers.find((r) => r.statusCode === 429)!;
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    // After the flood: the owner still signs in (now from the cache or the known list), guesses do not.
    expect((await me(a.app, token, '203.0.113.7')).statusCode).toBe(200);
    expect((await me(a.app, 'kw_one_more_guess_0000000000000000000', '203.0.113.7')).statusCode).toBe(429);
    // Another address keeps its own allowance.
    expect((await me(a.app, 'kw_elsewhere_000000000000000000000000', '198.51.100.1')).statusCode).toBe(401);
  });

  it('shares the allowance between two instances on one database', async () => {
    const db = await harness.database(dialect);
    const a = await instance(db.url);
    const b = await instance(db.url);
    const { token } = await a.store.createApiToken({ name: 'owner', role: 'admin' });
    const answers = await Promise.all(
      Array.from({ length: 4_000 }, (_, i) =>
        me(i % 2 ? a.app : b.app, `kw_guess_${i.toString().padStart(40, '0')}`, '203.0.113.8'),
      ),
    );
    expect(a.seen.tokenLookups + b.seen.tokenLookups).toBeLessThanOrEqual(LIMIT);
    expect(answers.filter((r) => r.statusCode === 401).length).toBeLessThanOrEqual(LIMIT);
    expect((await me(b.app, token, '203.0.113.8')).statusCode).toBe(200);
  });

  it('reads the client address from X-Forwarded-For only when told to trust the proxy', async () => {
    const db = await harness.database(dialect);
    const direct = await instance(db.url);
    const proxied = await instance(db.url, { trustProxy: ['loopback'] });
    // Without --trust-proxy, a guesser cannot pick a fresh address per request.
    const spoofed = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        me(direct.app, `kw_guess_${i.toString().padStart(40, '0')}`, '192.0.2.50', {
          'x-forwarded-for': `10.0.${i >> 8}.${i & 255}`,
        }),
      ),
    );
    expect(spoofed.filter((r) => r.statusCode === 401).length).toBeLessThanOrEqual(LIMIT);
    // Behind a proxy on this machine, each client is itself: one's failures leave another alone.
    for (let i = 0; i < LIMIT + 5; i++)
      await me(proxied.app, `kw_guess_b_${i.toString().padStart(40, '0')}`, '127.0.0.1', {
        'x-forwarded-for': '198.51.100.20',
      });
    const other = await me(proxied.app, 'kw_guess_c_0000000000000000000000000000', '127.0.0.1', {
      'x-forwarded-for': '198.51.100.21',
    });
    expect(other.statusCode).toBe(401);
    const same = await me(proxied.app, 'kw_guess_d_0000000000000000000000000000', '127.0.0.1', {
      'x-forwarded-for': '198.51.100.20',
    });
    expect(same.statusCode).toBe(429);
    // A client reaching it directly (not through the trusted proxy) cannot choose its address.
    const bypass = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        me(proxied.app, `kw_guess_e_${i.toString().padStart(40, '0')}`, '192.0.2.99', {
          'x-forwarded-for': `10.1.0.${i}`,
        }),
      ),
    );
    expect(bypass.filter((r) => r.statusCode === 401).length).toBeLessThanOrEqual(LIMIT);
  });
});
