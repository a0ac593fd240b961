import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { type Running, startServer } from '../src/server/serve.js';
import { createSignInLink, LINK_LIFETIME_MS } from '../src/store/sessions.js';
import { DIALECTS, Harness } from './store/dialects.js';
import { cli } from './support/fake-io.js';

/** Issue 15 §7: sign in by opening the link the server prints, then a session cookie. */

const path = (url: string) => new URL(url).pathname;
const cookieOf = (setCookie: string | string[] | undefined) => {
  const line = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  return line.split(';')[0]!;
};

describe('the sign-in link keyward serve prints', () => {
  let dir: string;
  let r: Running;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-signin-'));
    r = await startServer({ port: 0, dataDir: dir, env: {}, logLevel: false, web: false, sync: false });
  });
  afterAll(async () => {
    await r.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is printed as an address on this server, under /signin/, expiring in 15 minutes', () => {
    expect(r.signIn!.url).toMatch(new RegExp(`^${r.url}/signin/[A-Za-z0-9_-]{43}$`));
    expect(r.signIn!.expiresAt - Date.now()).toBeGreaterThan(LINK_LIFETIME_MS - 60_000);
    expect(LINK_LIFETIME_MS).toBe(15 * 60_000);
  });

  it('is not spent by a HEAD request (a link checker)', async () => {
    const head = await r.app.inject({ method: 'HEAD', url: path(r.signIn!.url) });
    expect(head.statusCode).toBe(404);
    expect(head.headers['set-cookie']).toBeUndefined();
  });

  let cookie = '';
  it('sets an HttpOnly, SameSite=Strict session cookie and sends the browser on without the secret', async () => {
    const res = await r.app.inject({ method: 'GET', url: path(r.signIn!.url) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/^keyward_session=[A-Za-z0-9_-]{43}; /);
    for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${7 * 24 * 3600}`])
      expect(set.split('; ')).toContain(flag);
    expect(set).not.toContain('Secure'); // plain HTTP: a Secure cookie would never come back
    cookie = cookieOf(res.headers['set-cookie']);
    expect(cookie.split('=')[1]).not.toBe(path(r.signIn!.url).split('/')[2]);
  });

  it('works once', async () => {
    const again = await r.app.inject({ method: 'GET', url: path(r.signIn!.url) });
    expect(again.statusCode).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toMatch(/used already or has expired/);
  });

  it('signs the browser in as admin with the cookie alone', async () => {
    const me = await r.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ role: 'admin', tokenId: expect.stringMatching(/^ses_/) });
  });

  it('keeps only hashes of the link and the session in the database', async () => {
    const db = r.store.ctx.db;
    const rows = JSON.stringify([
      await db.selectFrom('sign_in_links').selectAll().execute(),
      await db.selectFrom('sessions').selectAll().execute(),
    ]);
    expect(rows).not.toContain(cookie.split('=')[1]);
    expect(rows).not.toContain(path(r.signIn!.url).split('/')[2]);
  });

  const lock = { name: 'Back door', model: '264', driver: 'sim' };
  const post = (headers: Record<string, string>) =>
    r.app.inject({ method: 'POST', url: '/api/v1/locks', headers: { cookie, ...headers }, payload: lock });

  it('refuses a change from another site, or one that does not say where it comes from, with 403 CROSS_SITE', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'none' },
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', origin: new URL(r.url).origin },
    ]) {
      const res = await post(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.code).toBe('CROSS_SITE');
    }
    expect(await r.store.listLocks()).toHaveLength(0);
  });

  it('takes a change from its own pages, told by Sec-Fetch-Site or by Origin', async () => {
    expect((await post({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
    const own = new URL(r.url);
    expect((await post({ host: own.host, origin: own.origin })).statusCode).toBe(201);
    expect((await post({ host: 'localhost', origin: 'http://localhost:80' })).statusCode).toBe(201);
  });

  it('keeps the bearer token for the API, with no such check', async () => {
    const token = r.admin.kind === 'created' ? r.admin.token : '';
    const res = await r.app.inject({
      method: 'POST',
      url: '/api/v1/locks',
      headers: { authorization: `Bearer ${token}` },
      payload: lock,
    });
    expect(res.statusCode).toBe(201);
    const out = await r.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(400);
  });

  it('makes a fresh link with keyward sign-in-link for the running server', async () => {
    const saved = process.env.KEYWARD_DATA_DIR;
    process.env.KEYWARD_DATA_DIR = dir;
    try {
      const out = await cli(['sign-in-link', '--url', r.url]);
      expect(out.code, out.stderr).toBe(0);
      const url = /\n {2}(\S+)\n/.exec(out.stdout)![1]!;
      expect(url).toMatch(new RegExp(`^${r.url}/signin/[A-Za-z0-9_-]{43}$`));
      expect((await r.app.inject({ method: 'GET', url: path(url) })).statusCode).toBe(303);
      expect((await cli(['sign-in-link', '--url', 'ftp://x'])).code).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.KEYWARD_DATA_DIR;
      else process.env.KEYWARD_DATA_DIR = saved;
    }
  });

  it('signs out: the session ends on the server, so the same cookie is refused afterwards', async () => {
    const crossSite = await r.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });
    expect(crossSite.statusCode).toBe(403);
    const out = await r.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ signedOut: true });
    expect(String(out.headers['set-cookie'])).toMatch(/^keyward_session=; .*Max-Age=0/);
    const me = await r.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    const actions = (await r.store.ctx.db.selectFrom('audit_log').select('action').execute()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['session.start', 'session.end']));
    const byCookie = await r.store.ctx.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'lock.add')
      .execute();
    expect(byCookie.map((a) => a.actor)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^session:ses_/)]),
    );
  });
});

describe.each(DIALECTS)('sign-in links on %s', (dialect) => {
  const harness = new Harness();
  let app: FastifyInstance;
  let now = Date.UTC(2026, 0, 5, 12);
  let store: Awaited<ReturnType<Harness['fresh']>>;
  beforeAll(async () => {
    store = await harness.fresh(dialect, { now: () => now });
    ({ app } = await buildApp({ store, logLevel: false, web: false, now: () => now }));
  });
  afterAll(async () => {
    await app.close();
    await harness.cleanup();
  });

  it('expire after 15 minutes', async () => {
    const fresh = await createSignInLink(store.ctx, { role: 'admin' });
    const stale = await createSignInLink(store.ctx, { role: 'admin' });
    now += LINK_LIFETIME_MS - 1;
    expect((await app.inject({ method: 'GET', url: `/signin/${fresh.secret}` })).statusCode).toBe(303);
    now += 1;
    expect((await app.inject({ method: 'GET', url: `/signin/${stale.secret}` })).statusCode).toBe(401);
  });

  it('open one session when opened twice at once', async () => {
    const { secret } = await createSignInLink(store.ctx, { role: 'admin' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => app.inject({ method: 'GET', url: `/signin/${secret}` })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([303, 401, 401, 401, 401, 401, 401, 401]);
  });

  it('count wrong links against the address like wrong tokens', async () => {
    // The owner's link, printed at start, before anyone floods the address.
    const { secret } = await createSignInLink(store.ctx, { role: 'admin' });
    const tries = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        app.inject({ method: 'GET', url: `/signin/${'x'.repeat(40)}${i}`, remoteAddress: '192.0.2.5' }),
      ),
    );
    expect(tries.filter((t) => t.statusCode === 401)).toHaveLength(20);
    expect(tries.filter((t) => t.statusCode === 429)).toHaveLength(20);
    expect(tries.find((t) => t.statusCode === 429)!.headers['retry-after']).toMatch(/^\d+$/);
    // The owner's own link still works from that address.
    const mine = await app.inject({ method: 'GET', url: `/signin/${secret}`, remoteAddress: '192.0.2.5' });
    expect(mine.statusCode).toBe(303);
  });
});
