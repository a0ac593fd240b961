import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestServer, testServer } from './support/server-app.js';

describe('PATCH /api/v1/credentials/{id}: a stay changed in place', () => {
  let s: TestServer;
  const nudged: string[][] = [];
  let front: string;
  let back: string;
  let cabin: string;

  beforeAll(async () => {
    s = await testServer('sqlite', { nudge: (ids) => nudged.push([...ids]) });
    const site = await s.store.addSite({ name: 'Home' });
    front = (await s.store.addLock({ siteId: site.id, name: 'Front door', model: '264' })).id;
    back = (await s.store.addLock({ siteId: site.id, name: 'Back door', model: '264' })).id;
    cabin = (await s.store.addLock({ siteId: site.id, name: 'Cabin', model: '910' })).id;
  });
  afterAll(() => s.close());

  const as = (role: 'viewer' | 'manager', method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    s.app.inject({ method, url, headers: bearer(s.tokens[role]), ...(payload ? { payload } : {}) });

  async function guest(code: string, lockIds: string[]) {
    const r = await as('manager', 'POST', '/api/v1/credentials', {
      name: 'Smith family',
      code,
      kind: 'guest',
      lockIds,
      endsAt: Date.now() + 3 * 86_400_000,
      windows: [{ days: [5, 6], startMinute: 960, endMinute: 1440 }],
      maxUses: 4,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  }

  it('answers the credential as GET does, digits and slot kept, and wakes every lock involved', async () => {
    const c = await guest('482913', [front]);
    expect(c).toMatchObject({ windows: [{ days: [5, 6], startMinute: 960, endMinute: 1440 }], useLimit: 4 });
    nudged.length = 0;
    const endsAt = '2199-01-01T11:00:00Z';
    const r = await as('manager', 'PATCH', `/api/v1/credentials/${c.id}`, {
      name: 'Smith family (extended)',
      endsAt,
      windows: [],
      maxUses: null,
      lockIds: [front, back],
    });
    expect(r.statusCode, r.body).toBe(200);
    const got = (await as('viewer', 'GET', `/api/v1/credentials/${c.id}`)).json();
    expect(r.json()).toEqual(got);
    expect(got).toMatchObject({
      name: 'Smith family (extended)',
      endsAt: Date.parse(endsAt),
      windows: [],
      useLimit: null,
    });
    expect(got.locks.find((l: { lockId: string }) => l.lockId === front).slot).toBe(c.locks[0].slot);
    expect(got.locks.map((l: { lockId: string }) => l.lockId).sort()).toEqual([front, back].sort());
    expect(nudged).toEqual([expect.arrayContaining([front, back])]);
    expect((await as('manager', 'GET', `/api/v1/credentials/${c.id}?reveal=true`)).json().code).toBe(
      '482913',
    );
    const audit = (await as('viewer', 'GET', `/api/v1/audit?subjectId=${c.id}`)).json().entries;
    const edit = audit.find((e: { action: string }) => e.action === 'credential.edit');
    expect(edit).toBeDefined();
    expect(JSON.stringify(audit)).not.toContain('482913');
  });

  it('refuses a lock that would refuse the code with a 400 and the reason, and changes nothing', async () => {
    await guest('246800', [cabin]);
    const c = await guest('146899', [front]);
    const r = await as('manager', 'PATCH', `/api/v1/credentials/${c.id}`, {
      name: 'Other',
      lockIds: [front, cabin],
    });
    expect(r.statusCode).toBe(400);
    const message = r.json().error.message;
    expect(message).toMatch(
      /^Cabin \(910\) would refuse this change: it clashes with the code of "Smith family": /,
    );
    expect(message).not.toMatch(/1468|2468|lock_/);
    expect((await as('viewer', 'GET', `/api/v1/credentials/${c.id}`)).json()).toEqual(c);
  });

  it('names the field for bad input, and takes no code, no unknown field, and no viewer', async () => {
    const c = await guest('918273', [front]);
    const url = `/api/v1/credentials/${c.id}`;
    const cases: Array<[object, RegExp]> = [
      [{ code: '1234' }, /code/],
      [{ endAt: 1 }, /endAt/],
      [{ maxUses: 0 }, /body\.maxUses/],
      [{ lockIds: [] }, /body\.lockIds/],
      [{ windows: [{ days: [7], startMinute: 0, endMinute: 60 }] }, /body\.windows\[0\]\.days/],
      [{ endsAt: 'next week' }, /body\.endsAt/],
      [{ name: '' }, /body\.name/],
    ];
    for (const [body, field] of cases) {
      const r = await as('manager', 'PATCH', url, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.message).toMatch(field);
    }
    expect((await as('viewer', 'PATCH', url, { name: 'x' })).statusCode).toBe(403);
    expect((await as('manager', 'PATCH', '/api/v1/credentials/cred_missing', { name: 'x' })).statusCode).toBe(
      404,
    );
  });

  it('refuses a code with anything but digits on creation, naming the field, never stripping it', async () => {
    for (const code of ['12 34', '1234a', '１２３４', '12-34']) {
      const r = await as('manager', 'POST', '/api/v1/credentials', { name: 'X', code, lockIds: [front] });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toMatch(/body\.code: must be digits 0-9 only/);
    }
  });

  it("changes a site's check-in and check-out times for an admin only", async () => {
    const [site] = (await as('viewer', 'GET', '/api/v1/sites')).json().sites;
    expect(site).toMatchObject({ checkInTime: '16:00', checkOutTime: '11:00' });
    const url = `/api/v1/sites/${site.id}`;
    expect((await as('manager', 'PATCH', url, { checkInTime: '15:00' })).statusCode).toBe(403);
    const r = await s.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(s.tokens.admin),
      payload: { checkInTime: '15:00' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ checkInTime: '15:00', checkOutTime: '11:00' });
    const bad = await s.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(s.tokens.admin),
      payload: { checkOutTime: '11am' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/body\.checkOutTime/);
  });
});
