import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getModel } from '../catalog/index.js';
import { hygieneCalendar } from './calendar.js';
import { monthlyChecklist } from './checklist.js';

const m264 = getModel('264');
const m275 = getModel('275');
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-27T08:00:00Z');

function byId(items: ReturnType<typeof hygieneCalendar>, id: string) {
  const item = items.find((i) => i.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item;
}

describe('monthly checklist', () => {
  it('lists the four checks of the guide in its order', () => {
    expect(monthlyChecklist({ model: m264 }).map((i) => i.id)).toEqual([
      'test-codes',
      'clean-keypad',
      'battery-voltage',
      'key-turns',
    ]);
  });

  it("asks for new batteries below the model's 1.3 V per cell and passes 1.45 V", () => {
    const low = monthlyChecklist({ model: m264, voltsPerCell: 1.25 }).find(
      (i) => i.id === 'battery-voltage',
    )!;
    expect(low).toMatchObject({ status: 'act' });
    expect(low.finding).toMatch(/below 1\.3 V/);
    const fine = monthlyChecklist({ model: m264, voltsPerCell: 1.45 }).find(
      (i) => i.id === 'battery-voltage',
    )!;
    expect(fine.status).toBe('ok');
    expect(monthlyChecklist({ model: m264 }).find((i) => i.id === 'battery-voltage')!.status).toBe('unknown');
  });

  it("words the code test with the model's confirm key and the number of codes", () => {
    const button = monthlyChecklist({ model: m264, codeCount: 3 })[0]!;
    expect(button.detail).toMatch(/all 3 user codes, each followed by the Kwikset button/);
    expect(monthlyChecklist({ model: m275 })[0]!.detail).toMatch(/enter arrow/);
  });

  it('marks the key step for action when the yearly graphite is due', () => {
    const key = monthlyChecklist({ model: m264, lubricationDue: true }).find((i) => i.id === 'key-turns')!;
    expect(key).toMatchObject({ status: 'act', finding: 'the yearly graphite is due' });
  });
});

describe('hygiene calendar', () => {
  it('puts the annual code change a year after the last one, and a quarterly one three months after', () => {
    const last = at('2026-03-01T00:00:00Z');
    const annual = byId(hygieneCalendar({ now: NOW, model: m264, lastRotation: last }), 'rotation');
    expect(new Date(annual.dueAt).toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect(annual.overdue).toBe(false);
    const quarterly = byId(
      hygieneCalendar({ now: NOW, model: m264, lastRotation: last, rotation: 'quarterly' }),
      'rotation',
    );
    expect(new Date(quarterly.dueAt).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(quarterly.overdue).toBe(true);
  });

  it('asks for a code change now when none is on record', () => {
    const r = byId(hygieneCalendar({ now: NOW, model: m264 }), 'rotation');
    expect(r).toMatchObject({ dueAt: NOW, overdue: false });
    expect(r.detail).toMatch(/No code change on record/);
  });

  it('makes a guest code due 24 hours after departure and overdue after that', () => {
    const endsAt = at('2026-11-26T11:00:00Z');
    const items = hygieneCalendar({ now: NOW, model: m264, guests: [{ name: 'Ana', endsAt }] });
    const guest = byId(items, 'guest:Ana');
    expect(guest).toMatchObject({ kind: 'guest-removal', dueAt: endsAt + DAY, overdue: false });
    const late = byId(
      hygieneCalendar({ now: endsAt + DAY + 1, model: m264, guests: [{ name: 'Ana', endsAt }] }),
      'guest:Ana',
    );
    expect(late.overdue).toBe(true);
    expect(late.detail).toMatch(/more than 24 hours ago/);
  });

  it('keeps two stays of the same guest apart', () => {
    const items = hygieneCalendar({
      now: NOW,
      model: m264,
      guests: [
        { name: 'Ana', endsAt: NOW + DAY },
        { name: 'Ana', endsAt: NOW + 9 * DAY },
      ],
    });
    expect(items.filter((i) => i.kind === 'guest-removal').map((i) => i.id)).toEqual([
      'guest:Ana',
      'guest:Ana#2',
    ]);
  });

  it("replaces batteries at the model's threshold, late once programming fails", () => {
    expect(byId(hygieneCalendar({ now: NOW, model: m264, voltsPerCell: 1.25 }), 'battery')).toMatchObject({
      title: 'Replace the batteries',
      dueAt: NOW,
      overdue: false,
    });
    expect(byId(hygieneCalendar({ now: NOW, model: m264, voltsPerCell: 1.2 }), 'battery').overdue).toBe(true);
    const fine = byId(
      hygieneCalendar({ now: NOW, model: m264, voltsPerCell: 1.5, lastMaintenance: NOW - 10 * DAY }),
      'battery',
    );
    expect(fine.title).toBe('Measure the batteries');
    expect(fine.dueAt).toBe(
      byId(hygieneCalendar({ now: NOW, model: m264, lastMaintenance: NOW - 10 * DAY }), 'maintenance').dueAt,
    );
  });

  it('makes the monthly check due a calendar month after the last and the graphite a year after', () => {
    const items = hygieneCalendar({
      now: NOW,
      model: m264,
      lastMaintenance: at('2026-10-31T00:00:00Z'),
      lastLubrication: at('2025-11-01T00:00:00Z'),
    });
    expect(new Date(byId(items, 'maintenance').dueAt).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(byId(items, 'maintenance').overdue).toBe(false);
    expect(byId(items, 'lubrication').overdue).toBe(true);
  });

  it('refuses a record dated after now', () => {
    expect(() => hygieneCalendar({ now: NOW, model: m264, lastMaintenance: NOW + DAY })).toThrow(/after now/);
  });

  it('sorts by due date and marks overdue exactly the items due before now', () => {
    const time = fc.integer({ min: NOW - 800 * DAY, max: NOW });
    fc.assert(
      fc.property(
        fc.record(
          {
            lastRotation: time,
            lastMaintenance: time,
            lastLubrication: time,
            voltsPerCell: fc.integer({ min: 90, max: 160 }).map((c) => c / 100),
            rotation: fc.constantFrom('annual' as const, 'quarterly' as const),
            guests: fc.array(
              fc.record({
                name: fc.constantFrom('Ana', 'Bo', 'Cy'),
                endsAt: fc.integer({ min: NOW - 9 * DAY, max: NOW + 9 * DAY }),
              }),
              { maxLength: 4 },
            ),
          },
          { requiredKeys: [] },
        ),
        (extra) => {
          const items = hygieneCalendar({ now: NOW, model: m264, ...extra });
          expect(items.length).toBe(4 + (extra.guests?.length ?? 0));
          for (let i = 1; i < items.length; i++)
            expect(items[i]!.dueAt).toBeGreaterThanOrEqual(items[i - 1]!.dueAt);
          for (const item of items) {
            if (item.kind !== 'battery') expect(item.overdue).toBe(NOW > item.dueAt);
          }
          expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
        },
      ),
    );
  });
});
