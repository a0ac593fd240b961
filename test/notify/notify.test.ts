import { afterEach, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/notify/signature.js';
import { Notifier } from '../../src/notify/worker.js';
import { recordActivity } from '../../src/store/activity.js';
import type { Store } from '../../src/store/index.js';
import { claimDue, enqueueTest, listDeliveries } from '../../src/store/outbox.js';
import { addSubscription, getSubscription } from '../../src/store/subscriptions.js';
import { DIALECTS, Harness, RUN_POSTGRES } from '../store/dialects.js';
import { httpReceiver, smtpReceiver } from './receivers.js';

const T0 = Date.UTC(2026, 5, 1, 14, 4);

async function register(store: Store) {
  const site = await store.addSite({ name: 'Cabins' });
  const lock = await store.addLock({ siteId: site.id, name: 'Front door', model: '264' });
  const guest = await store.addCredential({
    name: 'Smith family',
    code: '482913',
    kind: 'guest',
    lockIds: [lock.id],
    startsAt: T0 - 3_600_000,
    endsAt: T0 + 86_400_000,
  });
  return { lock, guest };
}

const use = (lockId: string, credentialId: string, at = T0) => ({
  at,
  type: 'code.used',
  lockId,
  credentialId,
  personId: null,
  slot: 1,
  detail: {},
});

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each(DIALECTS)('notifications on %s', (dialect) => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  it('signs each webhook as Standard Webhooks says and carries the event as /events shows it, never the digits', async () => {
    let clock = T0;
    const store = await h.fresh(dialect, { now: () => clock });
    const { lock, guest } = await register(store);
    const secret = newWebhookSecret();
    const rx = await httpReceiver({ secret: () => secret });
    cleanups.push(rx.close);
    const sub = await addSubscription(store.ctx, {
      name: 'hook',
      channel: 'webhook',
      target: `${rx.url}/hook`,
      events: ['code.used', 'guest.arrived'],
      secret,
    });
    await recordActivity(store.ctx, [use(lock.id, guest.id)]);
    const n = new Notifier({
      store,
      baseUrl: 'https://keyward.example',
      allowPrivate: true,
      now: () => clock,
    });
    expect(await n.runOnce()).toBe(2);
    expect(rx.received).toHaveLength(2);
    for (const r of rx.received) {
      expect(r.signed).toBe(true);
      expect(r.headers['webhook-id']).toMatch(/^dlv_/);
      expect(Number(r.headers['webhook-timestamp'])).toBe(Math.floor(T0 / 1000));
      expect(r.body).not.toContain('482913');
    }
    const bodies = rx.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.type).sort()).toEqual(['code.used', 'guest.arrived']);
    expect(bodies[0].data).toMatchObject({
      lockId: lock.id,
      credentialId: guest.id,
      personName: 'Smith family',
      slot: 1,
    });
    expect(bodies[0].timestamp).toBe(new Date(T0).toISOString());
    const ds = await listDeliveries(store.ctx, sub.id);
    expect(ds.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatusCode === 204)).toBe(
      true,
    );
    clock += 1000;
    expect(await n.runOnce()).toBe(0);
  });

  it('retries with back-off, respects Retry-After, and a 410 turns the subscription off', async () => {
    let clock = T0;
    const store = await h.fresh(dialect, { now: () => clock });
    const { lock, guest } = await register(store);
    let status = 503;
    const rx = await httpReceiver({
      answer: () => ({
        status,
        headers: status === 503 ? { 'retry-after': '120' } : ({} as Record<string, string>),
      }),
    });
    cleanups.push(rx.close);
    const sub = await addSubscription(store.ctx, {
      name: 'hook',
      channel: 'webhook',
      target: rx.url,
      events: ['code.used'],
      secret: newWebhookSecret(),
    });
    await recordActivity(store.ctx, [use(lock.id, guest.id)]);
    const n = new Notifier({ store, baseUrl: 'http://k', allowPrivate: true, now: () => clock });
    await n.runOnce();
    let [d] = await listDeliveries(store.ctx, sub.id);
    // The first retry is due after 5 s, but the receiver asked for 120 s.
    expect(d).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 503,
      nextAttemptAt: T0 + 120_000,
    });
    clock += 60_000;
    expect(await n.runOnce()).toBe(0);
    clock += 60_000;
    status = 410;
    expect(await n.runOnce()).toBe(1);
    [d] = await listDeliveries(store.ctx, sub.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: 410 });
    expect(await getSubscription(store.ctx, sub.id)).toMatchObject({ enabled: false });
    await recordActivity(store.ctx, [use(lock.id, guest.id, T0 + 1)]);
    expect((await listDeliveries(store.ctx, sub.id)).length).toBe(1);
  });

  it('gives up after about three days of retries', async () => {
    let clock = T0;
    const store = await h.fresh(dialect, { now: () => clock });
    const { lock, guest } = await register(store);
    const rx = await httpReceiver({ answer: () => ({ status: 500 }) });
    cleanups.push(rx.close);
    const sub = await addSubscription(store.ctx, {
      name: 'h',
      channel: 'webhook',
      target: rx.url,
      events: ['*'],
      secret: newWebhookSecret(),
    });
    await recordActivity(store.ctx, [use(lock.id, guest.id)]);
    const n = new Notifier({ store, baseUrl: 'http://k', allowPrivate: true, now: () => clock });
    for (let i = 0; i < 30; i++) {
      await n.runOnce();
      const [d] = await listDeliveries(store.ctx, sub.id, 1);
      if (d!.status !== 'pending') break;
      clock = d!.nextAttemptAt!;
    }
    const ds = await listDeliveries(store.ctx, sub.id);
    expect(ds.every((d) => d.status === 'failed' && d.attempts === 10)).toBe(true);
    const hours = (clock - T0) / 3_600_000;
    expect(hours).toBeGreaterThan(70);
    expect(hours).toBeLessThan(80);
  });

  it('sends ntfy messages and e-mails in a host’s words with a link to the page', async () => {
    const clock = T0;
    const store = await h.fresh(dialect, { now: () => clock });
    const { lock, guest } = await register(store);
    const ntfy = await httpReceiver();
    const smtp = await smtpReceiver();
    cleanups.push(ntfy.close, smtp.close);
    await addSubscription(store.ctx, {
      name: 'phone',
      channel: 'ntfy',
      target: `${ntfy.url}/cabins-x1`,
      events: ['code.used'],
    });
    const mail = await addSubscription(store.ctx, {
      name: 'mail',
      channel: 'email',
      target: 'host@example.com',
      events: ['code.used'],
    });
    await recordActivity(store.ctx, [use(lock.id, guest.id)]);
    const n = new Notifier({
      store,
      baseUrl: 'https://k.example',
      allowPrivate: true,
      smtpUrl: smtp.url,
      smtpFrom: 'keyward@example.com',
      now: () => clock,
    });
    await n.runOnce();
    expect(ntfy.received).toHaveLength(1);
    expect(ntfy.received[0]!.path).toBe('/cabins-x1');
    expect(ntfy.received[0]!.body).toBe('Smith family used their code at Front door, 14:04');
    expect(ntfy.received[0]!.headers.click).toBe(`https://k.example/#/locks/${lock.id}`);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['host@example.com']);
    expect(smtp.mails[0]!.raw).toContain('Smith family used their code at Front door, 14:04');
    expect(smtp.mails[0]!.raw).not.toContain('482913');
    const [d] = await listDeliveries(store.ctx, mail.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('sends a test to one subscription at once, once', async () => {
    const store = await h.fresh(dialect, { now: () => T0 });
    const rx = await httpReceiver({ answer: () => ({ status: 500 }) });
    cleanups.push(rx.close);
    const sub = await addSubscription(store.ctx, {
      name: 'phone',
      channel: 'ntfy',
      target: rx.url,
      events: ['*'],
    });
    await enqueueTest(store.ctx, sub.id);
    const n = new Notifier({ store, baseUrl: 'http://k', allowPrivate: true, now: () => T0 });
    await n.runOnce();
    expect(rx.received[0]!.body).toContain('This is a test from Keyward');
    const [d] = await listDeliveries(store.ctx, sub.id);
    expect(d).toMatchObject({ kind: 'test', status: 'failed', lastStatusCode: 500 });
  });

  it('refuses to call a private address unless allowed', async () => {
    const store = await h.fresh(dialect, { now: () => T0 });
    const { lock, guest } = await register(store);
    const rx = await httpReceiver();
    cleanups.push(rx.close);
    const sub = await addSubscription(store.ctx, {
      name: 'h',
      channel: 'webhook',
      target: rx.url,
      events: ['*'],
      secret: newWebhookSecret(),
    });
    await recordActivity(store.ctx, [use(lock.id, guest.id)]);
    await new Notifier({ store, baseUrl: 'http://k', allowPrivate: false, now: () => T0 }).runOnce();
    expect(rx.received).toHaveLength(0);
    const [d] = await listDeliveries(store.ctx, sub.id, 1);
    expect(d!.lastError).toMatch(/allow-private-urls/);
  });
});

