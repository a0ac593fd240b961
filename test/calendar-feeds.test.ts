import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CalendarEvent, refreshCalendar } from '../src/calendar/refresh.js';
import { addCalendar } from '../src/store/calendars.js';
import { takeCalendarLease } from '../src/store/calendars-leases.js';
import { setSiteCheckTimes } from '../src/store/site-settings.js';
import { DIALECTS, type DialectName } from './store/dialects.js';
import { airbnb, bookingCom, FeedServer, pms, recurring, vrbo } from './support/calendar-feeds.js';
import { bearer, type TestServer, testServer } from './support/server-app.js';

/**
 * Booking calendars end to end: a local server plays each platform's feed, the API follows it,
 * and each edge case of issue 16 §2 is one test (UID change, date change, cancellation, missing
 * twice, blocks, recurring events, TZID without VTIMEZONE, the DST week, 304, timeout, oversize,
 * a 500 that keeps the last good data).
 */

const feeds = await new FeedServer().start();
afterAll(() => feeds.close());

interface BookingRow {
  key: string;
  name: string;
  status: string;
  credentialId: string;
  startsAt: number;
  endsAt: number;
}
interface LockRow {
  lockId: string;
  slot: number;
}
/** Answers as the tests read them (JSON; the shapes are checked by the routes' schemas). */
// biome-ignore lint/suspicious/noExplicitAny: JSON answers
type Answer = { status: number; body: any };

