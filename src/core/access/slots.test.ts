import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Schedule, WEEK_MS } from './schedule.js';
import {
  type Assignment,
  chooseSlot,
  desiredSlots,
  type Interval,
  intervalOf,
  nextChange,
  type SlotWish,
} from './slots.js';

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

/** The old positional form, kept so these examples read as they did. */
function allocate(
  capacity: number,
  assignments: Array<{ slot: number; interval: Interval }>,
  want: Interval,
  lastUsed: ReadonlyMap<number, number>,
): number | null {
  return chooseSlot({ capacity, assignments, want, lastUsed });
}

describe('slot allocation', () => {
  it('prefers a never-used slot, then the one released longest ago', () => {
    const always = { from: null, to: null };
    const held = [{ slot: 1, interval: always }];
    expect(allocate(3, held, always, new Map([[2, 100]]))).toBe(3);
    expect(
      allocate(
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
      allocate(
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
    expect(allocate(1, [{ slot: 1, interval: first }], { from: 10, to: 20 }, new Map())).toBe(1);
    expect(allocate(1, [{ slot: 1, interval: first }], { from: 5, to: 20 }, new Map())).toBeNull();
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
          const slot = allocate(6, held, want, new Map());
          const blocked = new Set(
            held.filter((h) => h.interval.from! < want.to && want.from < h.interval.to!).map((h) => h.slot),
          );
          if (slot === null) expect(blocked.size).toBe(6);
          else expect(blocked.has(slot)).toBe(false);
        },
      ),
    );
  });

  it('gives a slot holding an unmanaged code only when no other slot is free', () => {
    const always = { from: null, to: null };
    expect(
      chooseSlot({ capacity: 3, want: always, assignments: [], unmanaged: [1, 2], lastUsed: new Map() }),
    ).toBe(3);
    expect(
      chooseSlot({
        capacity: 3,
        want: always,
        assignments: [{ slot: 3, interval: always }],
        unmanaged: [1, 2],
        lastUsed: new Map([[1, 5]]),
      }),
    ).toBe(2);
    expect(
      chooseSlot({
        capacity: 2,
        want: always,
        assignments: [],
        reserved: [1],
        unmanaged: [2],
        lastUsed: new Map(),
      }),
    ).toBe(2);
  });

  it('never gives a reserved slot, whatever the time', () => {
    const always = { from: null, to: null };
    expect(
      chooseSlot({
        capacity: 2,
        want: { from: 0, to: 1 },
        assignments: [],
        reserved: [1, 2],
        lastUsed: new Map(),
      }),
    ).toBeNull();
    expect(
      chooseSlot({ capacity: 2, want: always, assignments: [], reserved: [1], lastUsed: new Map() }),
    ).toBe(2);
  });
});

/** A lock's slots with anything on them, drawn at random. */
const wishes = fc.integer({ min: 1, max: 8 }).chain((capacity) =>
  fc.record({
    capacity: fc.constant(capacity),
    want: fc.record({
      from: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      to: fc.option(fc.integer({ min: 101, max: 200 }), { nil: null }),
    }),
    assignments: fc.array(
      fc.record({
        slot: fc.integer({ min: 1, max: capacity }),
        interval: fc.oneof(
          fc.constant({ from: null, to: null }),
          fc
            .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 100 }))
            .map(([from, len]) => ({ from, to: from + len })),
        ),
      }),
      { maxLength: 10 },
    ),
    reserved: fc.uniqueArray(fc.integer({ min: 1, max: capacity }), { maxLength: capacity }),
    unmanaged: fc.uniqueArray(fc.integer({ min: 1, max: capacity }), { maxLength: capacity }),
    lastUsed: fc
      .array(fc.tuple(fc.integer({ min: 1, max: capacity }), fc.integer({ min: 0, max: 1000 })), {
        maxLength: capacity,
      })
      .map((pairs) => new Map(pairs)),
  }),
);

function overlapping(a: Interval, b: Interval): boolean {
  return !(
    (a.to !== null && b.from !== null && a.to <= b.from) ||
    (b.to !== null && a.from !== null && b.to <= a.from)
  );
}

function takenIn(w: SlotWish): Set<number> {
  const taken = new Set(w.reserved ?? []);
  for (const a of w.assignments) if (overlapping(a.interval, w.want)) taken.add(a.slot);
  return taken;
}

describe('the slot rule, for every lock', () => {
  it('never gives a reserved slot or one an overlapping assignment holds, and stays within the lock', () => {
    fc.assert(
      fc.property(wishes, (w) => {
        const slot = chooseSlot(w);
        if (slot === null) return;
        expect(slot).toBeGreaterThanOrEqual(1);
        expect(slot).toBeLessThanOrEqual(w.capacity);
        expect(takenIn(w).has(slot)).toBe(false);
      }),
    );
  });

  it('prefers a slot without an unmanaged code whenever one is free', () => {
    fc.assert(
      fc.property(wishes, (w) => {
        const taken = takenIn(w);
        const avoided = new Set(w.unmanaged ?? []);
        const clean = Array.from({ length: w.capacity }, (_, i) => i + 1).some(
          (s) => !taken.has(s) && !avoided.has(s),
        );
        const slot = chooseSlot(w);
        if (clean) expect(avoided.has(slot!)).toBe(false);
      }),
    );
  });

  it('returns null only when no slot fits the wanted time', () => {
    fc.assert(
      fc.property(wishes, (w) => {
        expect(chooseSlot(w) === null).toBe(takenIn(w).size === w.capacity);
      }),
    );
  });

  it('gives the least recently used of the slots it may give, the lowest first among equals', () => {
    fc.assert(
      fc.property(wishes, (w) => {
        const slot = chooseSlot(w);
        if (slot === null) return;
        const taken = takenIn(w);
        const avoided = new Set(w.unmanaged ?? []);
        const all = Array.from({ length: w.capacity }, (_, i) => i + 1).filter((s) => !taken.has(s));
        const clean = all.filter((s) => !avoided.has(s));
        const pool = clean.length ? clean : all;
        const used = (s: number) => w.lastUsed.get(s) ?? Number.NEGATIVE_INFINITY;
        for (const s of pool) {
          expect(used(slot)).toBeLessThanOrEqual(used(s));
          if (used(s) === used(slot)) expect(slot).toBeLessThanOrEqual(s);
        }
      }),
    );
  });
});
