import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/core/errors.js';
import { buildApp, ROUTES } from '../src/server/app.js';
import { DIALECTS } from './store/dialects.js';
import { bearer, type TestServer, testServer } from './support/server-app.js';

const RANK = { public: -1, viewer: 0, manager: 1, admin: 2 } as const;

/** Fills :id and friends so every route can be called. */
const concrete = (url: string) => url.replace(/:([A-Za-z]+)/g, 'x_1');

describe('the HTTP API without a token', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(() => s.close());

  it('answers /healthz with ok', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/healthz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ok: true });
  });

  it('publishes an OpenAPI 3 document naming every route, its role and its schemas', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const spec of ROUTES) {
      const op = doc.paths[spec.url.replace(/:([A-Za-z]+)/g, '{$1}')][spec.method.toLowerCase()];
      expect(op['x-role']).toBe(spec.access);
      if (spec.body) expect(op.requestBody.content['application/json'].schema.type).toBe('object');
    }
    const create = doc.paths['/api/v1/credentials'].post.requestBody.content['application/json'].schema;
    expect(create.properties.kind.enum).toEqual(['permanent', 'guest']);
    expect(doc.paths['/api/v1/locks/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
  });

  it('serves a docs page listing the routes', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/docs' });
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('/api/v1/credentials/{id}');
  });

  it('refuses every other route with 401 UNAUTHORIZED', async () => {
    for (const spec of ROUTES) {
      const r = await s.app.inject({
        method: spec.method,
        url: concrete(spec.url),
        remoteAddress: '10.0.0.1',
      });
      expect(r.statusCode, `${spec.method} ${spec.url}`).toBe(401);
      expect(r.json().error.code).toBe('UNAUTHORIZED');
    }
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('NOT_FOUND');
  });
});

describe('roles', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(() => s.close());

  it('lets each role call exactly the routes at or below its rank', async () => {
    for (const spec of ROUTES) {
      for (const role of ['viewer', 'manager', 'admin'] as const) {
        const r = await s.app.inject({
          method: spec.method,
          url: concrete(spec.url),
          headers: bearer(s.tokens[role]),
          payload: spec.method === 'GET' || spec.method === 'DELETE' ? undefined : {},
        });
        const where = `${role} ${spec.method} ${spec.url}`;
        if (RANK[role] < RANK[spec.access]) {
          expect(r.statusCode, where).toBe(403);
          expect(r.json().error.code, where).toBe('FORBIDDEN');
        } else {
          // Allowed through: what remains is the route's own answer to an empty request.
          expect([200, 201, 400, 404], where).toContain(r.statusCode);
        }
      }
    }
  });

  it('names the role the token has and the one the route needs', async () => {
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/v1/locks',
      headers: bearer(s.tokens.viewer),
      payload: { name: 'x', model: '264', driver: 'sim' },
    });
    expect(r.json().error.message).toMatch(/viewer token .* needs manager/);
  });

  it('tells a token who it is', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(s.tokens.manager) });
    expect(r.json().role).toBe('manager');
  });

  it('lets an admin mint a token that then signs in with its role', async () => {
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(s.tokens.admin),
      payload: { name: 'front desk', role: 'viewer' },
    });
    expect(r.statusCode).toBe(201);
    const me = await s.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(r.json().token) });
    expect(me.json().role).toBe('viewer');
  });
});

describe('failed sign-ins', () => {
  let s: TestServer;
  beforeAll(async () => {
    // One throttle window for the whole test (a real clock could cross into the next).
    s = await testServer('sqlite', {
      auth: { maxFailures: 5, windowMs: 60_000, now: () => Date.UTC(2026, 0, 5, 12, 0, 30) },
    });
  });
  afterAll(() => s.close());

  it('are limited per address: after the limit wrong tokens wait, a good token and other addresses do not', async () => {
    const from = (ip: string, token: string) =>
      s.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token), remoteAddress: ip });
    for (let i = 0; i < 5; i++) expect((await from('10.9.9.9', `kw_wrong${i}`)).statusCode).toBe(401);
    const limited = await from('10.9.9.9', 'kw_wrong_again');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    // Everyone behind one proxy shares an address: the owner is not locked out by a guesser.
    expect((await from('10.9.9.9', s.tokens.admin)).statusCode).toBe(200);
    expect((await from('10.9.9.10', 'kw_wrong_elsewhere')).statusCode).toBe(401);
  });
});

