import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Incoming, planRefresh, type StoredBooking } from './match.js';

const NOW = Date.UTC(2027, 0, 1);
const DAY = 86_400_000;

function incoming(i: number, over: Partial<Incoming> = {}): Incoming {
  const start = NOW + (i * 10 + 2) * DAY;
  const startDate = new Date(start).toISOString().slice(0, 10);
  const endDate = new Date(start + 3 * DAY).toISOString().slice(0, 10);
  return {
    key: `airbnb:HM${i}`,
    uid: `uid-${i}`,
    summary: 'Reserved',
    guest: null,
    phoneLast4: null,
    start: { allDay: true, date: startDate },
    end: { allDay: true, date: endDate },
    cancelled: false,
    startDate,
    endDate,
    startsAt: start,
    endsAt: start + 3 * DAY,
    name: `Guest ${i}`,
    ...over,
  };
}

const storedOf = (b: Incoming, over: Partial<StoredBooking> = {}): StoredBooking => ({
  key: b.key,
  uid: b.uid,
  summary: b.summary,
  name: b.name,
  startDate: b.startDate,
  endDate: b.endDate,
  startsAt: b.startsAt,
  endsAt: b.endsAt,
  credentialId: `cred_${b.key}`,
  status: 'active',
  misses: 0,
  ...over,
});

const opts = { now: NOW, missesBeforeCancel: 2 };
const types = (a: ReturnType<typeof planRefresh>) => a.map((x) => x.type);

describe('matching a fetch against the bookings seen before', () => {
  it('adds a booking it has never seen', () => {
    expect(types(planRefresh([], [incoming(1)], opts))).toEqual(['add']);
  });

  it('knows a booking again by its reservation code when the platform gave it a new UID', () => {
    const b = incoming(1);
    expect(types(planRefresh([storedOf(b)], [{ ...b, uid: 'fresh' }], opts))).toEqual(['keep']);
  });

  it('knows a booking again by its UID when its key changed (a code appeared in the description)', () => {
    const b = incoming(1, { key: 'uid:uid-1' });
    expect(types(planRefresh([storedOf(b)], [{ ...b, key: 'airbnb:HMNEW' }], opts))).toEqual(['keep']);
  });

  it('knows a booking again by its days and title when both key and UID changed', () => {
    const b = incoming(1, { key: 'uid:uid-1' });
    expect(types(planRefresh([storedOf(b)], [{ ...b, key: 'uid:other', uid: 'other' }], opts))).toEqual([
      'keep',
    ]);
  });

  it('moves the same booking when its dates change, keeping its credential', () => {
    const b = incoming(1);
    const moved = { ...b, endsAt: b.endsAt + DAY, endDate: 'later' };
    const [a] = planRefresh([storedOf(b)], [moved], opts);
    expect(a).toMatchObject({ type: 'change', stored: { credentialId: 'cred_airbnb:HM1' } });
  });

  it('cancels a booking the feed marks cancelled, and ignores a cancelled one it never had', () => {
    const b = incoming(1);
    expect(planRefresh([storedOf(b)], [{ ...b, cancelled: true }], opts)[0]).toMatchObject({
      type: 'cancel',
      why: 'cancelled',
    });
    expect(planRefresh([], [{ ...b, cancelled: true }], opts)).toEqual([]);
  });

  it('tolerates a missing booking N-1 times, cancels it the Nth, and lets a finished stay end quietly', () => {
    const b = incoming(1);
    expect(planRefresh([storedOf(b)], [], opts)[0]).toMatchObject({ type: 'miss', misses: 1 });
    expect(planRefresh([storedOf(b, { misses: 1 })], [], opts)[0]).toMatchObject({
      type: 'cancel',
      why: 'missing',
    });
    expect(planRefresh([storedOf(b)], [], { ...opts, now: b.endsAt })[0]).toMatchObject({ type: 'end' });
  });

  it('does not confuse weekly stays of the same guest with the same title', () => {
    const a = incoming(1, { key: 'uid:a', uid: 'a', summary: 'Smith' });
    const b = incoming(2, { key: 'uid:b', uid: 'b', summary: 'Smith' });
    const plan = planRefresh([storedOf(a)], [{ ...b, key: 'uid:c', uid: 'c' }, a], opts);
    expect(types(plan).sort()).toEqual(['add', 'keep']);
  });

  it('tries again a booking whose code could not be made, and adds again one that was cancelled and came back', () => {
    const b = incoming(1);
    expect(planRefresh([storedOf(b, { status: 'failed' })], [b], opts)[0]).toMatchObject({ type: 'add' });
    expect(planRefresh([storedOf(b, { status: 'cancelled' })], [b], opts)[0]).toMatchObject({ type: 'add' });
  });

  const feed = fc
    .uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 25 })
    .map((ids) => ids.map((i) => incoming(i)));

  it('property: a fetch identical to what was stored changes nothing, whatever UIDs the platform issues', () => {
    fc.assert(
      fc.property(feed, fc.array(fc.string(), { minLength: 25, maxLength: 25 }), (bs, uids) => {
        const stored = bs.map((b) => storedOf(b));
        const refetched = bs.map((b, i) => ({ ...b, uid: `new-${uids[i]}-${i}` }));
        expect(types(planRefresh(stored, refetched, opts)).every((t) => t === 'keep')).toBe(true);
      }),
    );
  });

  it('property: every stored booking gets at most one action, and no active one is ever added twice', () => {
    fc.assert(
      fc.property(feed, feed, fc.integer({ min: 1, max: 4 }), (before, after, n) => {
        const stored = before.map((b) => storedOf(b));
        const plan = planRefresh(stored, after, { now: NOW, missesBeforeCancel: n });
        const touched = plan.flatMap((a) =>
          'stored' in a ? [a.stored.key] : a.replaces ? [a.replaces.key] : [],
        );
        expect(new Set(touched).size).toBe(touched.length);
        const activeKeys = new Set(stored.map((s) => s.key));
        for (const a of plan) if (a.type === 'add') expect(activeKeys.has(a.booking.key)).toBe(false);
        // Every stored booking is accounted for: seen again, or counted missing.
        expect(touched.length).toBe(stored.length);
      }),
    );
  });
});
