import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import type { Signal } from '../src/core/catalog/types.js';
import { factoryState, type LockState } from '../src/core/codes/lock-state.js';
import type { GuideStep } from '../src/core/guide/index.js';
import { createTwin, step as twinStep } from '../src/core/twin/index.js';
import type { TwinState } from '../src/core/twin/types.js';
import { buildApp, ROUTES } from '../src/server/app.js';
import { systemClock } from '../src/sync/clock.js';
import { ManualSessions } from '../src/sync/manual-session.js';
import { Reconciler } from '../src/sync/reconciler.js';
import { SimLock } from '../src/sync/sim-driver.js';
import { DIALECTS } from './store/dialects.js';
import { bearer, type TestServer, testServer } from './support/server-app.js';

type Role = 'admin' | 'manager' | 'viewer';

function client(s: TestServer) {
  return (role: Role, method: string, url: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: bearer(s.tokens[role]),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

/** The person at the door: presses a step's keys on the lock and says what it showed. */
function press(twin: TwinState, s: GuideStep, model: string): { twin: TwinState; seen: Signal[] } {
  let t = twin;
  const seen: Signal[] = [];
  for (const input of s.inputs) {
    const r = twinStep(t, input, getModel(model));
    t = r.state;
    seen.push(...r.signals);
  }
  return { twin: t, seen };
}

interface SessionJson {
  id: string;
  lockId: string;
  status: string;
  stepNumber: number;
  totalSteps: number;
  step: GuideStep | null;
  revealed: boolean;
  ops: { op: string; slot: number; name: string | null; firstStep: number; steps: GuideStep[] }[];
  diagnosis: { symptom: string; causes: { id: string; likelihood: number; explanation: string }[] } | null;
}

describe.each(DIALECTS)("a manual lock's guide session over HTTP on %s", (dialect) => {
  let s: TestServer;
  let as: ReturnType<typeof client>;
  let reconciler: Reconciler;
  let lockId: string;
  let ana: string;
  let twin: TwinState;

  const session = async (role: Role = 'viewer', reveal = false) => {
    const r = await as(role, 'GET', `/api/v1/locks/${lockId}/session${reveal ? '?reveal=true' : ''}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().session as SessionJson | null;
  };
  const slotOf = async (slot: number) =>
    (await as('viewer', 'GET', `/api/v1/locks/${lockId}`))
      .json()
      .slots.find((x: { slot: number }) => x.slot === slot);

  beforeAll(async () => {
    s = await testServer(dialect, { lockViewTtlMs: 0 });
    as = client(s);
    // The reconciler as `keyward serve` runs it: a lock without a radio gets a guide session.
    const sessions = new ManualSessions(s.store);
    reconciler = new Reconciler({
      store: s.store,
      clock: systemClock,
      driverFor: () => null,
      onManual: async (p, lp) => {
        await sessions.open(p, lp);
      },
    });
    const lock = await as('manager', 'POST', '/api/v1/locks', {
      name: 'Shed',
      model: '264',
      driver: 'manual',
    });
    lockId = lock.json().id;
    twin = createTwin(factoryState(getModel('264')) as LockState);
  });
  afterAll(async () => {
    reconciler.stop();
    await s.close();
  });

  it('has no session while the lock holds what the register wants', async () => {
    expect(await session()).toBeNull();
  });

  it('turns a new code into guide steps that hide the code until a manager asks to see it', async () => {
    const c = await as('manager', 'POST', '/api/v1/credentials', {
      name: 'Ana',
      code: '29475',
      lockIds: [lockId],
    });
    ana = c.json().id;
    await reconciler.syncLock(lockId);
    const masked = (await session('viewer'))!;
    expect(masked).toMatchObject({ status: 'active', stepNumber: 1, revealed: false, diagnosis: null });
    expect(masked.ops).toEqual([expect.objectContaining({ op: 'add', slot: 1, name: 'Ana', firstStep: 1 })]);
    expect(masked.totalSteps).toBe(masked.ops[0]!.steps.length);
    const text = JSON.stringify(masked);
    expect(text).not.toMatch(/2 9 4 7 5|29475/);
    expect(text).toContain('• • • • •');
    expect(masked.ops[0]!.steps.every((st) => st.inputs.length === 0)).toBe(true);
    expect((await slotOf(1)).status).toBe('setting');

    expect((await as('viewer', 'GET', `/api/v1/locks/${lockId}/session?reveal=true`)).statusCode).toBe(403);
    const open = (await session('manager', true))!;
    expect(open.revealed).toBe(true);
    expect(JSON.stringify(open)).toContain('2 9 4 7 5');
    const audit = (await as('viewer', 'GET', `/api/v1/audit?subjectId=${lockId}`)).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toContain('manual.reveal');
  });

  it('lets only a manager confirm, and only the step the session is at', async () => {
    const v = (await session())!;
    const url = `/api/v1/manual-sessions/${v.id}/confirm`;
    expect((await as('viewer', 'POST', url, { step: 1 })).statusCode).toBe(403);
    const stale = await as('manager', 'POST', url, { step: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'CONFLICT', details: { stepNumber: 1 } });
    for (const bad of [{}, { step: 0 }, { step: 'one' }, { step: 1.5 }]) {
      const r = await as('manager', 'POST', url, bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect(
      (await as('manager', 'POST', '/api/v1/manual-sessions/manual_missing/confirm', { step: 1 })).statusCode,
    ).toBe(404);
    expect((await session())!.stepNumber).toBe(1);
  });

  it('moves the register only when the last step is confirmed, as the lock really showed it', async () => {
    let v = (await session('manager', true))!;
    const id = v.id;
    while (v.status === 'active') {
      const r = press(twin, v.step!, '264');
      twin = r.twin;
      expect(r.seen).toEqual(v.step!.expect);
      const before = await slotOf(1);
      expect(before.status).toBe('setting');
      const next = await as('manager', 'POST', `/api/v1/manual-sessions/${id}/confirm`, {
        step: v.stepNumber,
      });
      expect(next.statusCode, next.body).toBe(200);
      expect(JSON.stringify(next.json())).not.toContain('2 9 4 7 5');
      if (next.json().status !== 'active') break;
      v = (await session('manager', true))!;
    }
    expect(twin.lock.slots).toEqual({ '1': '29475' });
    expect(await slotOf(1)).toMatchObject({ credentialId: ana, status: 'set', error: null });
    expect(await session()).toBeNull();
    const cred = (await as('viewer', 'GET', `/api/v1/credentials/${ana}`)).json();
    expect(cred.locks[0]).toMatchObject({ lockId, status: 'set' });
  });

  it('answers a different signal with the ranked causes, leaving the register as it was', async () => {
    // The lock refuses Ben's code at the door although the register thought it fine: someone
    // added 81630 at the keypad, which Keyward cannot see on a lock without a radio.
    twin = createTwin({ ...twin.lock, slots: { ...twin.lock.slots, '5': '81630' } });
    const ben = (
      await as('manager', 'POST', '/api/v1/credentials', { name: 'Ben', code: '81634', lockIds: [lockId] })
    ).json().id;
    await reconciler.syncLock(lockId);
    let v = (await session('manager', true))!;
    expect(v.ops[0]).toMatchObject({ op: 'add', name: 'Ben' });
    let seen: Signal[] = [];
    while (v.status === 'active') {
      const r = press(twin, v.step!, '264');
      twin = r.twin;
      if (JSON.stringify(r.seen) !== JSON.stringify(v.step!.expect)) {
        seen = r.seen;
        break;
      }
      await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/confirm`, { step: v.stepNumber });
      v = (await session('manager', true))!;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(
      (await as('viewer', 'POST', `/api/v1/manual-sessions/${v.id}/report`, { step: v.stepNumber, seen }))
        .statusCode,
    ).toBe(403);
    for (const bad of [
      { step: v.stepNumber },
      { step: v.stepNumber, seen: [{ led: 'purple', count: 1 }] },
      { step: v.stepNumber, seen: [{ beep: 'short', count: 0 }] },
      { step: v.stepNumber, seen: 'red' },
    ]) {
      expect((await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/report`, bad)).statusCode).toBe(
        400,
      );
    }
    const r = await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/report`, {
      step: v.stepNumber,
      seen,
    });
    expect(r.statusCode, r.body).toBe(200);
    const helped = r.json() as SessionJson;
    expect(helped.status).toBe('needs-help');
    expect(helped.diagnosis!.symptom).toBe('red-3-beeps');
    const likelihoods = helped.diagnosis!.causes.map((c) => c.likelihood);
    expect(likelihoods.length).toBeGreaterThan(0);
    expect([...likelihoods].sort((a, b) => b - a)).toEqual(likelihoods);
    expect(r.body).not.toMatch(/81634|8 1 6 3 4/);
    // Still needs help after a reload, with the same causes.
    const again = (await session())!;
    expect(again.diagnosis!.causes.map((c) => c.id)).toEqual(helped.diagnosis!.causes.map((c) => c.id));
    const benSlot = await slotOf(v.ops[0]!.slot);
    expect(benSlot).toMatchObject({ credentialId: ben, status: 'setting', error: 'duplicate_on_device' });
    // While it needs help, it cannot be confirmed or paused; retry starts Ben's change again.
    expect(
      (await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/confirm`, { step: v.stepNumber }))
        .statusCode,
    ).toBe(409);
    expect((await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/pause`)).statusCode).toBe(409);
    const retried = await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/retry`);
    expect(retried.json()).toMatchObject({
      status: 'active',
      stepNumber: v.ops[0]!.firstStep,
      diagnosis: null,
    });
  });

  it('pauses and resumes from the first step of the current change, for a manager only', async () => {
    const v = (await session())!;
    expect((await as('viewer', 'POST', `/api/v1/manual-sessions/${v.id}/pause`)).statusCode).toBe(403);
    const paused = await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/pause`);
    expect(paused.json().status).toBe('paused');
    expect((await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/pause`)).statusCode).toBe(409);
    expect(
      (await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/confirm`, { step: v.stepNumber }))
        .statusCode,
    ).toBe(409);
    const resumed = await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/resume`);
    expect(resumed.json()).toMatchObject({ status: 'active', stepNumber: v.ops[0]!.firstStep });
  });

  it('gives a session up: the change waits again and the reconciler opens a fresh session', async () => {
    const v = (await session())!;
    const r = await as('manager', 'POST', `/api/v1/manual-sessions/${v.id}/abandon`);
    expect(r.json().status).toBe('abandoned');
    expect((await slotOf(v.ops[0]!.slot)).status).toBe('unset');
    await reconciler.syncLock(lockId);
    const fresh = (await session())!;
    expect(fresh.id).not.toBe(v.id);
    expect(fresh.stepNumber).toBe(1);
  });

  it('refuses a session for a lock that does not exist', async () => {
    expect((await as('viewer', 'GET', '/api/v1/locks/lock_missing/session')).statusCode).toBe(404);
  });
});

describe.each(DIALECTS)('unmanaged codes over HTTP on %s', (dialect) => {
  let s: TestServer;
  let as: ReturnType<typeof client>;
  let reconciler: Reconciler;
  let sim: SimLock;
  let lockId: string;

  const slots = async () =>
    (await as('viewer', 'GET', `/api/v1/locks/${lockId}`)).json().slots as {
      slot: number;
      credentialId: string | null;
      status: string;
    }[];
  const credentialCount = async () =>
    (await as('viewer', 'GET', '/api/v1/credentials?includeRevoked=true')).json().credentials.length;

  beforeAll(async () => {
    s = await testServer(dialect, { lockViewTtlMs: 0 });
    as = client(s);
    reconciler = new Reconciler({
      store: s.store,
      clock: systemClock,
      driverFor: (lock) => (lock.id === lockId ? sim : null),
    });
    lockId = (
      await as('manager', 'POST', '/api/v1/locks', { name: 'Porch', model: '910', driver: 'sim' })
    ).json().id;
    // A lock in use before Keyward: three codes nobody registered.
    sim = new SimLock({
      model: '910',
      clock: systemClock,
      latencyMs: 0,
      initial: { ...factoryState(getModel('910')), slots: { '2': '1357', '3': '86420', '4': '97531' } },
    });
    await reconciler.syncLock(lockId);
  });
  afterAll(async () => {
    reconciler.stop();
    await s.close();
  });

  it('shows codes the register did not put there as unmanaged, without a credential', async () => {
    expect(await slots()).toEqual([
      expect.objectContaining({ slot: 2, credentialId: null, status: 'unmanaged' }),
      expect.objectContaining({ slot: 3, credentialId: null, status: 'unmanaged' }),
      expect.objectContaining({ slot: 4, credentialId: null, status: 'unmanaged' }),
    ]);
  });

  it('refuses a viewer either action, and bad input with 4xx, writing nothing', async () => {
    const before = await credentialCount();
    expect(
      (await as('viewer', 'POST', `/api/v1/locks/${lockId}/slots/2/adopt`, { name: 'x' })).statusCode,
    ).toBe(403);
    expect((await as('viewer', 'POST', `/api/v1/locks/${lockId}/slots/2/remove`)).statusCode).toBe(403);
    const cases: [string, unknown, number][] = [
      ['2/adopt', {}, 400],
      ['2/adopt', { name: '' }, 400],
      ['2/adopt', { name: 'x', personId: 'per_a', personName: 'Robin' }, 400],
      ['2/adopt', { name: 'x', personId: '../x' }, 400],
      ['0/adopt', { name: 'x' }, 400],
      ['two/adopt', { name: 'x' }, 400],
      ['2/adopt', { name: 'x', personId: 'per_missing' }, 404],
      ['9/adopt', { name: 'x' }, 409],
      ['9/remove', undefined, 409],
    ];
    for (const [path, body, status] of cases) {
      const r = await as('manager', 'POST', `/api/v1/locks/${lockId}/slots/${path}`, body);
      expect(r.statusCode, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.json().error.code).toEqual(expect.any(String));
    }
    expect(
      (await as('manager', 'POST', '/api/v1/locks/lock_missing/slots/2/adopt', { name: 'x' })).statusCode,
    ).toBe(404);
    expect(await credentialCount()).toBe(before);
    expect((await slots()).filter((x) => x.status === 'unmanaged')).toHaveLength(3);
  });

  it('adopts a code for a new person: it stays on the lock, secret, and becomes a managed code', async () => {
    const r = await as('manager', 'POST', `/api/v1/locks/${lockId}/slots/2/adopt`, {
      name: 'Robin (found on the porch)',
      personName: 'Robin',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.body).not.toContain('1357');
    const { credentialId, personId } = r.json();
    expect(personId).toMatch(/^per_/);
    expect((await slots()).find((x) => x.slot === 2)).toMatchObject({ credentialId, status: 'set' });
    const cred = (await as('viewer', 'GET', `/api/v1/credentials/${credentialId}`)).json();
    expect(cred).toMatchObject({ name: 'Robin (found on the porch)', personId, kind: 'permanent' });
    expect(cred.locks).toEqual([expect.objectContaining({ lockId, slot: 2, status: 'set' })]);
    expect((await as('manager', 'GET', `/api/v1/credentials/${credentialId}?reveal=true`)).json().code).toBe(
      '1357',
    );
    const people = (await as('viewer', 'GET', '/api/v1/people')).json().people;
    expect(people.map((p: { name: string }) => p.name)).toContain('Robin');
    // The lock is left alone: the code was already where the register now says.
    await reconciler.syncLock(lockId);
    expect(sim.lock.slots['2']).toBe('1357');
    expect(
      (await as('manager', 'POST', `/api/v1/locks/${lockId}/slots/2/adopt`, { name: 'again' })).statusCode,
    ).toBe(409);
  });

  it('adopts a code for an existing person, as an admin', async () => {
    const p = (await as('manager', 'POST', '/api/v1/people', { name: 'Sol' })).json();
    const r = await as('admin', 'POST', `/api/v1/locks/${lockId}/slots/4/adopt`, {
      name: 'Sol',
      personId: p.id,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().personId).toBe(p.id);
  });

  it('removes a code from the lock through the reconciler, keeping a revoked record', async () => {
    const r = await as('manager', 'POST', `/api/v1/locks/${lockId}/slots/3/remove`);
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json()).toMatchObject({ lockId, slot: 3, status: 'removing' });
    expect((await slots()).find((x) => x.slot === 3)).toMatchObject({ status: 'removing' });
    expect(sim.lock.slots['3']).toBe('86420');
    await reconciler.syncLock(lockId);
    expect(sim.lock.slots['3']).toBeUndefined();
    expect((await slots()).find((x) => x.slot === 3)).toBeUndefined();
    const record = (await as('viewer', 'GET', `/api/v1/credentials/${r.json().credentialId}`)).json();
    expect(record.revokedAt).toEqual(expect.any(Number));
    expect(record.locks[0].status).toBe('removed');
    const active = (await as('viewer', 'GET', '/api/v1/credentials')).json().credentials;
    expect(active.map((c: { id: string }) => c.id)).not.toContain(r.json().credentialId);
    const audit = (await as('viewer', 'GET', `/api/v1/audit?subjectId=${r.json().credentialId}`)).json()
      .entries;
    expect(audit.map((e: { action: string }) => e.action)).toContain('credential.remove-unmanaged');
    expect(JSON.stringify(audit)).not.toContain('86420');
  });
});

describe('API tokens', () => {
  let s: TestServer;
  let as: ReturnType<typeof client>;
  beforeAll(async () => {
    s = await testServer();
    as = client(s);
  });
  afterAll(() => s.close());

  it('lists tokens with names and roles for an admin only, never a secret or its hash', async () => {
    expect((await as('viewer', 'GET', '/api/v1/tokens')).statusCode).toBe(403);
    expect((await as('manager', 'GET', '/api/v1/tokens')).statusCode).toBe(403);
    const r = await as('admin', 'GET', '/api/v1/tokens');
    expect(r.statusCode).toBe(200);
    expect(
      r
        .json()
        .tokens.map((t: { role: string }) => t.role)
        .sort(),
    ).toEqual(['admin', 'manager', 'viewer']);
    for (const t of r.json().tokens)
      expect(Object.keys(t).sort()).toEqual(['createdAt', 'id', 'name', 'revokedAt', 'role']);
    for (const secret of Object.values(s.tokens)) expect(r.body).not.toContain(secret);
  });

  it('creates a token whose secret is shown once, then revokes it with effect on the next request', async () => {
    expect((await as('manager', 'POST', '/api/v1/tokens', { name: 'x', role: 'viewer' })).statusCode).toBe(
      403,
    );
    const made = await as('admin', 'POST', '/api/v1/tokens', { name: 'Front desk', role: 'manager' });
    expect(made.statusCode).toBe(201);
    const { id, token } = made.json();
    expect(token).toMatch(/^kw_/);
    const list = await as('admin', 'GET', '/api/v1/tokens');
    expect(list.json().tokens).toContainEqual(
      expect.objectContaining({ id, name: 'Front desk', role: 'manager' }),
    );
    expect(list.body).not.toContain(token);
    // Used once, so this instance has it cached as valid.
    const me = await s.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(me.json()).toEqual({ tokenId: id, role: 'manager' });

    expect((await as('manager', 'DELETE', `/api/v1/tokens/${id}`)).statusCode).toBe(403);
    const revoked = await as('admin', 'DELETE', `/api/v1/tokens/${id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id, revokedAt: expect.any(Number) });
    const after = await s.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect((await as('admin', 'DELETE', `/api/v1/tokens/${id}`)).statusCode).toBe(409);
    expect(
      (await as('admin', 'GET', '/api/v1/tokens')).json().tokens.map((t: { id: string }) => t.id),
    ).not.toContain(id);
    expect(
      (await as('admin', 'GET', '/api/v1/tokens?includeRevoked=true'))
        .json()
        .tokens.map((t: { id: string }) => t.id),
    ).toContain(id);
    const audit = (await as('viewer', 'GET', `/api/v1/audit?subjectId=${id}`)).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['token.revoke', 'token.create']);
  });

  it('refuses to revoke the last admin token, an unknown token and a malformed id', async () => {
    const mine = (await as('admin', 'GET', '/api/v1/me')).json().tokenId;
    const r = await as('admin', 'DELETE', `/api/v1/tokens/${mine}`);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/last admin token/);
    expect((await as('admin', 'GET', '/api/v1/me')).statusCode).toBe(200);
    expect((await as('admin', 'DELETE', '/api/v1/tokens/tok_missing')).statusCode).toBe(404);
    expect((await as('admin', 'DELETE', '/api/v1/tokens/%27%3B--')).statusCode).toBe(400);
    for (const bad of [{}, { name: 't' }, { name: '', role: 'viewer' }, { name: 't', role: 'root' }]) {
      expect((await as('admin', 'POST', '/api/v1/tokens', bad)).statusCode).toBe(400);
    }
  });

  it('is refused by another instance on the same database once its auth cache time has passed', async () => {
    let t = Date.now();
    const other = await buildApp({ store: s.store, logLevel: false, web: false, now: () => t });
    try {
      const { id, token } = (
        await as('admin', 'POST', '/api/v1/tokens', { name: 'Kiosk', role: 'viewer' })
      ).json();
      const ask = () => other.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
      expect((await ask()).statusCode).toBe(200);
      await as('admin', 'DELETE', `/api/v1/tokens/${id}`);
      // The other instance still trusts its cache for up to 5 s (docs/http.md), then asks again.
      expect((await ask()).statusCode).toBe(200);
      t += other.deps.auth.cacheMilliseconds + 1;
      expect((await ask()).statusCode).toBe(401);
    } finally {
      await other.app.close();
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes the manual session, unmanaged code and token routes', async () => {
    const s = await testServer();
    try {
      const doc = (await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      for (const [path, method] of [
        ['/api/v1/locks/{id}/session', 'get'],
        ['/api/v1/manual-sessions/{id}/confirm', 'post'],
        ['/api/v1/manual-sessions/{id}/report', 'post'],
        ['/api/v1/manual-sessions/{id}/retry', 'post'],
        ['/api/v1/manual-sessions/{id}/pause', 'post'],
        ['/api/v1/manual-sessions/{id}/resume', 'post'],
        ['/api/v1/manual-sessions/{id}/abandon', 'post'],
        ['/api/v1/locks/{id}/slots/{slot}/adopt', 'post'],
        ['/api/v1/locks/{id}/slots/{slot}/remove', 'post'],
        ['/api/v1/tokens', 'get'],
        ['/api/v1/tokens', 'post'],
        ['/api/v1/tokens/{id}', 'delete'],
      ] as const) {
        expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      }
      expect(doc.paths['/api/v1/tokens/{id}'].delete['x-role']).toBe('admin');
      expect(doc.paths['/api/v1/locks/{id}/slots/{slot}/adopt'].post['x-role']).toBe('manager');
      const report =
        doc.paths['/api/v1/manual-sessions/{id}/report'].post.requestBody.content['application/json'];
      expect(report.schema.required).toEqual(expect.arrayContaining(['step', 'seen']));
      expect(ROUTES.length).toBe(new Set(ROUTES.map((r) => `${r.method} ${r.url}`)).size);
    } finally {
      await s.close();
    }
  });
});