describe.each(DIALECTS)('locks and codes on %s', (dialect) => {
  let s: TestServer;
  const locks: string[] = [];
  beforeAll(async () => {
    s = await testServer(dialect);
  });
  afterAll(() => s.close());

  const as = (role: 'admin' | 'manager' | 'viewer', method: string, url: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: bearer(s.tokens[role]),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('adds locks of the guide models and lists them with their sync state', async () => {
    for (const model of ['264', '955']) {
      const r = await as('manager', 'POST', '/api/v1/locks', { name: `Door ${model}`, model, driver: 'sim' });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({ model, driver: 'sim', slots: [] });
      locks.push(r.json().id);
    }
    const list = (await as('viewer', 'GET', '/api/v1/locks')).json();
    expect(list.locks.map((l: { id: string }) => l.id)).toEqual(locks);
    expect(list.locks[0].sync.state).toBe('empty');
  });

  it('adds a site in a named time zone, and refuses a zone the system does not know', async () => {
    const ok = await as('admin', 'POST', '/api/v1/sites', { name: 'Brooklyn', timeZone: 'America/New_York' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ name: 'Brooklyn', timeZone: 'America/New_York' });
    const bad = await as('admin', 'POST', '/api/v1/sites', { name: 'Mars', timeZone: 'Mars/Olympus_Mons' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/Mars\/Olympus_Mons/);
  });

  it('creates a code on two locks without returning it, then reveals it only to a manager', async () => {
    const r = await as('manager', 'POST', '/api/v1/credentials', {
      name: 'Pat',
      code: '294750',
      lockIds: locks,
      kind: 'permanent',
    });
    expect(r.statusCode).toBe(201);
    const c = r.json();
    expect(c.code).toBeUndefined();
    expect(c.locks.map((l: { status: string }) => l.status)).toEqual(['unset', 'unset']);
    expect(JSON.stringify((await as('viewer', 'GET', `/api/v1/credentials/${c.id}`)).json())).not.toContain(
      '294750',
    );
    expect((await as('viewer', 'GET', `/api/v1/credentials/${c.id}?reveal=true`)).statusCode).toBe(403);
    expect((await as('manager', 'GET', `/api/v1/credentials/${c.id}?reveal=true`)).json().code).toBe(
      '294750',
    );
    const audit = (await as('viewer', 'GET', `/api/v1/audit?subjectId=${c.id}`)).json();
    expect(audit.entries.map((e: { action: string }) => e.action)).toContain('credential.reveal');

    const lock = (await as('viewer', 'GET', `/api/v1/locks/${locks[0]}`)).json();
    expect(lock).toMatchObject({ id: locks[0], model: '264', driver: 'sim', battery: null });
    expect(lock.slots).toEqual([expect.objectContaining({ slot: 1, credentialId: c.id, status: 'unset' })]);
    expect(lock.driverConfig).toBeUndefined();
  });

  it('refuses a code sharing its first four digits with one on the lock, without echoing digits', async () => {
    const r = await as('manager', 'POST', '/api/v1/credentials', {
      name: 'Clash',
      code: '294751',
      lockIds: locks,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('BAD_INPUT');
    expect(r.json().error.details.rejected[0].reasons[0].rule).toBe('prefix');
    expect(r.body).not.toMatch(/2947/);
  });

  it('generates a guest code valid on every chosen lock and returns it once', async () => {
    const now = Date.now();
    const r = await as('manager', 'POST', '/api/v1/credentials', {
      name: 'Guest Sam',
      generate: true,
      lockIds: locks,
      kind: 'guest',
      startsAt: new Date(now).toISOString(),
      endsAt: now + 2 * 86_400_000,
    });
    expect(r.statusCode).toBe(201);
    const c = r.json();
    expect(c.code).toMatch(/^[0-9]{4,10}$/);
    expect(c.kind).toBe('guest');
    expect(c.endsAt).toBe(now + 2 * 86_400_000);
    const status = (await as('viewer', 'GET', '/api/v1/status')).json();
    expect(status.items.some((i: { kind: string }) => i.kind === 'guest-departure')).toBe(true);
  });

  it('revokes a code on every lock, and refuses to revoke it twice', async () => {
    const list = (await as('viewer', 'GET', '/api/v1/credentials')).json().credentials;
    const first = list[0];
    const r = await as('manager', 'DELETE', `/api/v1/credentials/${first.id}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().revokedAt).toEqual(expect.any(Number));
    expect(r.json().locks.every((l: { status: string }) => l.status === 'removed')).toBe(true);
    expect((await as('manager', 'DELETE', `/api/v1/credentials/${first.id}`)).statusCode).toBe(400);
    const after = (await as('viewer', 'GET', '/api/v1/credentials')).json().credentials;
    expect(after.map((c: { id: string }) => c.id)).not.toContain(first.id);
  });

  it('adds and removes people, revoking what they hold', async () => {
    const p = (await as('manager', 'POST', '/api/v1/people', { name: 'Lee' })).json();
    await as('manager', 'POST', '/api/v1/credentials', {
      name: 'Lee',
      code: '583920',
      personId: p.id,
      lockIds: [locks[0]],
    });
    expect(
      (await as('viewer', 'GET', '/api/v1/people')).json().people.map((x: { id: string }) => x.id),
    ).toContain(p.id);
    const r = await as('manager', 'DELETE', `/api/v1/people/${p.id}`);
    expect(r.json().revoked).toHaveLength(1);
  });

  it('reports exposure and deleted-code memory of a lock', async () => {
    const r = (await as('viewer', 'GET', `/api/v1/locks/${locks[0]}/risk`)).json();
    expect(r.deletedCodes).toEqual([]);
    expect(r.codesOnLock).toBeGreaterThan(0);
    expect(r.exposure.guessesExpected).toBeGreaterThan(1);
  });

  it('keeps a verifiable audit log of every change', async () => {
    const log = (await as('viewer', 'GET', '/api/v1/audit?limit=5')).json().entries;
    expect(log).toHaveLength(5);
    expect(log[0].seq).toBeGreaterThan(log[4].seq);
    expect(log[0].actor).toMatch(/^token:/);
    expect((await as('viewer', 'GET', '/api/v1/audit/verify')).json()).toMatchObject({
      ok: true,
      problems: [],
    });
  });

  it('answers every read the web UI makes in the shape its response schema declares', async () => {
    const credentialId = (await as('viewer', 'GET', '/api/v1/credentials')).json().credentials[0].id;
    const reads = [
      ['/api/v1/me', '/api/v1/me'],
      ['/api/v1/tokens', '/api/v1/tokens'],
      ['/api/v1/locks', '/api/v1/locks'],
      ['/api/v1/locks/:id', `/api/v1/locks/${locks[0]}`],
      ['/api/v1/locks/:id/risk', `/api/v1/locks/${locks[0]}/risk`],
      ['/api/v1/locks/:id/session', `/api/v1/locks/${locks[0]}/session`],
      ['/api/v1/credentials', '/api/v1/credentials'],
      ['/api/v1/credentials/:id', `/api/v1/credentials/${credentialId}`],
      ['/api/v1/people', '/api/v1/people'],
      ['/api/v1/status', '/api/v1/status'],
      ['/api/v1/audit', '/api/v1/audit'],
      ['/api/v1/audit/verify', '/api/v1/audit/verify'],
    ];
    for (const [route, url] of reads) {
      const spec = ROUTES.find((r) => r.method === 'GET' && r.url === route);
      expect(spec?.response, route).toBeDefined();
      const r = await as('admin', 'GET', url!);
      expect(r.statusCode, url).toBe(200);
      const parsed = spec!.response!.safeParse(r.json());
      expect(parsed.error?.issues, url).toBeUndefined();
    }
  });

  it('removes a lock only for an admin', async () => {
    expect((await as('manager', 'DELETE', `/api/v1/locks/${locks[1]}`)).statusCode).toBe(403);
    expect((await as('admin', 'DELETE', `/api/v1/locks/${locks[1]}`)).json()).toEqual({
      id: locks[1],
      removed: true,
    });
    expect((await as('viewer', 'GET', `/api/v1/locks/${locks[1]}`)).statusCode).toBe(404);
  });
});

describe('lock rules over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(() => s.close());
  const post = (url: string, payload: object) =>
    s.app.inject({ method: 'POST', url, headers: bearer(s.tokens.viewer), payload });

  it('lists the models with their rules', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/v1/models', headers: bearer(s.tokens.viewer) });
    expect(r.json().models.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining(['264', '275', '913', '955']),
    );
    const one = await s.app.inject({
      method: 'GET',
      url: '/api/v1/models/955',
      headers: bearer(s.tokens.viewer),
    });
    expect(one.json().slots).toBe(30);
  });

  it('checks a code as the CLI does: the guide example 29475 / 29476 is refused', async () => {
    const r = await post('/api/v1/check', {
      code: '29476',
      state: { model: '264', slots: { '1': '29475' } },
    });
    expect(r.json()).toMatchObject({ accepted: false, reasons: [{ rule: 'prefix', conflictsWith: 1 }] });
    expect(r.json().feedback.led).toBe('red');
  });

  it('generates codes valid on several lock states', async () => {
    const r = await post('/api/v1/generate', { locks: [{ model: '264' }, { model: '910' }], count: 3 });
    expect(r.json().codes).toHaveLength(3);
  });

  it('gives a guide whose inputs replay on the twin with the expected signals', async () => {
    const g = (
      await post('/api/v1/guide', { state: { model: '275' }, op: 'add-user', slot: 1, code: '3817' })
    ).json();
    expect(g.ok).toBe(true);
    const inputs = g.guide.steps.flatMap((st: { inputs: unknown[] }) => st.inputs);
    const run = (await post('/api/v1/twin/run', { state: { model: '275' }, inputs })).json();
    const signals = run.lines.flatMap((l: { signals: unknown[] }) => l.signals);
    expect(signals).toEqual(g.guide.steps.flatMap((st: { expect: unknown[] }) => st.expect));
    expect(run.final.slots).toEqual({ '1': '3817' });
    expect(run).toMatchObject({ bolt: expect.any(String), mode: expect.any(String), at: expect.any(Number) });
    const again = await post('/api/v1/twin/run', { state: run.final, inputs: [] });
    expect(again.statusCode).toBe(200);
    expect(again.json().final).toEqual(run.final);
  });

  it('diagnoses red flash and 3 beeps from the known state, naming the conflicting slot', async () => {
    const r = await post('/api/v1/diagnose', {
      symptom: 'red-3-beeps',
      state: { model: '264', slots: { '1': '29475' } },
      attemptedCode: '29476',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().causes[0]).toMatchObject({ id: 'prefix-conflict', conflictsWith: 1 });
  });

  it('plans the operations to reach desired slots', async () => {
    const r = await post('/api/v1/plan', {
      state: { model: '264', slots: { '1': '29475', '2': '8163' } },
      desired: { slots: { '1': '29475', '3': '51720' } },
    });
    expect(r.json()).toMatchObject({
      ops: [
        { op: 'delete', slot: 2 },
        { op: 'add', slot: 3, code: '51720' },
      ],
      requiresFactoryReset: false,
    });
  });
});

describe('bad input', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(() => s.close());

  const BODIES: unknown[] = [
    null,
    [],
    'text',
    42,
    { name: '' },
    { name: 'x'.repeat(300) },
    { name: 'n', model: '999', driver: 'sim' },
    { name: 'n', model: '264', driver: 'zwave-server' },
    { code: 'abcd', state: { model: '264' } },
    { code: '1234', state: { model: '264', slots: { '99': '1234' } } },
    { code: '1234', state: { model: 'nope' } },
    { state: { model: '264', extra: 1 }, op: 'add-user' },
    { state: { model: '264' }, inputs: [{ press: 'banana' }] },
    { name: 'g', generate: true, code: '1234', lockIds: ['lock_x'] },
    { name: 'g', code: '1234', lockIds: [] },
    { name: 'g', code: '1234', lockIds: ['../etc'] },
    { name: 'g', code: '1234', lockIds: ['lock_x'], kind: 'guest', endsAt: 'tomorrow' },
    { symptom: 'smoke', state: { model: '264' } },
    { locks: [{ model: '264' }], count: 1000 },
    { name: 't', role: 'root' },
  ];

  it('never answers a 500: every route answers malformed bodies with a 4xx and a stable code', async () => {
    const codes = new Set(Object.keys(ERROR_CODES));
    for (const spec of ROUTES.filter((r) => r.method === 'POST')) {
      for (const body of BODIES) {
        const r = await s.app.inject({
          method: 'POST',
          url: spec.url,
          headers: { ...bearer(s.tokens.admin), 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        const where = `${spec.url} ${JSON.stringify(body)}`;
        expect(r.statusCode, where).toBeLessThan(500);
        // Extra fields are ignored, so a body meant for another route may be fine here.
        if (r.statusCode >= 400) expect(codes.has(r.json().error.code), where).toBe(true);
      }
    }
  });

  it('names the field that is wrong', async () => {
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/v1/credentials',
      headers: bearer(s.tokens.manager),
      payload: { name: 'x', code: '12a4', lockIds: ['lock_1'] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/body\.code: must be digits/);
    expect(r.json().error.message).not.toContain('12a4');
  });

  it('holds every time field to one rule: 1900-01-01 refused like -5, an end already past refused', async () => {
    const site = (await s.store.addSite({ name: 'Times' })).id;
    const lock = (await s.store.addLock({ siteId: site, name: 'Shed', model: '914' })).id;
    const post = (extra: Record<string, unknown>) =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/credentials',
        headers: bearer(s.tokens.manager),
        payload: { name: 'Time test', code: '583920', lockIds: [lock], ...extra },
      });
    for (const extra of [
      { startsAt: '1900-01-01' },
      { startsAt: -5 },
      { endsAt: 'next week' },
      { endsAt: 1.5 },
    ]) {
      const r = await post(extra);
      expect(r.statusCode, JSON.stringify(extra)).toBe(400);
      expect(r.json().error.message).toMatch(
        /body\.(startsAt|endsAt): must be a date from 2000-01-01 to 2199-12-31/,
      );
    }
    const past = await post({ endsAt: Date.UTC(2021, 0, 1) });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toContain('the end is in the past');
    expect((await post({ endsAt: '2199-12-31' })).statusCode).toBe(201);
  });

  it('refuses an end without a time zone with a 400 naming the field and the missing zone, and takes it once the zone is there', async () => {
    const site = (await s.store.addSite({ name: 'Zones' })).id;
    const lock = (await s.store.addLock({ siteId: site, name: 'Gate', model: '914' })).id;
    const post = (endsAt: unknown) =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/credentials',
        headers: bearer(s.tokens.manager),
        payload: {
          name: 'Zone test',
          code: '583921',
          lockIds: [lock],
          kind: 'guest',
          startsAt: '2190-06-30T12:00Z',
          endsAt,
        },
      });
    // Read in the server's own zone, this would be a different instant on every server.
    const r = await post('2026-07-01T15:00');
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toEqual({
      code: 'BAD_INPUT',
      message:
        'body.endsAt: 2026-07-01T15:00 has no time zone, so it would mean a different instant on each machine: add Z for UTC (2026-07-01T15:00Z) or an offset such as +02:00 (2026-07-01T15:00+02:00)',
    });
    const impossible = await post('2026-02-30');
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().error.message).toBe(
      'body.endsAt: 2026-02-30 is not a real date (February 2026 has 28 days)',
    );
    const taken = await post('2190-07-01 15:00+02:00');
    expect(taken.statusCode).toBe(201);
    expect(taken.json().endsAt).toBe(Date.UTC(2190, 6, 1, 13));
    const since = await s.app.inject({
      method: 'GET',
      url: '/api/v1/events?since=2026-07-01T15:00',
      headers: bearer(s.tokens.viewer),
    });
    expect(since.statusCode).toBe(400);
    expect(since.json().error.message).toMatch(/^query\.since: 2026-07-01T15:00 has no time zone/);
  });

  it('answers malformed JSON, a wrong content type and bad ids with 4xx', async () => {
    const h = bearer(s.tokens.admin);
    const broken = await s.app.inject({
      method: 'POST',
      url: '/api/v1/locks',
      headers: { ...h, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('BAD_INPUT');
    const wrongType = await s.app.inject({
      method: 'POST',
      url: '/api/v1/locks',
      headers: { ...h, 'content-type': 'application/xml' },
      payload: '<lock/>',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('BAD_INPUT');
    const badId = await s.app.inject({ method: 'GET', url: '/api/v1/locks/%27%3B--', headers: h });
    expect(badId.statusCode).toBe(400);
    const missing = await s.app.inject({
      method: 'GET',
      url: '/api/v1/credentials/cred_missing',
      headers: h,
    });
    expect(missing.statusCode).toBe(404);
    const badQuery = await s.app.inject({ method: 'GET', url: '/api/v1/audit?limit=-3', headers: h });
    expect(badQuery.statusCode).toBe(400);
  });
});

describe('the log', () => {
  it('never carries a code or a token, wherever they appear', async () => {
    const s = await testServer();
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { app } = await buildApp({ store: s.store, logLevel: 'info', logStream: stream, web: false });
    app.log.info({ body: { code: '482913', name: 'x' }, credential: { code: '482913' } }, 'a request');
    app.log.info({ req: { headers: { authorization: `Bearer ${s.tokens.admin}` } } }, 'a header');
    await app.close();
    await s.close();
    const text = lines.join('');
    expect(text).toContain('a request');
    expect(text).not.toContain('482913');
    expect(text).not.toContain(s.tokens.admin);
  });
});
