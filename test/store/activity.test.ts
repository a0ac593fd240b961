import { afterEach, describe, expect, it } from 'vitest';
import { listActivity, recordActivity } from '../../src/store/activity.js';
import type { Store } from '../../src/store/index.js';
import { claimDue, finishDeliveries, listDeliveries, retryNow } from '../../src/store/outbox.js';
import { addSubscription } from '../../src/store/subscriptions.js';
import { DIALECTS, Harness } from './dialects.js';

const T0 = Date.UTC(2026, 5, 1, 12);

async function register(store: Store) {
  const site = await store.addSite({ name: 'Cabins' });
  const front = await store.addLock({ siteId: site.id, name: 'Front door', model: '264' });
  const back = await store.addLock({ siteId: site.id, name: 'Back door', model: '264' });
  const guest = await store.addCredential({
    name: 'Smith family',
    code: '482913',
    kind: 'guest',
    lockIds: [front.id, back.id],
    startsAt: T0 - 3_600_000,
    endsAt: T0 + 86_400_000,
  });
  return { front, back, guest };
}

const used = (lockId: string, credentialId: string, at: number) => ({
  at,
  type: 'code.used',
  lockId,
  credentialId,
  personId: null,
  slot: 1,
  detail: {},
});

describe.each(DIALECTS)('activity on %s', (dialect) => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  it('pages events newest first by lock with a cursor, and names the guest by their code', async () => {
    const store = await h.fresh(dialect, { now: () => T0 });
    const { front, back, guest } = await register(store);
    const inputs = Array.from({ length: 25 }, (_, i) =>
      used(i % 2 ? front.id : back.id, guest.id, T0 + i * 1000),
    );
    await recordActivity(store.ctx, inputs);
    const seen: number[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listActivity(store.ctx, {
        lockId: front.id,
        type: 'code.used',
        limit: 5,
        ...(before ? { before } : {}),
      });
      seen.push(...page.events.map((e) => e.at));
      expect(page.events.every((e) => e.personName === 'Smith family' && e.lockId === front.id)).toBe(true);
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual(
      inputs
        .filter((_, i) => i % 2)
        .map((e) => e.at)
        .reverse(),
    );
  });

  it('adds guest.arrived on the first use of a guest code only', async () => {
    const store = await h.fresh(dialect, { now: () => T0 });
    const { front, back, guest } = await register(store);
    await recordActivity(store.ctx, [used(front.id, guest.id, T0), used(back.id, guest.id, T0 + 1)]);
    await recordActivity(store.ctx, [used(front.id, guest.id, T0 + 2)]);
    const arrived = await listActivity(store.ctx, { type: 'guest.arrived' });
    expect(arrived.events).toHaveLength(1);
    expect(arrived.events[0]).toMatchObject({ lockId: front.id, credentialId: guest.id, at: T0 });
    const all = await listActivity(store.ctx, { credentialId: guest.id });
    expect(JSON.stringify(all)).not.toContain('482913');
  });

  it('writes the outbox with the event for the subscriptions that want it, and claims each row once', async () => {
    const store = await h.fresh(dialect, { now: () => T0 });
    const { front, back, guest } = await register(store);
    const all = await addSubscription(store.ctx, {
      name: 'all',
      channel: 'webhook',
      target: 'http://x/',
      events: ['*'],
    });
    const frontOnly = await addSubscription(store.ctx, {
      name: 'front',
      channel: 'ntfy',
      target: 'http://x/t',
      events: ['guest.arrived'],
      lockIds: [front.id],
    });
    const r = await recordActivity(store.ctx, [
      used(front.id, guest.id, T0),
      used(back.id, guest.id, T0 + 1),
    ]);
    // 3 events (2 uses + the arrival) to "all", the arrival at the front door to "front".
    expect(r.deliveries).toBe(4);
    const [a, b] = await Promise.all([
      claimDue(store.ctx, 'one', T0, 60_000, 3),
      claimDue(store.ctx, 'two', T0, 60_000, 3),
    ]);
    const ids = [...a, ...b].map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(4);
    const mine = a[0]!;
    const holder = a.length ? 'one' : 'two';
    // Someone else's lease: nothing changes.
    expect(
      await finishDeliveries(store.ctx, 'three', [
        { id: mine.id, outcome: 'delivered', statusCode: 200, at: T0, durationMs: 3 },
      ]),
    ).toEqual([]);
    expect(
      await finishDeliveries(store.ctx, holder, [
        { id: mine.id, outcome: 'failed', statusCode: 500, error: 'boom', at: T0, durationMs: 3 },
      ]),
    ).toEqual([mine.id]);
    const listed = await listDeliveries(store.ctx, mine.subscription_id);
    expect(listed.find((d) => d.id === mine.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatusCode: 500,
    });
    await retryNow(store.ctx, mine.subscription_id, mine.id);
    const again = await claimDue(store.ctx, 'four', T0 + 1, 60_000, 10);
    expect(again.map((d) => d.id)).toEqual([mine.id]);
    expect([all.id, frontOnly.id]).toContain(mine.subscription_id);
  });
});
