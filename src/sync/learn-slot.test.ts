import { describe, expect, it } from 'vitest';
import { ALWAYS, picture } from '../../test/support/sync-picture.js';
import { getModel } from '../core/catalog/index.js';
import type { AssignmentRow, Intent, ReportedSlot } from '../store/sync-state.js';
import { learnSlot, type SlotReading } from './learn-slot.js';
import { DEFAULT_POLICY } from './lock-plan.js';

const model = getModel('914');
const A = '2947561';
const B = '8163402';

const mine = (over: Partial<AssignmentRow> = {}): AssignmentRow => ({
  credentialId: 'cred_a',
  name: 'A',
  personId: null,
  slot: 3,
  status: 'setting',
  error: null,
  code: A,
  schedule: ALWAYS,
  ...over,
});
const held = (over: Partial<ReportedSlot> = {}): ReportedSlot => ({
  slot: 3,
  code: A,
  credentialId: 'cred_a',
  unmanaged: false,
  error: null,
  ...over,
});
const intent = (kind: Intent['kind'], credentialId: string | null = 'cred_a'): Intent => ({
  id: 'op_1',
  slot: 3,
  kind,
  credentialId,
  startedAt: 0,
});

function reading(
  over: Partial<SlotReading> & { assignments?: AssignmentRow[]; readAt?: number | null },
): SlotReading {
  const p = picture({
    assignments: over.assignments ?? [],
    readAt: over.readAt === undefined ? 1 : over.readAt,
  });
  return {
    p,
    model,
    policy: DEFAULT_POLICY,
    slot: 3,
    truth: undefined,
    known: undefined,
    why: 'intent',
    ...over,
  };
}

const statuses = (r: ReturnType<typeof learnSlot>) =>
  r.writes.flatMap((w) => (w.kind === 'assignment' ? [[w.credentialId, w.patch]] : []));
const kinds = (r: ReturnType<typeof learnSlot>) => r.writes.map((w) => w.kind);

describe('learning what one slot holds', () => {
  const table: Array<[string, SlotReading, string, string[], unknown[]]> = [
    ['an empty slot that was empty changes nothing', reading({}), 'empty', [], []],
    [
      'our delete that landed empties the slot and remembers the code',
      reading({ assignments: [mine({ status: 'removing' })], known: held(), intent: intent('delete') }),
      'deleted',
      ['slot-cleared', 'assignment'],
      [['cred_a', { status: 'removed', error: null }]],
    ],
    [
      'a code emptied at the keypad goes back to waiting, marked as such',
      reading({ assignments: [mine({ status: 'set' })], known: held(), why: 'keypad' }),
      'emptied-at-keypad',
      ['slot-cleared', 'assignment'],
      [['cred_a', { status: 'unset', error: 'modified_at_keypad' }]],
    ],
    [
      'a masked slot never seen is taken for unmanaged, code unknown',
      reading({ truth: null }),
      'masked',
      ['slot-reported'],
      [],
    ],
    [
      'our add that landed sets the code',
      reading({ assignments: [mine()], truth: A, intent: intent('add') }),
      'ours',
      ['slot-reported', 'assignment'],
      [['cred_a', { status: 'set', error: null }]],
    ],
    [
      'an add found already there is confirmed without a write of the slot',
      reading({ assignments: [mine()], truth: A, known: held(), intent: intent('add') }),
      'unchanged',
      ['assignment'],
      [['cred_a', { status: 'set', error: null }]],
    ],
    [
      'an add that did not land goes back to waiting',
      reading({ assignments: [mine()], truth: undefined, intent: intent('add') }),
      'empty',
      ['assignment'],
      [['cred_a', { status: 'unset' }]],
    ],
    [
      'an add that did not land, of a code revoked while it was in flight, is done with (found by the crash suite)',
      reading({ assignments: [mine({ status: 'removing' })], truth: undefined, intent: intent('add') }),
      'empty',
      ['assignment'],
      [['cred_a', { status: 'removed', error: null }]],
    ],
    [
      'a code found at first contact is unmanaged, and kept by the default policy',
      reading({ truth: B, why: 'read', readAt: null }),
      'unmanaged',
      ['slot-reported'],
      [],
    ],
    [
      'a code changed at the keypad over ours displaces it, marked modified_at_keypad',
      reading({ assignments: [mine({ status: 'set' })], truth: B, known: held(), why: 'keypad' }),
      'changed-at-keypad',
      ['assignment', 'slot-reported'],
      [['cred_a', { status: 'unset', error: 'modified_at_keypad' }]],
    ],
    [
      'a keypad code under the adopt policy becomes a credential of its own',
      { ...reading({ truth: B, why: 'keypad' }), policy: { ...DEFAULT_POLICY, keypadEdits: 'adopt' } },
      'adopted',
      ['credential-adopted'],
      [],
    ],
  ];
  for (const [name, input, outcome, writes, patches] of table)
    it(name, () => {
      const r = learnSlot(input);
      expect(r.outcome).toBe(outcome);
      expect(kinds(r)).toEqual(writes);
      expect(statuses(r)).toEqual(patches);
    });

  it('names an adopted code as found or added at the keypad, and tells the adoption as an event', () => {
    const found = learnSlot({
      ...reading({ truth: B, why: 'read', readAt: null }),
      policy: { ...DEFAULT_POLICY, unmanaged: 'adopt' },
    });
    expect(found.writes[0]).toMatchObject({ kind: 'credential-adopted', name: 'Found in slot 3', code: B });
    expect(found.events).toEqual([
      { type: 'code-adopted', lockId: 'lock_1', slot: 3, credentialId: null, why: 'found' },
    ]);
  });
});
