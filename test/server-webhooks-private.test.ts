import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestServer, testServer } from './support/server-app.js';

describe('addresses Keyward may call, over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer('sqlite', { notifications: { allowPrivate: false, wake: () => {} } });
  });
  afterAll(() => s.close());

  const post = (role: 'admin' | 'manager', url: string, payload: object) =>
    s.app.inject({ method: 'POST', url, headers: bearer(s.tokens[role]), payload });

  it.each([
    'http://127.0.0.1:9/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://169.254.169.254/latest',
    'http://10.0.0.2/',
  ])('refuses a webhook to %s without --allow-private-urls', async (url) => {
    const res = await post('admin', '/api/v1/webhooks', { url, events: ['*'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/allow-private-urls/);
  });

  it('refuses an ntfy topic on a private network and a malformed e-mail address', async () => {
    const ntfy = await post('admin', '/api/v1/subscriptions', {
      channel: 'ntfy',
      target: 'http://192.168.1.10/topic',
      events: ['*'],
    });
    expect(ntfy.statusCode).toBe(400);
    const mail = await post('admin', '/api/v1/subscriptions', {
      channel: 'email',
      target: 'not-an-address',
      events: ['*'],
    });
    expect(mail.statusCode).toBe(400);
  });

  it('lets only an admin add notifications', async () => {
    const res = await post('manager', '/api/v1/webhooks', {
      url: 'https://hooks.example.com/x',
      events: ['*'],
    });
    expect(res.statusCode).toBe(403);
  });
});