interface World {
  s: TestServer;
  lockIds: string[];
  events: CalendarEvent[];
  call: (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => Promise<Answer>;
}

async function world(dialect: DialectName, models = ['914', '910']): Promise<World> {
  const events: CalendarEvent[] = [];
  const s = await testServer(dialect, {
    calendars: {
      allowPrivateUrls: true,
      holder: 'test-instance',
      fetchTimeoutMs: 400,
      maxBytes: 64 * 1024,
      onEvent: (e) => events.push(e),
    },
  });
  const site = await s.store.addSite({ name: 'Beach house', timeZone: 'America/New_York' });
  const lockIds: string[] = [];
  for (const [i, model] of models.entries())
    lockIds.push((await s.store.addLock({ siteId: site.id, name: `Door ${i + 1}`, model })).id);
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const r = await s.app.inject({
      method,
      url,
      headers: bearer(s.tokens.manager),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, body: r.body ? r.json() : null };
  };
  return { s, lockIds, events, call };
}

let path = 0;
/** A fresh feed path per test, so tests never share a calendar. */
function serve(body: string, extra: Partial<Parameters<typeof feeds.feeds.set>[1]> = {}) {
  const p = `/feed-${++path}.ics`;
  feeds.feeds.set(p, { body, ...extra });
  return {
    path: p,
    url: `${feeds.url}${p}`,
    set: (b: string, e = extra) => feeds.feeds.set(p, { body: b, ...e }),
  };
}

async function follow(w: World, url: string, more: Record<string, unknown> = {}) {
  const r = await w.call('POST', '/api/v1/calendars', {
    name: 'Beach house',
    url,
    lockIds: w.lockIds,
    ...more,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

const refresh = async (w: World, id: string) => {
  const r = await w.call('POST', `/api/v1/calendars/${id}/refresh`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const reveal = async (w: World, credentialId: string) =>
  (await w.call('GET', `/api/v1/credentials/${credentialId}?reveal=true`)).body;

const NY = (y: number, mo: number, d: number, h: number, offset: number) =>
  Date.UTC(y, mo - 1, d, h - offset);

describe.each(DIALECTS)('an Airbnb calendar (%s)', (dialect) => {
  let w: World;
  beforeAll(async () => {
    w = await world(dialect);
  });
  afterAll(() => w.s.close());

  it('turns each reservation into one guest code from the phone digits, at check-in and check-out on the site clock, and skips blocks', async () => {
    const feed = serve(
      airbnb(
        [
          { uid: 'a-1', start: '2027-05-03', end: '2027-05-07', code: 'HMAAAA1111', phone: '4821' },
          { uid: 'a-2', start: '2027-05-10', end: '2027-05-12', code: 'HMBBBB2222', phone: '7390' },
        ],
        [{ uid: 'blk-1', start: '2027-05-20', end: '2027-05-25' }],
      ),
    );
    const id = await follow(w, feed.url);
    expect(await refresh(w, id)).toEqual({ added: 2, changed: 0, cancelled: 0, unchanged: 0, error: null });
    const cal = (await w.call('GET', `/api/v1/calendars/${id}`)).body;
    expect(cal.lastError).toBeNull();
    expect(cal.bookings.map((b: BookingRow) => [b.key, b.status])).toEqual([
      ['airbnb:HMAAAA1111', 'active'],
      ['airbnb:HMBBBB2222', 'active'],
    ]);
    const first = cal.bookings[0];
    // 16:00 and 11:00 in New York (EDT, UTC-4) on the first and last days.
    expect(first.startsAt).toBe(NY(2027, 5, 3, 16, -4));
    expect(first.endsAt).toBe(NY(2027, 5, 7, 11, -4));
    const c = await reveal(w, first.credentialId);
    expect(c.code).toBe('4821');
    expect(c.kind).toBe('guest');
    expect(c.locks).toHaveLength(2);
    expect(c.source).toEqual({ calendarId: id, bookingKey: 'airbnb:HMAAAA1111' });
    // A code made by hand has no source.
    const own = await w.s.store.addCredential({ name: 'Cleaner', code: '951357', lockIds: w.lockIds });
    expect((await w.call('GET', `/api/v1/credentials/${own.id}`)).body.source).toBeNull();

    // Airbnb issues new UIDs for the same reservations: nothing changes.
    feed.set(
      airbnb([
        { uid: 'new-1', start: '2027-05-03', end: '2027-05-07', code: 'HMAAAA1111', phone: '4821' },
        { uid: 'new-2', start: '2027-05-10', end: '2027-05-12', code: 'HMBBBB2222', phone: '7390' },
      ]),
    );
    expect(await refresh(w, id)).toEqual({ added: 0, changed: 0, cancelled: 0, unchanged: 2, error: null });

    // The guest stays two days longer: the same code, the same slots, the new departure.
    const before = await reveal(w, first.credentialId);
    feed.set(
      airbnb([
        { uid: 'new-1', start: '2027-05-03', end: '2027-05-09', code: 'HMAAAA1111', phone: '4821' },
        { uid: 'new-2', start: '2027-05-10', end: '2027-05-12', code: 'HMBBBB2222', phone: '7390' },
      ]),
    );
    expect(await refresh(w, id)).toMatchObject({ added: 0, changed: 1, cancelled: 0, unchanged: 1 });
    const after = await reveal(w, first.credentialId);
    expect(after.code).toBe(before.code);
    expect(after.locks.map((l: LockRow) => [l.lockId, l.slot])).toEqual(
      before.locks.map((l: LockRow) => [l.lockId, l.slot]),
    );
    expect(after.endsAt).toBe(NY(2027, 5, 9, 11, -4));
    expect(after.revokedAt).toBeNull();

    // Cancelled on the platform: the code is revoked at once.
    feed.set(
      airbnb([
        { uid: 'new-1', start: '2027-05-03', end: '2027-05-09', code: 'HMAAAA1111', phone: '4821' },
        {
          uid: 'new-2',
          start: '2027-05-10',
          end: '2027-05-12',
          code: 'HMBBBB2222',
          phone: '7390',
          status: 'CANCELLED',
        },
      ]),
    );
    expect(await refresh(w, id)).toMatchObject({ cancelled: 1, unchanged: 1 });
    const second = cal.bookings[1];
    expect((await w.call('GET', `/api/v1/credentials/${second.credentialId}`)).body.revokedAt).not.toBeNull();

    // Gone from the feed: tolerated once, revoked at the second fetch in a row.
    feed.set(airbnb([]));
    expect(await refresh(w, id)).toMatchObject({ cancelled: 0, unchanged: 1 });
    expect((await w.call('GET', `/api/v1/credentials/${first.credentialId}`)).body.revokedAt).toBeNull();
    expect(await refresh(w, id)).toMatchObject({ cancelled: 1 });
    expect((await w.call('GET', `/api/v1/credentials/${first.credentialId}`)).body.revokedAt).not.toBeNull();
    const end = (await w.call('GET', `/api/v1/calendars/${id}`)).body;
    expect(end.bookings.map((b: BookingRow) => b.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('gives a booking a random code when its phone digits clash on a lock, and never one from its dates', async () => {
    const feed = serve(
      airbnb([
        { uid: 'p-1', start: '2027-06-01', end: '2027-06-04', code: 'HMPPPP0001', phone: '5555' },
        { uid: 'p-2', start: '2027-06-10', end: '2027-06-14', code: 'HMPPPP0002', phone: '5555' },
      ]),
    );
    const id = await follow(w, feed.url);
    expect(await refresh(w, id)).toMatchObject({ added: 2 });
    const cal = (await w.call('GET', `/api/v1/calendars/${id}`)).body;
    const codes = await Promise.all(
      cal.bookings.map(async (b: BookingRow) => (await reveal(w, b.credentialId)).code),
    );
    expect(codes[0]).toBe('5555');
    expect(codes[1]).not.toBe('5555');
    expect(codes[1]).toMatch(/^\d{4,}$/);
    for (const c of codes) expect(['0601', '0610', '0604', '0614', '2027']).not.toContain(c.slice(0, 4));
  });
});

describe('other platforms and the feed edge cases (sqlite)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world('sqlite');
  });
  afterAll(() => w.s.close());
  afterEach(() => {
    w.events.length = 0;
  });

  it('reads Vrbo names, skips its blocks, and follows a UID change by the stay itself', async () => {
    const feed = serve(vrbo([{ uid: 'v-1', start: '2027-07-01', end: '2027-07-05', name: 'Jane Doe' }]));
    const id = await follow(w, feed.url, { codeFrom: 'generate' });
    expect(await refresh(w, id)).toMatchObject({ added: 1 });
    const [b] = (await w.call('GET', `/api/v1/calendars/${id}`)).body.bookings;
    expect(b.name).toBe('Jane Doe');
    feed.set(vrbo([{ uid: 'v-1-reissued', start: '2027-07-01', end: '2027-07-05', name: 'Jane Doe' }]));
    expect(await refresh(w, id)).toMatchObject({ added: 0, unchanged: 1, cancelled: 0 });
    expect((await w.call('GET', `/api/v1/calendars/${id}`)).body.bookings[0].credentialId).toBe(
      b.credentialId,
    );
  });

  it("keys Booking.com stays by their booking number and skips 'CLOSED - Not available'", async () => {
    const feed = serve(
      bookingCom([
        { uid: 'bc1', start: '2027-08-10', end: '2027-08-12', name: 'Li Wei', code: '4455667788' },
      ]),
    );
    const id = await follow(w, feed.url);
    expect(await refresh(w, id)).toMatchObject({ added: 1 });
    const [b] = (await w.call('GET', `/api/v1/calendars/${id}`)).body.bookings;
    expect(b.key).toBe('ref:4455667788');
    expect(b.name).toBe('Li Wei');
  });

  it('reads a PMS feed whose TZID has no VTIMEZONE, keeps its times, takes the full phone number, and skips recurring events', async () => {
    const feed = serve(
      pms(
        [
          {
            uid: 'hx-1',
            start: '20270702T150000',
            end: '20270706T100000',
            tzid: 'Europe/Lisbon',
            name: 'Ana Silva',
            id: '998877',
            phone: '+351 912 345 678',
          },
        ],
        [recurring('clean-1')],
      ),
    );
    const id = await follow(w, feed.url);
    expect(await refresh(w, id)).toMatchObject({ added: 1 });
    const [b] = (await w.call('GET', `/api/v1/calendars/${id}`)).body.bookings;
    expect(b.key).toBe('ref:998877');
    // Lisbon in July is UTC+1: 15:00 and 10:00 there.
    expect(b.startsAt).toBe(Date.UTC(2027, 6, 2, 14));
    expect(b.endsAt).toBe(Date.UTC(2027, 6, 6, 9));
    expect((await reveal(w, b.credentialId)).code).toBe('5678');
  });

  it('places an all-day stay over the spring clock change at 16:00 EST and 11:00 EDT', async () => {
    const feed = serve(
      airbnb([{ uid: 'dst', start: '2027-03-12', end: '2027-03-16', code: 'HMDST00001', phone: '2468' }]),
    );
    const id = await follow(w, feed.url, { bufferBeforeMinutes: 30, bufferAfterMinutes: 60 });
    await refresh(w, id);
    const [b] = (await w.call('GET', `/api/v1/calendars/${id}`)).body.bookings;
    expect(b.startsAt).toBe(NY(2027, 3, 12, 16, -5) - 30 * 60_000);
    expect(b.endsAt).toBe(NY(2027, 3, 16, 11, -4) + 60 * 60_000);
  });

  it("arrives and leaves at the site's check-in and check-out times unless the calendar sets its own", async () => {
    const site = (await w.s.store.getLock(w.lockIds[0]!)).siteId;
    await setSiteCheckTimes(w.s.store.ctx, site, { checkInTime: '15:00', checkOutTime: '10:30' });
    const feed = serve(
      airbnb([{ uid: 'st', start: '2027-06-20', end: '2027-06-22', code: 'HMSITE0001', phone: '1122' }]),
    );
    const id = await follow(w, feed.url);
    expect((await w.call('GET', `/api/v1/calendars/${id}`)).body).toMatchObject({
      checkInTime: null,
      checkOutTime: null,
    });
    await refresh(w, id);
    const [b] = (await w.call('GET', `/api/v1/calendars/${id}`)).body.bookings;
    expect([b.startsAt, b.endsAt]).toEqual([NY(2027, 6, 20, 15, -4), Date.UTC(2027, 5, 22, 14, 30)]);
    // Its own check-in time wins; the change reaches the booking's code at the next fetch.
    await w.call('PATCH', `/api/v1/calendars/${id}`, { checkInTime: '17:00' });
    expect(await refresh(w, id)).toMatchObject({ changed: 1 });
    const [moved] = (await w.call('GET', `/api/v1/calendars/${id}`)).body.bookings;
    expect(moved.startsAt).toBe(NY(2027, 6, 20, 17, -4));
    expect((await w.call('GET', `/api/v1/credentials/${moved.credentialId}`)).body.startsAt).toBe(
      moved.startsAt,
    );
  });

  it("gives up the phone digits that a 5-button keypad reads as another guest's, or that are a lock's programming code", async () => {
    const fold = await world('sqlite', ['910']);
    try {
      const site = (await fold.s.store.getLock(fold.lockIds[0]!)).siteId;
      const guarded = await fold.s.store.addLock({
        siteId: site,
        name: 'Shed',
        model: '914',
        programmingCode: '8642',
      });
      fold.lockIds.push(guarded.id);
      const feed = serve(
        airbnb([
          { uid: 'f1', start: '2027-06-01', end: '2027-06-03', code: 'HMFOLD0001', phone: '1357' },
          // 2468 is pressed on the same buttons as 1357 on a 5-button keypad (1|2, 3|4, 5|6, 7|8).
          { uid: 'f2', start: '2027-06-05', end: '2027-06-07', code: 'HMFOLD0002', phone: '2468' },
          { uid: 'f3', start: '2027-06-09', end: '2027-06-11', code: 'HMFOLD0003', phone: '8642' },
        ]),
      );
      const id = await follow(fold, feed.url);
      expect(await refresh(fold, id)).toMatchObject({ added: 3 });
      const bookings = (await fold.call('GET', `/api/v1/calendars/${id}`)).body.bookings as BookingRow[];
      const codes = await Promise.all(bookings.map(async (b) => (await reveal(fold, b.credentialId)).code));
      expect(codes[0]).toBe('1357');
      expect(codes[1]).not.toBe('2468');
      expect(codes[2]).not.toBe('8642');
    } finally {
      await fold.s.close();
    }
  });

  it('sends the ETag back and takes 304 as nothing changed', async () => {
    const feed = serve(
      airbnb([{ uid: 'e-1', start: '2027-09-01', end: '2027-09-03', code: 'HMETAG0001', phone: '1357' }]),
      {
        etag: '"v1"',
      },
    );
    const id = await follow(w, feed.url);
    expect(await refresh(w, id)).toMatchObject({ added: 1 });
    expect(await refresh(w, id)).toEqual({ added: 0, changed: 0, cancelled: 0, unchanged: 1, error: null });
    expect(feeds.hits.filter((h) => h.path === feed.path).map((h) => h.ifNoneMatch)).toEqual([null, '"v1"']);
  });

  it('keeps the last good bookings when the address fails, shows why, and tells the host at the third failure in a row', async () => {
    const good = airbnb([
      { uid: 'f-1', start: '2027-10-01', end: '2027-10-04', code: 'HMFAIL0001', phone: '8642' },
    ]);
    const feed = serve(good);
    const id = await follow(w, feed.url);
    await refresh(w, id);
    const kept = (await w.call('GET', `/api/v1/calendars/${id}`)).body.bookings;

    feed.set(good, { status: 500 });
    expect((await refresh(w, id)).error).toMatch(/answered 500/);
    feed.set(good, { delayMs: 1500 });
    expect((await refresh(w, id)).error).toMatch(/did not answer within/);
    feed.set('BEGIN:VCALENDAR\r\n' + 'X'.repeat(70 * 1024));
    const third = await refresh(w, id);
    expect(third.error).toMatch(/larger than/);
    expect(w.events.filter((e) => e.type === 'calendar.failed')).toEqual([
      expect.objectContaining({ calendarId: id, failures: 3, message: third.error }),
    ]);
    const cal = (await w.call('GET', `/api/v1/calendars/${id}`)).body;
    expect(cal.lastError).toBe(third.error);
    expect(cal.failures).toBe(3);
    expect(cal.bookings).toEqual(kept);
    const c = (await w.call('GET', `/api/v1/credentials/${kept[0].credentialId}`)).body;
    expect(c.revokedAt).toBeNull();

    // A page that is not a calendar is a failure too, and the next good fetch clears it.
    feed.set('<html>sign in</html>');
    expect((await refresh(w, id)).error).toMatch(/did not answer with a calendar/);
    feed.set(good);
    expect(await refresh(w, id)).toMatchObject({ unchanged: 1, error: null });
    expect((await w.call('GET', `/api/v1/calendars/${id}`)).body).toMatchObject({
      lastError: null,
      failures: 0,
    });
  });

  it('refuses loopback and private addresses unless the server allows them', async () => {
    const strict = await testServer('sqlite');
    try {
      const site = await strict.store.addSite({ name: 'S' });
      const lock = await strict.store.addLock({ siteId: site.id, name: 'Front', model: '914' });
      for (const url of [
        'http://127.0.0.1:9/x.ics',
        'http://10.1.2.3/x.ics',
        'http://localhost/x.ics',
        'ftp://example.com/x.ics',
      ]) {
        const r = await strict.app.inject({
          method: 'POST',
          url: '/api/v1/calendars',
          headers: bearer(strict.tokens.manager),
          payload: { name: 'C', url, lockIds: [lock.id] },
        });
        expect(r.statusCode, url).toBe(400);
        expect(r.json().error.code).toBe('BAD_INPUT');
      }
      // An address allowed when it was given is still refused at fetch time by a strict server.
      const feed = serve(airbnb([]));
      const cal = await addCalendar(strict.store.ctx, { name: 'C', url: feed.url, lockIds: [lock.id] });
      const r = await refreshCalendar(strict.store, cal.id, { allowPrivateUrls: false });
      expect(r.error).toMatch(/private network/);
      expect(feeds.hits.some((h) => h.path === feed.path)).toBe(false);
    } finally {
      await strict.close();
    }
  });

  it('answers 409 while another instance holds the calendar, and lists, edits and removes calendars', async () => {
    const feed = serve(
      airbnb([{ uid: 'l-1', start: '2027-11-01', end: '2027-11-03', code: 'HMLEASE001', phone: '3141' }]),
    );
    const id = await follow(w, feed.url);
    const now = Date.now();
    expect(await takeCalendarLease(w.s.store.ctx, id, 'other-instance', now, now + 60_000)).toBe(true);
    const r = await w.call('POST', `/api/v1/calendars/${id}/refresh`);
    expect(r.status).toBe(409);
    expect(await takeCalendarLease(w.s.store.ctx, id, 'test-instance', now, now + 60_000)).toBe(false);

    const list = (await w.call('GET', '/api/v1/calendars')).body.calendars;
    expect(list.map((c: { id: string }) => c.id)).toContain(id);
    const patched = await w.call('PATCH', `/api/v1/calendars/${id}`, {
      checkInTime: '15:00',
      refreshMinutes: 30,
    });
    expect(patched.body).toMatchObject({ checkInTime: '15:00', refreshMinutes: 30 });
    expect((await w.call('PATCH', `/api/v1/calendars/${id}`, { checkInTime: '25:00' })).status).toBe(400);
    const removed = await w.call('DELETE', `/api/v1/calendars/${id}`);
    expect(removed.body).toEqual({ id, removed: true, revoked: [] });
    expect((await w.call('GET', `/api/v1/calendars/${id}`)).status).toBe(404);
    expect((await w.call('POST', `/api/v1/calendars/${id}/refresh`)).status).toBe(404);
  });
});