describe.runIf(RUN_POSTGRES)('two notifiers on one PostgreSQL database', () => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  it('deliver every event exactly once between them, and a crashed worker’s claims are delivered after its lease', async () => {
    const db = await h.database('postgres');
    const a = await h.open(db.url, { now: () => T0 });
    const b = await h.open(db.url, { now: () => T0 });
    const { lock, guest } = await register(a);
    const rx = await httpReceiver();
    cleanups.push(rx.close);
    await addSubscription(a.ctx, {
      name: 'h',
      channel: 'webhook',
      target: rx.url,
      events: ['code.used'],
      secret: newWebhookSecret(),
    });
    const now = Date.now();
    await recordActivity(
      a.ctx,
      Array.from({ length: 300 }, (_, i) => use(lock.id, guest.id, now + i)),
    );
    // A worker claims 50 rows and dies before sending any of them.
    const lost = await claimDue(a.ctx, 'crashed', Date.now(), 1_500, 50);
    expect(lost).toHaveLength(50);
    const w1 = new Notifier({
      store: a,
      baseUrl: 'http://k',
      allowPrivate: true,
      batch: 40,
      idleMs: 200,
      leaseMs: 10_000,
    });
    const w2 = new Notifier({
      store: b,
      baseUrl: 'http://k',
      allowPrivate: true,
      batch: 40,
      idleMs: 200,
      leaseMs: 10_000,
    });
    w1.start();
    w2.start();
    cleanups.push(
      () => w1.stop(),
      () => w2.stop(),
    );
    const deadline = Date.now() + 20_000;
    while (rx.received.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    const ids = rx.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    const lostIds = new Set(lost.map((l) => l.id));
    expect(ids.filter((id) => lostIds.has(String(id)))).toHaveLength(50);
  });
});
