import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockFaults } from '../src/server/lock-faults.js';
import { bearer, type TestServer, testServer } from './support/server-app.js';

const NOW = Date.UTC(2026, 11, 4, 12); // Friday noon
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the state of each lock over HTTP', () => {
  let s: TestServer;
  const faults = new LockFaults(() => NOW);
  let siteId: string;
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const r = await s.app.inject({
      method,
      url,
      headers: bearer(s.tokens.admin),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, body: r.json() };
  };
  const addLock = async (name: string, driver = 'sim', extra: object = {}) =>
    (await call('POST', '/api/v1/locks', { name, model: '264', driver, siteId, ...extra })).body;
  const addCode = async (name: string, lockIds: string[], code: string, startsAt?: number, endsAt?: number) =>
    (
      await call('POST', '/api/v1/credentials', {
        name,
        code,
        lockIds,
        ...(startsAt ? { kind: 'guest', startsAt, endsAt } : {}),
      })
    ).body;
  const confirmAll = (lockId: string) =>
    s.store.ctx.db
      .updateTable('credential_locks')
      .set({ status: 'set' })
      .where('lock_id', '=', lockId)
      .where('status', '=', 'unset')
      .execute();
  const stateOf = async (lockId: string) => {
    const list = await call('GET', '/api/v1/locks');
    return list.body.locks.find((l: { id: string }) => l.id === lockId);
  };

  beforeAll(async () => {
    s = await testServer('sqlite', { now: () => NOW, faults, lockViewTtlMs: 0 });
    siteId = (await s.store.addSite({ name: 'Lakeside', tzOffsetMinutes: 0 })).id;
  });
  afterAll(() => s.close());

  it('calls a lock in step once every code wanted now is confirmed, and syncing before', async () => {
    const lock = await addLock('Front door');
    await addCode('Ana', [lock.id], '2468');
    expect((await stateOf(lock.id)).state).toBe('syncing');
    await confirmAll(lock.id);
    const l = await stateOf(lock.id);
    expect(l.state).toBe('in-step');
    expect(l.problem).toBeUndefined();
  });

  it('does not call a lock syncing for a guest whose stay starts next week, and lists the arrival', async () => {
    const lock = await addLock('Garden door');
    const guest = await addCode('Smith family', [lock.id], '13579', NOW + 7 * DAY - HOUR, NOW + 9 * DAY);
    const l = await stateOf(lock.id);
    expect(l.state).toBe('in-step');
    expect(l.upcoming).toEqual([
      { at: NOW + 7 * DAY - HOUR, kind: 'arrival', credentialId: guest.id, name: 'Smith family' },
    ]);
    const detail = (await call('GET', `/api/v1/locks/${lock.id}`)).body;
    expect(detail.state).toBe('in-step');
    expect(detail.scheduled).toEqual([
      expect.objectContaining({ credentialId: guest.id, phase: 'scheduled', from: NOW + 7 * DAY - HOUR }),
    ]);
    // The people page reads the same phase for that slot from the lock list.
    const withCodes = (await call('GET', '/api/v1/locks?codes=true')).body.locks.find(
      (x: { id: string }) => x.id === lock.id,
    );
    expect(withCodes.codes).toEqual(detail.scheduled);
  });

  it('sends someone to the door of a keypad-only lock: now, and before the next arrival', async () => {
    const lock = await addLock('Cabin 2', 'manual');
    await addCode('Cleaner', [lock.id], '8642');
    await addCode('Smith family', [lock.id], '97531', NOW + 4 * HOUR, NOW + 3 * DAY);
    const l = await stateOf(lock.id);
    expect(l.state).toBe('needs-visit');
    expect(l.visits).toEqual([
      expect.objectContaining({ name: 'Cleaner', action: 'add', when: 'now', at: null }),
      expect.objectContaining({ name: 'Smith family', action: 'add', when: 'before', at: NOW + 4 * HOUR }),
      expect.objectContaining({ name: 'Smith family', action: 'remove', when: 'after', at: NOW + 3 * DAY }),
    ]);
  });

  it('names the Z-Wave server that cannot be reached, on the list and on the lock', async () => {
    const lock = await addLock('Back door', 'zwave-server', { url: 'ws://10.0.0.5:3000', nodeId: 5 });
    faults.listener({
      type: 'unreachable',
      lockId: lock.id,
      during: 'read',
      message: 'connect ECONNREFUSED 10.0.0.5:3000',
      failures: 1,
      retryAt: NOW + 2000,
    });
    const problem = {
      code: 'unreachable',
      message: 'The Z-Wave server at ws://10.0.0.5:3000 cannot be reached',
    };
    expect(await stateOf(lock.id)).toMatchObject({ state: 'problem', problem });
    expect((await call('GET', `/api/v1/locks/${lock.id}`)).body).toMatchObject({ state: 'problem', problem });
    faults.listener({ type: 'reachable', lockId: lock.id });
    expect((await stateOf(lock.id)).state).toBe('in-step');
  });

  it('shows a code the lock refuses on its slot, with the person and the reason', async () => {
    const lock = await addLock('Shed');
    const c = await addCode('Bo', [lock.id], '1357');
    await s.store.ctx.db
      .updateTable('credential_locks')
      .set({ error: 'prefix_reserved' })
      .where('credential_id', '=', c.id)
      .execute();
    const detail = (await call('GET', `/api/v1/locks/${lock.id}`)).body;
    expect(detail.state).toBe('problem');
    expect(detail.problem.code).toBe('code-refused');
    expect(detail.slots[0]).toMatchObject({
      phase: 'problem',
      problem: expect.stringContaining("Bo's code"),
    });
  });

  it('renames a lock, refuses an empty name, and removes it with its codes left in the register', async () => {
    const lock = await addLock('Old name');
    const c = await addCode('Kim', [lock.id], '97979');
    const renamed = await call('PATCH', `/api/v1/locks/${lock.id}`, { name: 'Pool house' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Pool house', version: 2 });
    const empty = await call('PATCH', `/api/v1/locks/${lock.id}`, { name: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('BAD_INPUT');
    const stale = await call('PATCH', `/api/v1/locks/${lock.id}`, { name: 'X', version: 1 });
    expect(stale.status).toBe(409);
    const viewer = await s.app.inject({
      method: 'PATCH',
      url: `/api/v1/locks/${lock.id}`,
      headers: bearer(s.tokens.viewer),
      payload: { name: 'Nope' },
    });
    expect(viewer.statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/locks/${lock.id}`)).status).toBe(200);
    expect((await call('GET', `/api/v1/locks/${lock.id}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/credentials/${c.id}`)).body.locks).toEqual([]);
  });

  it('renames a person, finds people by part of the name, and keeps past guests with when they came off', async () => {
    const p = (await call('POST', '/api/v1/people', { name: 'Ana Lima' })).body;
    expect((await call('PATCH', `/api/v1/people/${p.id}`, { name: 'Ana Lima-Souza' })).body.name).toBe(
      'Ana Lima-Souza',
    );
    expect(
      (await call('GET', '/api/v1/people?q=souza')).body.people.map((x: { id: string }) => x.id),
    ).toEqual([p.id]);
    const lock = await addLock('Loft');
    const past = await addCode('Jones stay', [lock.id], '86420', NOW + DAY, NOW + 2 * DAY);
    // A stay that ended two days ago (the API refuses to create one in the past).
    await s.store.ctx.db
      .updateTable('credentials')
      .set({ starts_at: NOW - 5 * DAY, ends_at: NOW - 2 * DAY })
      .where('id', '=', past.id)
      .execute();
    const revoked = await addCode('Old cleaner', [lock.id], '24680');
    await call('DELETE', `/api/v1/credentials/${revoked.id}`);
    const list = (await call('GET', '/api/v1/past-guests')).body.past;
    const ids = list.map((x: { id: string }) => x.id);
    expect(ids).toContain(past.id);
    expect(ids).toContain(revoked.id);
    const old = list.find((x: { id: string }) => x.id === revoked.id);
    expect(old).toMatchObject({ revokedAt: expect.any(Number), lockNames: ['Loft'] });
    const found = (await call('GET', '/api/v1/past-guests?q=JONES')).body.past;
    expect(found.map((x: { id: string }) => x.id)).toEqual([past.id]);
  });
});
