import { afterAll, describe, expect, it } from 'vitest';
import { startCalendarScheduler } from '../src/calendar/scheduler.js';
import { addCalendar, getCalendar } from '../src/store/calendars.js';
import { DIALECTS, Harness } from './store/dialects.js';
import { airbnb, FeedServer } from './support/calendar-feeds.js';

/**
 * Calendars are fetched on their schedule, and with several instances on one database each
 * calendar by one instance at a time.
 */

const feeds = await new FeedServer().start();
const harness = new Harness();
afterAll(async () => {
  await harness.cleanup();
  await feeds.close();
});

describe.each(DIALECTS)('the calendar schedule (%s)', (dialect) => {
  it('fetches each due calendar once however many instances tick together, then not again until its interval passes', async () => {
    const db = await harness.database(dialect);
    let clock = Date.now();
    const now = () => clock;
    const a = await harness.open(db.url, { now });
    // Several instances share a database on PostgreSQL; on SQLite one process runs (a second
    // would wait on the file's lock), so there the second "instance" is the same store.
    const b = dialect === 'postgres' ? await harness.open(db.url, { now }) : a;
    const site = await a.addSite({ name: 'Cabins', timeZone: 'Europe/London' });
    const lock = await a.addLock({ siteId: site.id, name: 'Cabin 1', model: '914' });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const path = `/${dialect}-sched-${i}.ics`;
      feeds.feeds.set(path, {
        body: airbnb([
          { uid: `s${i}`, start: '2027-04-01', end: '2027-04-03', code: `HMSCHED${i}`, phone: `${1200 + i}` },
        ]),
      });
      ids.push(
        (await addCalendar(a.ctx, { name: `Cabin ${i}`, url: `${feeds.url}${path}`, lockIds: [lock.id] })).id,
      );
    }
    const errors: unknown[] = [];
    const rt = { allowPrivateUrls: true, everyMs: 3_600_000, onError: (e: unknown) => errors.push(e) };
    const one = startCalendarScheduler(a, { ...rt, holder: 'instance-a' });
    const two = startCalendarScheduler(b, { ...rt, holder: 'instance-b' });
    const countHits = () => feeds.hits.filter((h) => h.path.startsWith(`/${dialect}-sched-`)).length;
    try {
      await Promise.all([one.tick(), two.tick(), one.tick()]);
      expect(errors).toEqual([]);
      expect(countHits()).toBe(4);
      for (const id of ids) {
        const cal = await getCalendar(a.ctx, id);
        expect(cal.bookings).toHaveLength(1);
        expect(cal.lastFetchAt).toBe(clock);
        expect(cal.nextFetchAt).toBe(clock + 10 * 60_000);
      }
      clock += 5 * 60_000;
      await Promise.all([one.tick(), two.tick()]);
      expect(countHits()).toBe(4);
      clock += 6 * 60_000;
      await Promise.all([one.tick(), two.tick()]);
      expect(countHits()).toBe(8);
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
