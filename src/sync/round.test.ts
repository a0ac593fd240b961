import { describe, expect, it } from 'vitest';
import { ALWAYS, assignmentRow, NOW, picture } from '../../test/support/sync-picture.js';
import { HOUR_MS } from '../core/access/schedule.js';
import { getModel } from '../core/catalog/index.js';
import type { AssignmentRow, LockSyncPicture } from '../store/sync-state.js';
import { DEFAULT_POLICY, planForLock } from './lock-plan.js';
import {
  frozenSlots,
  gate,
  nextLook,
  planRound,
  type RoundInput,
  reachedWrites,
  settledLeaving,
  unreachedWrites,
} from './round.js';

const model = getModel('914');
const row = (id: string, slot: number, code: string, over: Partial<AssignmentRow> = {}) =>
  assignmentRow(id, slot, code, { personId: `person_${id}`, ...over });

const input = (p: LockSyncPicture, over: Partial<RoundInput> = {}): RoundInput => ({
  p,
  model,
  now: NOW,
  policy: DEFAULT_POLICY,
  radio: true,
  reachableAt: undefined,
  batch: false,
  ...over,
});
const intent = { id: 'op_1', slot: 2, kind: 'add' as const, credentialId: null, startedAt: 0 };

describe('what a round does first', () => {
  const table: Array<[string, RoundInput, string]> = [
    ['a lock without a radio is planned at once', input(picture({ readAt: null }), { radio: false }), 'plan'],
    ['a lock backing off waits, whatever asked', input(picture(), { reachableAt: NOW + 1 }), 'wait'],
    ['a lock whose back-off ran out is tried', input(picture(), { reachableAt: NOW }), 'plan'],
    ['a lock never read is read in full', input(picture({ readAt: null })), 'full-read'],
    ['a lock whose codes became unknown is read in full', input(picture({ reread: true })), 'full-read'],
    ['unresolved intents are read back first', input(picture({ intents: [intent] })), 'resolve-intents'],
    [
      'in a batch, a lock to read goes to a pass of its own',
      input(picture({ readAt: null }), { batch: true }),
      'fallback',
    ],
    [
      'in a batch, intents go to a pass of its own',
      input(picture({ intents: [intent] }), { batch: true }),
      'fallback',
    ],
  ];
  for (const [name, r, kind] of table) it(name, () => expect(gate(r).kind).toBe(kind));

  it('shows the pending codes of a lock never read while it waits', () => {
    expect(gate(input(picture({ readAt: null }), { reachableAt: NOW + 5 }))).toEqual({
      kind: 'wait',
      until: NOW + 5,
      show: true,
    });
  });
});

describe('planning a round', () => {
  it('sends a wanted code to an empty lock', () => {
    const r = planRound(input(picture({ assignments: [row('a', 1, '2947561')] })));
    expect(r.next).toBe('send');
    expect(r.lp.plan.ops).toEqual([expect.objectContaining({ op: 'add', slot: 1 })]);
  });

  it('hands a lock without a radio to its manual session', () => {
    expect(planRound(input(picture({ assignments: [row('a', 1, '2947561')] }), { radio: false })).next).toBe(
      'manual',
    );
  });

  it('settles a lock with nothing to send', () => {
    expect(planRound(input(picture())).next).toBe('settle');
  });

  it('moves a wanted code whose slot a kept code holds, then plans again (in a batch: alone)', () => {
    const p = picture({
      assignments: [row('a', 1, '2947561')],
      reported: new Map([
        [1, { slot: 1, code: '8163402', credentialId: null, unmanaged: true, error: null }],
      ]),
    });
    const alone = planRound(input(p));
    expect(alone.next).toBe('again');
    expect(alone.moves?.writes).toEqual([
      { kind: 'assignment-moved', credentialId: 'a', lockId: 'lock_1', slot: 2 },
    ]);
    expect(alone.moves?.events).toEqual([
      { type: 'code-moved', lockId: 'lock_1', credentialId: 'a', personId: 'person_a', from: 1, to: 2 },
    ]);
    expect(planRound(input(p, { batch: true })).next).toBe('fallback');
  });

  it('blocks a code the lock would refuse, once', () => {
    const p = picture({ assignments: [row('a', 1, '2947561'), row('b', 2, '2947000')] });
    const r = planRound(input(p));
    expect(r.blocked.events).toEqual([
      expect.objectContaining({ type: 'code-blocked', credentialId: 'b', error: 'duplicate_on_device' }),
    ]);
    const again = planRound(
      input(
        picture({
          assignments: [row('a', 1, '2947561'), row('b', 2, '2947000', { error: 'duplicate_on_device' })],
        }),
      ),
    );
    expect(again.blocked.writes).toEqual([]);
  });

  it('freezes slots that back off, are suspended or have an intent', () => {
    const p = picture({
      intents: [intent],
      health: new Map([
        [5, { slot: 5, failures: 1, nextAttemptAt: NOW + 1, suspended: false, lastError: 'unconfirmed' }],
        [6, { slot: 6, failures: 5, nextAttemptAt: 0, suspended: true, lastError: 'unconfirmed' }],
        [7, { slot: 7, failures: 1, nextAttemptAt: NOW - 1, suspended: false, lastError: 'unconfirmed' }],
      ]),
    });
    expect([...frozenSlots(p, NOW)].sort()).toEqual([2, 5, 6]);
  });
});

describe('the register around a round', () => {
  it('settles a leaving code no longer on the lock as removed', () => {
    const p = picture({
      assignments: [
        row('a', 1, '2947561', { status: 'removing', schedule: { ...ALWAYS, revokedAt: NOW - 1 } }),
      ],
    });
    const lp = planForLock(p, model, NOW, DEFAULT_POLICY, new Set());
    expect(settledLeaving(p, lp).writes).toEqual([
      { kind: 'assignment', credentialId: 'a', lockId: 'lock_1', patch: { status: 'removed', error: null } },
    ]);
  });

  it('shows failed_to_set on pending codes of a lock never reached, and clears it once read', () => {
    const p = picture({ readAt: null, assignments: [row('a', 1, '2947561')] });
    const shown = unreachedWrites(p, input(p));
    expect(shown).toEqual([
      {
        kind: 'assignment',
        credentialId: 'a',
        lockId: 'lock_1',
        patch: { error: 'failed_to_set' },
        refreshCleared: false,
      },
    ]);
    const read = picture({ assignments: [row('a', 1, '2947561', { error: 'failed_to_set' })] });
    expect(reachedWrites(read)).toEqual([
      {
        kind: 'assignment',
        credentialId: 'a',
        lockId: 'lock_1',
        patch: { error: null },
        refreshCleared: false,
      },
    ]);
  });

  it('looks again at the plan’s next change, a back-off, or a verification, never inside its own back-off', () => {
    const p = picture({ verifiedAt: NOW });
    const lp = planForLock(p, model, NOW, DEFAULT_POLICY, new Set());
    const none = { everyMs: undefined, checksums: false };
    expect(nextLook(p, lp, new Set(), NOW, none, undefined)).toBe(Number.POSITIVE_INFINITY);
    expect(nextLook(p, lp, new Set(), NOW, { everyMs: HOUR_MS, checksums: true }, undefined)).toBe(
      NOW + HOUR_MS,
    );
    expect(nextLook(p, lp, new Set(), NOW, { everyMs: HOUR_MS, checksums: true }, NOW + 2 * HOUR_MS)).toBe(
      NOW + 2 * HOUR_MS,
    );
  });
});
