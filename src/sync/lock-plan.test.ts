import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALWAYS, assignmentRow, picture as lockPicture, NOW } from '../../test/support/sync-picture.js';
import { DAY_MS, HOUR_MS, type Schedule } from '../core/access/schedule.js';
import { getModel } from '../core/catalog/index.js';
import { prefixKey } from '../core/codes/keypad.js';
import type { AssignmentRow, LockSyncPicture, ReportedSlot } from '../store/sync-state.js';
import { DEFAULT_POLICY, planForLock, type SyncPolicy } from './lock-plan.js';

const model = getModel('914');

function assignment(id: string, slot: number, code: string, schedule: Schedule = ALWAYS): AssignmentRow {
  const { personId: _none, ...row } = assignmentRow(id, slot, code, { schedule });
  return row;
}

function kept(slot: number, code: string): ReportedSlot {
  return { slot, code, credentialId: null, unmanaged: true, error: null };
}

const picture = (over: Partial<LockSyncPicture>) => lockPicture({ readAt: NOW - DAY_MS, ...over });

/** Unmanaged codes in every slot except the given ones (distinct first four digits). */
function fullExcept(free: number[]): Map<number, ReportedSlot> {
  const out = new Map<number, ReportedSlot>();
  for (let s = 1; s <= model.slots; s++)
    if (!free.includes(s)) out.set(s, kept(s, String(3000 + s * 7) + '11'));
  return out;
}

const plan = (p: LockSyncPicture, policy: SyncPolicy = DEFAULT_POLICY, frozen = new Set<number>()) =>
  planForLock(p, model, NOW, policy, frozen);

describe('a credential whose slot holds a code kept on the lock', () => {
  it('is moved to a free slot, and nothing is sent for it until the register knows the new slot', () => {
    const lp = plan(
      picture({
        assignments: [assignment('c1', 1, '2947561'), assignment('c2', 2, '8163402')],
        reported: new Map([[1, kept(1, '1931055')]]),
      }),
    );
    expect(lp.moves).toEqual([{ credentialId: 'c1', from: 1, to: 3 }]);
    expect(lp.blocked).toEqual([]);
    expect(lp.plan.ops).toEqual([{ op: 'add', slot: 2, code: '8163402' }]);
  });

  it('prefers a slot never used, then the one released longest ago, as the register allocates', () => {
    const base = {
      assignments: [assignment('c1', 1, '2947561')],
      lastUsed: new Map([
        [5, NOW - HOUR_MS],
        [6, NOW - 10 * DAY_MS],
      ]),
    };
    expect(plan(picture({ ...base, reported: fullExcept([5, 6, 7]) })).moves[0]!.to).toBe(7);
    expect(plan(picture({ ...base, reported: fullExcept([5, 6]) })).moves[0]!.to).toBe(6);
    expect(plan(picture({ ...base, reported: fullExcept([5]) })).moves[0]!.to).toBe(5);
  });

  it('leaves a slot reserved for a later guest alone, and takes one whose guest has left', () => {
    const later: Schedule = { ...ALWAYS, startsAt: NOW + DAY_MS, endsAt: NOW + 3 * DAY_MS };
    const gone: Schedule = { ...ALWAYS, startsAt: NOW - 3 * DAY_MS, endsAt: NOW - DAY_MS };
    const p = picture({
      assignments: [
        assignment('c1', 1, '2947561'),
        assignment('later', 8, '5550193', later),
        assignment('gone', 9, '7031846', gone),
      ],
      reported: fullExcept([8, 9]),
    });
    expect(plan(p).moves).toEqual([{ credentialId: 'c1', from: 1, to: 9 }]);
  });

  it('waits with no_free_slot only when every slot is truly held', () => {
    const lp = plan(picture({ assignments: [assignment('c1', 1, '2947561')], reported: fullExcept([]) }));
    expect(lp.moves).toEqual([]);
    expect(lp.blocked).toEqual([{ credentialId: 'c1', error: 'no_free_slot' }]);
    expect(lp.plan.ops).toEqual([]);
  });

  it('is not moved when a frozen slot is the only one free, nor onto it', () => {
    const lp = plan(
      picture({ assignments: [assignment('c1', 1, '2947561')], reported: fullExcept([4]) }),
      DEFAULT_POLICY,
      new Set([4]),
    );
    expect(lp.moves).toEqual([]);
    expect(lp.blocked).toEqual([{ credentialId: 'c1', error: 'no_free_slot' }]);
  });

  it('is not moved when the kept code shares its first four digits: it would be refused anywhere', () => {
    const lp = plan(
      picture({
        assignments: [assignment('c1', 1, '2947561')],
        reported: new Map([[1, kept(1, '2947000')]]),
      }),
    );
    expect(lp.moves).toEqual([]);
    expect(lp.blocked).toEqual([{ credentialId: 'c1', error: 'duplicate_on_device' }]);
  });

  it('stays in its slot under the "remove" policy: the stranger’s code comes off instead', () => {
    const lp = plan(
      picture({
        assignments: [assignment('c1', 1, '2947561')],
        reported: new Map([[1, kept(1, '1931055')]]),
      }),
      { unmanaged: 'remove', keypadEdits: 'revert' },
    );
    expect(lp.moves).toEqual([]);
    expect(lp.plan.ops).toEqual([{ op: 'add', slot: 1, code: '2947561' }]);
  });

  it('moves the second of two credentials the register put on one slot', () => {
    const lp = plan(picture({ assignments: [assignment('a', 3, '2947561'), assignment('b', 3, '8163402')] }));
    expect(lp.moves).toEqual([{ credentialId: 'b', from: 3, to: 1 }]);
    expect(lp.plan.ops).toEqual([{ op: 'add', slot: 3, code: '2947561' }]);
  });
});

