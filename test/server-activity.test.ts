import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from '../src/server/serve.js';
import { httpReceiver } from './notify/receivers.js';

const CODE = '482913';

async function until<T>(what: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('activity and notifications over HTTP, from the keypad of a simulated lock', () => {
  let r: Running;
  let dir: string;
  let token: string;
  let lockId: string;
  let credentialId: string;
  let secret: string;
  const rx = httpReceiver({ secret: () => secret });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${r.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-activity-'));
    r = await startServer({
      port: 0,
      dataDir: dir,
      env: {},
      logLevel: false,
      web: false,
      simLatencyMs: 1,
      allowPrivateUrls: true,
    });
    token = r.admin.kind === 'created' ? r.admin.token : '';
    const site = await r.store.addSite({ name: 'Cabins' });
    const lock = await r.store.addLock({ siteId: site.id, name: 'Front door', model: '264', driver: 'sim' });
    lockId = lock.id;
    const now = Date.now();
    const cred = await r.store.addCredential({
      name: 'Smith family',
      code: CODE,
      kind: 'guest',
      lockIds: [lockId],
      startsAt: now - 60_000,
      endsAt: now + 86_400_000,
    });
    credentialId = cred.id;
    r.sync.nudge([lockId]);
  });
  afterAll(async () => {
    await r.close();
    await (await rx).close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the code set on the lock', async () => {
    const set = await until(async () => {
      const { json } = await call('GET', `/api/v1/events?lockId=${lockId}&type=code.set`);
      return json.events[0];
    });
    expect(set).toMatchObject({
      type: 'code.set',
      lockId,
      credentialId,
      personName: 'Smith family',
      slot: 1,
    });
  });

  it('adds a webhook whose secret is shown once, and refuses addresses that are not http(s)', async () => {
    const receiver = await rx;
    const made = await call('POST', '/api/v1/webhooks', {
      url: `${receiver.url}/hook`,
      events: ['code.used', 'guest.arrived'],
    });
    expect(made.status).toBe(201);
    expect(made.json.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    secret = made.json.secret;
    const list = await call('GET', '/api/v1/subscriptions');
    expect(list.text).not.toContain(secret.slice(6));
    const bad = await call('POST', '/api/v1/webhooks', { url: 'file:///etc/passwd', events: ['*'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('BAD_INPUT');
    const badType = await call('POST', '/api/v1/webhooks', {
      url: `${receiver.url}/x`,
      events: ['code.usedd'],
    });
    expect(badType.status).toBe(400);
  });

  it('opens the lock for the right code and the confirm key, records the use and the arrival, and signs the webhook', async () => {
    const wrong = await call('POST', `/api/v1/locks/${lockId}/keypad`, {
      inputs: [...'1111'].map((d) => ({ press: d })).concat([{ press: 'kwikset' }]),
    });
    expect(wrong.status).toBe(200);
    expect(wrong.json.bolt).toBe('locked');
    const open = await call('POST', `/api/v1/locks/${lockId}/keypad`, {
      inputs: [...CODE].map((d) => ({ press: d })).concat([{ press: 'kwikset' }]),
    });
    expect(open.status).toBe(200);
    expect(open.json.bolt).toBe('unlocked');
    expect(open.json.signals.length).toBeGreaterThan(0);
    const events = await until(async () => {
      const { json } = await call(
        'GET',
        `/api/v1/events?credentialId=${credentialId}&type=code.used,guest.arrived`,
      );
      return json.events.length === 2 && json.events;
    });
    expect(events.map((e: { type: string }) => e.type).sort()).toEqual(['code.used', 'guest.arrived']);
    expect(events[0]).toMatchObject({ lockId, personName: 'Smith family', slot: 1 });
    const receiver = await rx;
    await until(async () => receiver.received.length >= 2);
    expect(receiver.received.every((x) => x.signed)).toBe(true);
    const body = JSON.parse(receiver.received[0]!.body);
    expect(body.data).toMatchObject({ lockId, personName: 'Smith family' });
    const hooks = await call('GET', '/api/v1/subscriptions');
    const id = hooks.json.subscriptions[0].id;
    const deliveries = await until(async () => {
      const { json } = await call('GET', `/api/v1/webhooks/${id}/deliveries`);
      return json.deliveries.every((d: { status: string }) => d.status === 'delivered') && json.deliveries;
    });
    expect(deliveries[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      nextAttemptAt: null,
    });
  });

  it('answers the activity in pages, as CSV, never with the digits', async () => {
    const first = await call('GET', '/api/v1/events?limit=1');
    expect(first.json.events).toHaveLength(1);
    const second = await call('GET', `/api/v1/events?limit=1&before=${first.json.next}`);
    expect(second.json.events[0].at).toBeLessThanOrEqual(first.json.events[0].at);
    expect(second.json.events[0].id).not.toBe(first.json.events[0].id);
    const csv = await call('GET', `/api/v1/events.csv?lockId=${lockId}`);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'time,what,type,lock,person,slot,detail,lock id,credential id,event id',
    );
    expect(csv.text).toContain('Guest arrived,guest.arrived,Front door,Smith family,1');
    const same = await call('GET', `/api/v1/events?format=csv&lockId=${lockId}`);
    expect(same.text).toBe(csv.text);
    for (const t of [csv.text, (await call('GET', '/api/v1/events?limit=1000')).text])
      expect(t).not.toContain(CODE);
    expect((await call('GET', '/api/v1/events?since=yesterday')).status).toBe(400);
    expect((await call('GET', '/api/v1/events?before=nonsense')).status).toBe(400);
  });

  it('sends a test and retries a delivery on request', async () => {
    const hooks = await call('GET', '/api/v1/subscriptions');
    const id = hooks.json.subscriptions[0].id;
    const test = await call('POST', `/api/v1/subscriptions/${id}/test`);
    expect(test.status).toBe(202);
    const receiver = await rx;
    await until(async () => receiver.received.some((x) => JSON.parse(x.body).type === 'keyward.test'));
    const delivered = (await call('GET', `/api/v1/webhooks/${id}/deliveries`)).json.deliveries[0];
    const again = await call('POST', `/api/v1/subscriptions/${id}/deliveries/${delivered.id}/retry`);
    expect(again.status).toBe(409);
    const attempts = await call('GET', `/api/v1/subscriptions/${id}/deliveries/${delivered.id}/attempts`);
    expect(attempts.json.attempts.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses the keypad of a lock that does not exist', async () => {
    const res = await call('POST', '/api/v1/locks/lock_nope/keypad', { inputs: [{ press: '1' }] });
    expect(res.status).toBe(404);
  });
});
