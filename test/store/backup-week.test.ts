import { afterEach, describe, expect, it } from 'vitest';
import { recordActivity } from '../../src/store/activity.js';
import { addCalendar, listCalendars } from '../../src/store/calendars.js';
import type { Store } from '../../src/store/index.js';
import { createSignInLink } from '../../src/store/sessions.js';
import { addSubscription, subscriptionWithSecret } from '../../src/store/subscriptions.js';
import { DIALECTS, Harness } from './dialects.js';

const T0 = Date.UTC(2026, 5, 1, 12);
const SIGNING_SECRET = 'whsec_backup-round-trip-7Q2';
const FEED = 'https://www.airbnb.example/calendar/ical/123.ics?s=feedtoken-backup-5X1';

/** A host's week beside the register: a booking calendar and what it made, a webhook with its
 * signing secret and a delivery still owed, the history of a code's use, and what belongs only
 * to the old database's processes and people (a calendar lease, a sign-in link). */
async function hostsWeek(store: Store) {
  const site = await store.addSite({ name: 'Beach house' });
  const lock = await store.addLock({ siteId: site.id, name: 'Front door', model: '264' });
  const guest = await store.addCredential({ name: 'Annabelle Lee', code: '4821', lockIds: [lock.id] });
  const cal = await addCalendar(store.ctx, { name: 'Airbnb', url: FEED, lockIds: [lock.id] });
  await store.ctx.db
    .insertInto('calendar_bookings')
    .values({
      calendar_id: cal.id,
      key: 'HMABC123',
      uid: 'uid-1@airbnb',
      summary: 'Reserved',
      name: 'Annabelle Lee',
      start_date: '2026-06-01',
      end_date: '2026-06-04',
      starts_at: T0,
      ends_at: T0 + 3 * 86_400_000,
      credential_id: guest.id,
      status: 'active',
      problem: null,
      misses: 0,
      updated_at: T0,
    })
    .execute();
  await store.ctx.db
    .insertInto('calendar_leases')
    .values({ calendar_id: cal.id, holder: 'instance-a', expires_at: T0 + 60_000 })
    .execute();
  const sub = await addSubscription(store.ctx, {
    name: 'Cleaners',
    channel: 'webhook',
    target: 'https://hooks.example/keyward',
    events: ['*'],
    secret: SIGNING_SECRET,
  });
  const recorded = await recordActivity(store.ctx, [
    {
      at: T0,
      type: 'code.used',
      lockId: lock.id,
      credentialId: guest.id,
      personId: null,
      slot: 3,
      detail: { method: 'keypad' },
    },
  ]);
  expect(recorded.deliveries).toBeGreaterThan(0);
  const delivery = await store.ctx.db.selectFrom('outbox').select('id').executeTakeFirstOrThrow();
  await store.ctx.db
    .insertInto('outbox_attempts')
    .values({ id: 'att_1', delivery_id: delivery.id, at: T0, status_code: 503, error: null, duration_ms: 40 })
    .execute();
  await createSignInLink(store.ctx, { role: 'admin' });
  return { cal, sub };
}

describe.each(DIALECTS)('a backup of the host week on %s', (dialect) => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  it('brings back calendars and their bookings, notifications with their secrets and owed deliveries, and the activity history', async () => {
    const source = await h.fresh(dialect, { now: () => T0 });
    const { cal, sub } = await hostsWeek(source);
    const text = await source.backup();
    // sealed whole: neither the feed's private address nor the signing secret is readable in it
    expect(text).not.toContain('feedtoken');
    expect(text).not.toContain(SIGNING_SECRET);

    const target = await h.fresh(dialect, { now: () => T0 });
    await target.restore(text);
    const before = await source.dump();
    const after = await target.dump();
    expect(after).toEqual(before);
    for (const t of [
      'activity',
      'subscriptions',
      'outbox',
      'outbox_attempts',
      'calendars',
      'calendar_bookings',
    ])
      expect(after[t as keyof typeof after], t).not.toHaveLength(0);
    expect((await listCalendars(target.ctx)).map((c) => [c.id, c.url])).toEqual([[cal.id, FEED]]);
    expect((await subscriptionWithSecret(target.ctx, sub.id))?.secret).toBe(SIGNING_SECRET);

    // leases and sign-in state belong to the old database's processes and people
    expect(await target.ctx.db.selectFrom('calendar_leases').selectAll().execute()).toEqual([]);
    expect(await target.ctx.db.selectFrom('sign_in_links').selectAll().execute()).toEqual([]);
    expect((await target.verifyAudit()).ok).toBe(true);
  });

  it('refuses to restore over a register that already has a calendar, and leaves it as it was', async () => {
    const source = await h.fresh(dialect, { now: () => T0 });
    await hostsWeek(source);
    const text = await source.backup();
    const target = await h.fresh(dialect, { now: () => T0 });
    await target.ctx.db
      .insertInto('activity')
      .values({
        id: 'ev_0',
        at: T0,
        type: 'lock.jammed',
        lock_id: null,
        credential_id: null,
        person_id: null,
        slot: null,
        detail: '{}',
      })
      .execute();
    const was = await target.dump();
    await expect(target.restore(text)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('table activity has rows'),
    });
    expect(await target.dump()).toEqual(was);
  });
});
