import { describe, expect, it } from 'vitest';
import { assignmentRow, NOW, picture } from '../../test/support/sync-picture.js';
import { getModel } from '../core/catalog/index.js';
import type { AssignmentRow } from '../store/sync-state.js';
import type { LockDriver } from './driver.js';
import { auditRows } from './events.js';
import { DEFAULT_POLICY, planForLock } from './lock-plan.js';
import { type Outcome, opsToSend, outcomeEffects, type SendItem, sendingEffects } from './outcomes.js';

const model = getModel('914');
const row = assignmentRow;

function item(lockId: string, assignments: AssignmentRow[], checksum: string | null = null): SendItem {
  const p = picture({ lockId, assignments, checksum });
  const lp = planForLock(p, model, NOW, DEFAULT_POLICY, new Set());
  const report = { lockId, sent: 0, confirmed: 0, failed: 0, converged: false };
  return { p, lp, frozen: new Set(), driver: {} as LockDriver, model, now: NOW, report };
}

let n = 0;
const newId = () => `op_${++n}`;

describe('ops on their way to the lock', () => {
  it('writes each op’s intent and its code’s status before any frame, one audit row per lock', () => {
    n = 0;
    const sent = opsToSend(
      [item('l1', [row('a', 1, '2947561'), row('b', 2, '8163402')]), item('l2', [row('c', 1, '5550193')])],
      newId,
    );
    const e = sendingEffects(sent);
    expect(e.writes.filter((w) => w.kind === 'intent-added')).toHaveLength(3);
    expect(e.writes.filter((w) => w.kind === 'assignment')).toEqual([
      {
        kind: 'assignment',
        credentialId: 'a',
        lockId: 'l1',
        patch: { status: 'setting', error: null },
        refreshCleared: false,
      },
      {
        kind: 'assignment',
        credentialId: 'b',
        lockId: 'l1',
        patch: { status: 'setting', error: null },
        refreshCleared: false,
      },
      {
        kind: 'assignment',
        credentialId: 'c',
        lockId: 'l2',
        patch: { status: 'setting', error: null },
        refreshCleared: false,
      },
    ]);
    expect(auditRows(e.events)).toEqual([
      {
        action: 'sync.send',
        subjectType: 'lock',
        subjectId: 'l1',
        detail: {
          ops: [
            { op: 'add', slot: 1, opId: 'op_1', credentialId: 'a', replaces: null },
            { op: 'add', slot: 2, opId: 'op_2', credentialId: 'b', replaces: null },
          ],
        },
      },
      {
        action: 'sync.send',
        subjectType: 'lock',
        subjectId: 'l2',
        detail: { ops: [{ op: 'add', slot: 1, opId: 'op_3', credentialId: 'c', replaces: null }] },
      },
    ]);
  });
});

describe('outcomes as register changes', () => {
  const [a, b] = opsToSend([item('l1', [row('a', 1, '2947561'), row('b', 2, '8163402')], '123')], newId);
  const failure = {
    ok: false as const,
    error: 'unconfirmed' as const,
    message: 'no answer',
    retryable: true,
  };
  const health = {
    slot: 2,
    failures: 1,
    nextAttemptAt: NOW + 2_000,
    suspended: false,
    lastError: 'unconfirmed',
  };

  const table: Array<[string, Outcome[], string[], string[]]> = [
    [
      'a confirmed add drops its intent, reports the slot, sets the code and clears the stale checksum',
      [{ kind: 'confirmed', s: a!, confirmedBy: 'notification' }],
      ['intent-dropped', 'slot-reported', 'assignment', 'checksum-cleared'],
      ['sync.confirmed'],
    ],
    [
      'an unconfirmed add keeps its intent (read back next) and backs the slot off',
      [{ kind: 'failed', s: b!, failure, health }],
      ['slot-health', 'assignment'],
      ['sync.failed'],
    ],
    [
      'a refused add drops its intent',
      [
        {
          kind: 'failed',
          s: b!,
          failure: { ...failure, error: 'duplicate_on_device', retryable: false },
          health,
        },
      ],
      ['intent-dropped', 'slot-health', 'assignment'],
      ['sync.failed'],
    ],
    [
      'an unsent op is as if never planned',
      [{ kind: 'unsent', s: b! }],
      ['intent-dropped', 'assignment'],
      ['sync.withdrawn'],
    ],
    [
      'confirmed rows come first, whatever the order the outcomes came in',
      [
        { kind: 'unsent', s: b! },
        { kind: 'confirmed', s: a!, confirmedBy: 'read-back' },
      ],
      ['intent-dropped', 'slot-reported', 'assignment', 'checksum-cleared', 'intent-dropped', 'assignment'],
      ['sync.confirmed', 'sync.withdrawn'],
    ],
  ];
  for (const [name, outcomes, writes, rows] of table)
    it(name, () => {
      const e = outcomeEffects(outcomes);
      expect(e.writes.map((w) => w.kind)).toEqual(writes);
      expect(auditRows(e.events).map((r) => r.action)).toEqual(rows);
    });

  it('audits a failure with the slot’s back-off', () => {
    const e = outcomeEffects([{ kind: 'failed', s: b!, failure, health }]);
    expect(auditRows(e.events)[0]!.detail).toEqual({
      op: 'add',
      slot: 2,
      opId: b!.intentId,
      error: 'unconfirmed',
      message: 'no answer',
      retryable: true,
      failures: 1,
      suspended: false,
      retryAt: NOW + 2_000,
    });
  });
});
