import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import { factoryState } from '../src/core/codes/lock-state.js';
import { systemClock } from '../src/sync/clock.js';
import { Reconciler } from '../src/sync/reconciler.js';
import { SimLock } from '../src/sync/sim-driver.js';
import { bearer, type TestServer, testServer } from './support/server-app.js';

type Role = 'viewer' | 'manager' | 'admin';

describe('troubleshooting a lock Keyward knows', () => {
  let s: TestServer;
  let reconciler: Reconciler;
  let sim: SimLock;
  let lockId: string;
  let manualId: string;
  const as = (role: Role, method: string, url: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: bearer(s.tokens[role]),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    s = await testServer('sqlite', { lockViewTtlMs: 0 });
    reconciler = new Reconciler({
      store: s.store,
      clock: systemClock,
      driverFor: (lock) => (lock.id === lockId ? sim : null),
    });
    lockId = (
      await as('manager', 'POST', '/api/v1/locks', { name: 'Front door', model: '264', driver: 'sim' })
    ).json().id;
    manualId = (
      await as('manager', 'POST', '/api/v1/locks', { name: 'Cabin 2', model: '264', driver: 'manual' })
    ).json().id;
    sim = new SimLock({
      model: '264',
      clock: systemClock,
      latencyMs: 0,
      initial: factoryState(getModel('264')),
    });
    const made = await as('manager', 'POST', '/api/v1/credentials', {
      name: 'Ana',
      code: '29475',
      lockIds: [lockId],
      kind: 'permanent',
    });
    expect(made.statusCode).toBe(201);
    await reconciler.syncLock(lockId);
  });
  afterAll(async () => {
    reconciler.stop();
    await s.close();
  });

  it('names the slot holding a code that starts alike, by whose it is, never its digits', async () => {
    const r = await as('viewer', 'POST', '/api/v1/diagnose', {
      symptom: 'red-3-beeps',
      lockId,
      attemptedCode: '29476',
      context: { doing: 'programming' },
    });
    expect(r.statusCode).toBe(200);
    const d = r.json();
    expect(d.causes[0]).toMatchObject({ id: 'prefix-conflict', basis: 'confirmed' });
    expect(d.causes[0].explanation).toMatch(/Ana’s code/);
    expect(r.body).not.toContain('29475');
    expect(d.basedOn).toMatchObject({ lockName: 'Front door', codes: 1, deleted: 0 });
    const total = d.causes.reduce((n: number, c: { likelihood: number }) => n + c.likelihood, 0);
    expect(total).toBeLessThanOrEqual(1.000001);
  });

  it('allows for what a keypad-only lock cannot tell: its own edits and memory', async () => {
    const r = await as('viewer', 'POST', '/api/v1/diagnose', { symptom: 'red-3-beeps', lockId: manualId });
    expect(r.statusCode).toBe(200);
    expect(r.json().basedOn.unknown).toEqual(expect.arrayContaining(['slots', 'deleted', 'voltsPerCell']));
  });

  it('refuses both a lock and a state, neither, or a lock that does not exist', async () => {
    const both = await as('viewer', 'POST', '/api/v1/diagnose', {
      symptom: 'no-response',
      lockId,
      state: { model: '264' },
    });
    expect(both.statusCode).toBe(400);
    expect((await as('viewer', 'POST', '/api/v1/diagnose', { symptom: 'no-response' })).statusCode).toBe(400);
    const missing = await as('viewer', 'POST', '/api/v1/diagnose', {
      symptom: 'no-response',
      lockId: 'lock_nope',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });
});