describe('moves, for every lock picture', () => {
  const codeArb = fc.integer({ min: 1_000_000, max: 9_999_999 }).map(String);
  const pictureArb = fc
    .record({
      kept: fc.uniqueArray(fc.integer({ min: 1, max: model.slots }), { maxLength: model.slots }),
      wanted: fc.array(fc.integer({ min: 1, max: model.slots }), { maxLength: 12 }),
      frozen: fc.uniqueArray(fc.integer({ min: 1, max: model.slots }), { maxLength: 4 }),
      codes: fc.array(codeArb, { minLength: 50, maxLength: 50 }),
    })
    .map(({ kept: keptSlots, wanted, frozen, codes }) => {
      // Codes with distinct first four digits, as the register and a lock keep them.
      const seen = new Set<number>();
      const pool = codes.filter((c) => {
        const k = prefixKey(c, model);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      const reported = new Map<number, ReportedSlot>();
      for (const s of keptSlots) if (pool.length > 0) reported.set(s, kept(s, pool.pop()!));
      const assignments = wanted.flatMap((s, i) =>
        pool.length > 0 ? [assignment(`c${i}`, s, pool.pop()!)] : [],
      );
      return { p: picture({ assignments, reported }), frozen: new Set(frozen) };
    });

  it('never land on a slot something holds, never share a slot, and leave no_free_slot only to a full lock', () => {
    fc.assert(
      fc.property(pictureArb, ({ p, frozen }) => {
        const lp = planForLock(p, model, NOW, DEFAULT_POLICY, frozen);
        const targets = lp.moves.map((m) => m.to);
        expect(new Set(targets).size).toBe(targets.length);
        const staying = new Set(
          p.assignments
            .filter((a) => !lp.moves.some((m) => m.credentialId === a.credentialId))
            .map((a) => a.slot),
        );
        for (const to of targets) {
          expect(to).toBeGreaterThanOrEqual(1);
          expect(to).toBeLessThanOrEqual(model.slots);
          expect(p.reported.has(to)).toBe(false);
          expect(frozen.has(to)).toBe(false);
          expect(staying.has(to)).toBe(false);
        }
        const held = new Set([...p.reported.keys(), ...frozen, ...staying, ...targets]);
        if (lp.blocked.some((b) => b.error === 'no_free_slot')) expect(held.size).toBe(model.slots);
      }),
    );
  });
});
