import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getModel, MODELS } from '../catalog/index.js';
import {
  addMonths,
  type DueCredential,
  type DueLock,
  dueCutoffs,
  dueItems,
  rotationDueAt,
} from './policies.js';
import { DAY_MS, HOUR_MS } from './schedule.js';

const T = Date.UTC(2026, 5, 15, 12);
const cred = (over: Partial<DueCredential>): DueCredential => ({
  id: 'c1',
  name: 'Ann',
  kind: 'permanent',
  endsAt: null,
  codeSetAt: T,
  rotation: 'annual',
  revokedAt: null,
  onLocks: true,
  ...over,
});

describe('due items', () => {
  it('flags a guest still on a lock more than 24 hours after departure as overdue', () => {
    const items = dueItems(
      { credentials: [cred({ kind: 'guest', endsAt: T - 25 * HOUR_MS })], locks: [] },
      T,
    );
    expect(items).toMatchObject([{ kind: 'guest-departure', overdue: true }]);
    const fresh = dueItems({ credentials: [cred({ kind: 'guest', endsAt: T - 2 * HOUR_MS })], locks: [] }, T);
    expect(fresh).toMatchObject([{ kind: 'guest-departure', overdue: false }]);
  });

  it('forgets a departed guest once every lock has dropped the code', () => {
    expect(
      dueItems({ credentials: [cred({ kind: 'guest', endsAt: T - DAY_MS, onLocks: false })], locks: [] }, T),
    ).toEqual([]);
  });

  it('asks for rotation after a year by default and after three months when quarterly', () => {
    const yearOld = cred({ codeSetAt: addMonths(T, -12) });
    const quarterOld = cred({ id: 'c2', codeSetAt: addMonths(T, -3), rotation: 'quarterly' });
    const recent = cred({ id: 'c3', codeSetAt: addMonths(T, -2), rotation: 'quarterly' });
    const items = dueItems({ credentials: [yearOld, quarterOld, recent], locks: [] }, T);
    expect(items.map((i) => [i.kind, i.subject.id])).toEqual([
      ['rotation', 'c1'],
      ['rotation', 'c2'],
    ]);
  });

  it("asks for new batteries below the model's threshold and for monthly maintenance", () => {
    const model = getModel('264');
    const lock = {
      id: 'l1',
      name: 'Front',
      model,
      voltsPerCell: model.battery.replaceBelow - 0.01,
      maintainedAt: T,
    };
    expect(dueItems({ credentials: [], locks: [lock] }, T).map((i) => i.kind)).toEqual(['battery']);
    const ok = { ...lock, voltsPerCell: model.battery.replaceBelow, maintainedAt: addMonths(T, -1) };
    expect(dueItems({ credentials: [], locks: [ok] }, T).map((i) => i.kind)).toEqual(['maintenance']);
  });

  it('counts calendar months, clamping to the end of a short month', () => {
    expect(new Date(addMonths(Date.UTC(2026, 0, 31), 1)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(new Date(rotationDueAt(Date.UTC(2024, 1, 29), 'annual')).toISOString()).toBe(
      '2025-02-28T00:00:00.000Z',
    );
  });

  it('adds calendar months exactly as Date does, for any time and any count of months', () => {
    const viaDate = (t: number, months: number) => {
      const d = new Date(t);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth() + months;
      const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      return Date.UTC(
        y,
        m,
        Math.min(d.getUTCDate(), lastDay),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      );
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2400, 0, 1) }),
          // Month ends near century years, where February's length is the rule's exception.
          fc
            .tuple(
              fc.constantFrom(1899, 1900, 1999, 2000, 2099, 2100, 2399, 2400),
              fc.integer({ min: 0, max: 11 }),
              fc.integer({ min: 28, max: 31 }),
              fc.integer({ min: 0, max: DAY_MS - 1 }),
            )
            .map(([y, m, d, ms]) => Date.UTC(y, m, d) + ms),
        ),
        fc.integer({ min: -24, max: 24 }),
        (t, months) => {
          expect(addMonths(t, months)).toBe(viaDate(t, months));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the same items when a store first drops every row outside the cutoffs', () => {
    // Times near month ends, where a calendar month is shortest (31 Jan + 1 month = 28 Feb).
    const time = fc
      .tuple(
        fc.integer({ min: 2020, max: 2030 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 1, max: 31 }),
      )
      .map(([y, m, d]) => Date.UTC(y, m, d, 12));
    const span = 800 * DAY_MS;
    const credential = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      name: fc.constant('C'),
      kind: fc.constantFrom('permanent' as const, 'guest' as const),
      endsAt: fc.option(fc.integer({ min: -span, max: span })),
      codeSetAt: fc.integer({ min: -span, max: 0 }),
      rotation: fc.constantFrom('annual' as const, 'quarterly' as const),
      revokedAt: fc.option(fc.constant(0)),
      onLocks: fc.boolean(),
    });
    const lock = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      name: fc.constant('L'),
      model: fc.constantFrom(...MODELS),
      voltsPerCell: fc.option(fc.double({ min: 1, max: 1.7, noNaN: true })),
      // Relative to the end of the horizon: from 26 to 32 days before it, give or take an hour,
      // is where a month's length decides.
      maintainedAt: fc.oneof(
        fc.integer({ min: -90 * DAY_MS, max: 0 }).map((m) => ({ m, fromUntil: false })),
        fc
          .tuple(fc.integer({ min: 26, max: 32 }), fc.integer({ min: -HOUR_MS, max: HOUR_MS }))
          .map(([days, jitter]) => ({ m: -days * DAY_MS + jitter, fromUntil: true })),
      ),
    });
    fc.assert(
      fc.property(
        time,
        fc.integer({ min: 0, max: 60 }).map((days) => days * DAY_MS),
        fc.array(credential, { maxLength: 20 }),
        fc.array(lock, { maxLength: 20 }),
        (t, horizon, rawCredentials, rawLocks) => {
          const credentials: DueCredential[] = rawCredentials.map((c) => ({
            ...c,
            endsAt: c.endsAt === null ? null : t + c.endsAt,
            codeSetAt: t + c.codeSetAt,
          }));
          const locks: DueLock[] = rawLocks.map(({ maintainedAt: { m, fromUntil }, ...l }) => ({
            ...l,
            maintainedAt: (fromUntil ? t + horizon : t) + m,
          }));
          const cut = dueCutoffs(t, horizon, MODELS);
          // What status.ts asks the database for, row by row.
          const kept = {
            credentials: credentials.filter((c) =>
              c.kind === 'guest'
                ? c.endsAt !== null && c.endsAt <= cut.endsAtOrBefore
                : c.revokedAt === null && rotationDueAt(c.codeSetAt, c.rotation) <= cut.rotationDueAtOrBefore,
            ),
            locks: locks.filter(
              (l) =>
                l.maintainedAt <= cut.maintainedAtOrBefore ||
                (l.voltsPerCell !== null && l.voltsPerCell < cut.batteryBelow),
            ),
          };
          expect(dueItems(kept, t, horizon)).toEqual(dueItems({ credentials, locks }, t, horizon));
        },
      ),
    );
  });
});
