import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Schedule, WEEK_MS } from './schedule.js';
import { type Assignment, allocateSlot, desiredSlots, intervalOf, nextChange } from './slots.js';

const T0 = Date.UTC(2026, 0, 5); // a Monday
const span = 4 * WEEK_MS;

const windowArb = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    a: fc.integer({ min: 0, max: 1439 }),
    len: fc.integer({ min: 1, max: 1440 }),
  })
  .map(({ days, a, len }) => ({ days, startMinute: a, endMinute: Math.min(1440, a + len) }));

const scheduleArb: fc.Arbitrary<Schedule> = fc
  .record({
    start: fc.option(fc.integer({ min: 0, max: span }), { nil: null }),
    length: fc.option(fc.integer({ min: 1, max: span }), { nil: null }),
    windows: fc.array(windowArb, { maxLength: 3 }),
    useLimit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    uses: fc.integer({ min: 0, max: 3 }),
    revoke: fc.option(fc.integer({ min: 0, max: span }), { nil: null }),
  })
  .map((r) => ({
    startsAt: r.start === null ? null : T0 + r.start,
    endsAt: r.length === null ? null : T0 + (r.start ?? 0) + r.length,
    windows: r.windows,
    useLimit: r.useLimit,
    uses: r.uses,
    revokedAt: r.revoke === null ? null : T0 + r.revoke,
  }));

const assignmentsArb = fc
  .array(scheduleArb, { maxLength: 8 })
  .map((schedules) =>
    schedules.map((schedule, i): Assignment => ({ credentialId: `c${i}`, slot: i + 1, schedule })),
  );

const lock = { capacity: 30, tzOffsetMinutes: 60 };

describe('desired slots over time', () => {
  it('stay the same until nextChange and differ at it', () => {
    fc.assert(
      fc.property(
        assignmentsArb,
        fc.integer({ min: -WEEK_MS, max: span }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (as, dt, frac) => {
          const t = T0 + dt;
          const now = desiredSlots(lock, as, t);
          const next = nextChange(lock, as, t);
          if (next === null) {
            // nothing changes ever again: check a few later times
            for (const later of [t + 1, t + WEEK_MS / 3, t + 3 * span])
              expect(desiredSlots(lock, as, later)).toEqual(now);
            return;
          }
          expect(next).toBeGreaterThan(t);
          const between = t + Math.floor((next - t) * frac);
          if (between < next) expect(desiredSlots(lock, as, between)).toEqual(now);
          expect(desiredSlots(lock, as, next - 1)).toEqual(now);
          expect(desiredSlots(lock, as, next)).not.toEqual(now);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never place two credentials in one slot nor beyond capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ slot: fc.integer({ min: 0, max: 5 }), schedule: scheduleArb }), {
          maxLength: 10,
        }),
        fc.integer({ min: 0, max: span }),
        (raw, dt) => {
          const as = raw.map((r, i) => ({ credentialId: `c${i}`, ...r }));
          const d = desiredSlots({ capacity: 4, tzOffsetMinutes: 0 }, as, T0 + dt);
          const slots = d.slots.map((s) => s.slot);
          expect(new Set(slots).size).toBe(slots.length);
          expect(slots.every((s) => s >= 1 && s <= 4)).toBe(true);
        },
      ),
    );
  });

  it('removes a guest at departure and puts a windowed code on only inside its hours', () => {
    const guest: Assignment = {
      credentialId: 'guest',
      slot: 3,
      schedule: {
        startsAt: T0,
        endsAt: T0 + 2 * 86_400_000,
        windows: [],
        useLimit: null,
        uses: 0,
        revokedAt: null,
      },
    };
    const cleaner: Assignment = {
      credentialId: 'cleaner',
      slot: 4,
      schedule: {
        startsAt: null,
        endsAt: null,
        windows: [{ days: [1], startMinute: 9 * 60, endMinute: 12 * 60 }],
        useLimit: null,
        uses: 0,
        revokedAt: null,
      },
    };
    const utc = { capacity: 30, tzOffsetMinutes: 0 };
    expect(desiredSlots(utc, [guest, cleaner], T0 + 10 * 3_600_000).slots).toEqual([
      { slot: 3, credentialId: 'guest' },
      { slot: 4, credentialId: 'cleaner' },
    ]);
    expect(nextChange(utc, [guest, cleaner], T0)).toBe(T0 + 9 * 3_600_000);
    expect(nextChange(utc, [guest, cleaner], T0 + 12 * 3_600_000)).toBe(T0 + 2 * 86_400_000);
    expect(desiredSlots(utc, [guest, cleaner], T0 + 2 * 86_400_000).slots).toEqual([]);
  });

  it('drops a one-time code once the lock reports its use', () => {
    const once: Schedule = {
      startsAt: null,
      endsAt: null,
      windows: [],
      useLimit: 1,
      uses: 0,
      revokedAt: null,
    };
    const a = (uses: number): Assignment => ({ credentialId: 'x', slot: 1, schedule: { ...once, uses } });
    expect(desiredSlots(lock, [a(0)], T0).slots).toHaveLength(1);
    expect(desiredSlots(lock, [a(1)], T0).slots).toHaveLength(0);
  });
});

describe('slot allocation', () => {
  it('prefers a never-used slot, then the one released longest ago', () => {
    const always = { from: null, to: null };
    const held = [{ slot: 1, interval: always }];
    expect(allocateSlot(3, held, always, new Map([[2, 100]]))).toBe(3);
    expect(
      allocateSlot(
        3,
        held,
        always,
        new Map([
          [2, 100],
          [3, 50],
        ]),
      ),
    ).toBe(3);
    expect(
      allocateSlot(
        3,
        held,
        always,
        new Map([
          [2, 10],
          [3, 50],
        ]),
      ),
    ).toBe(2);
  });

  it('lets guests whose stays do not overlap share a slot, and finds none when the lock is full', () => {
    const first = intervalOf({
      startsAt: 0,
      endsAt: 10,
      windows: [],
      useLimit: null,
      uses: 0,
      revokedAt: null,
    });
    expect(allocateSlot(1, [{ slot: 1, interval: first }], { from: 10, to: 20 }, new Map())).toBe(1);
    expect(allocateSlot(1, [{ slot: 1, interval: first }], { from: 5, to: 20 }, new Map())).toBeNull();
  });

  it('never returns a slot held by an overlapping assignment', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            slot: fc.integer({ min: 1, max: 6 }),
            from: fc.integer({ min: 0, max: 100 }),
            len: fc.integer({ min: 1, max: 50 }),
          }),
        ),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        (raw, from, len) => {
          const held = raw.map((r) => ({ slot: r.slot, interval: { from: r.from, to: r.from + r.len } }));
          const want = { from, to: from + len };
          const slot = allocateSlot(6, held, want, new Map());
          const blocked = new Set(
            held.filter((h) => h.interval.from! < want.to && want.from < h.interval.to!).map((h) => h.slot),
          );
          if (slot === null) expect(blocked.size).toBe(6);
          else expect(blocked.has(slot)).toBe(false);
        },
      ),
    );
  });
});
