import { describe, expect, it } from 'vitest';
import { getModel } from '../catalog/index.js';
import { addMonths, type DueCredential, dueItems, rotationDueAt } from './policies.js';
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
});
