import { describe, expect, it } from 'vitest';
import type { DriverEvent } from './driver.js';
import { auditRows } from './events.js';
import { lockEventEffects, wantsPass } from './lock-events.js';

const id = () => 'op_1';

describe('a lock event as register changes', () => {
  const table: Array<[string, DriverEvent, unknown[], boolean]> = [
    [
      'a code added at the keypad asks for its slot to be read back',
      { type: 'code-added-at-keypad', slot: 4, code: '2947561', at: 5 },
      [
        {
          kind: 'intent-added',
          lockId: 'l',
          intent: { id: 'op_1', slot: 4, kind: 'keypad-added', credentialId: null, startedAt: 5 },
        },
      ],
      true,
    ],
    [
      'a code deleted at the keypad asks for a check of its slot',
      { type: 'code-deleted-at-keypad', slot: 2, at: 5 },
      [
        {
          kind: 'intent-added',
          lockId: 'l',
          intent: { id: 'op_1', slot: 2, kind: 'verify', credentialId: null, startedAt: 5 },
        },
      ],
      true,
    ],
    [
      'a duplicate refused in no known slot changes nothing',
      { type: 'duplicate-refused', slot: null, at: 5 },
      [],
      true,
    ],
    [
      'all codes deleted makes the lock read again',
      { type: 'all-codes-deleted', at: 5 },
      [{ kind: 'lock-sync-state', lockId: 'l', patch: { reread: 1 } }],
      true,
    ],
    [
      'a code used marks its slot used',
      { type: 'code-used', slot: 3, at: 5 },
      [{ kind: 'slot-used', lockId: 'l', slot: 3, at: 5 }],
      false,
    ],
    [
      'a battery report changes no sync state',
      { type: 'battery', voltsPerCell: 1.2, level: 'low', at: 5 },
      [],
      false,
    ],
    [
      'an unreachable report waits for the back-off',
      { type: 'unreachable', at: 5, message: 'no ack' },
      [],
      false,
    ],
    ['a lockout is told and looked into', { type: 'wrong-code-lockout', at: 5 }, [], true],
  ];
  for (const [name, e, writes, pass] of table)
    it(name, () => {
      const out = lockEventEffects('l', e, id);
      expect(out.writes).toEqual(writes);
      expect(wantsPass(e)).toBe(pass);
    });

  it('never carries the code a keypad report came with, in the event or its audit row', () => {
    const out = lockEventEffects('l', { type: 'code-added-at-keypad', slot: 4, code: '2947561', at: 5 }, id);
    expect(JSON.stringify(out.events)).not.toContain('2947561');
    expect(auditRows(out.events)).toEqual([
      {
        action: 'lock.code-added-at-keypad',
        subjectType: 'lock',
        subjectId: 'l',
        detail: { type: 'code-added-at-keypad', slot: 4, at: 5 },
      },
    ]);
  });

  it('reports a fault the driver handled as an error, audited as lock.fault, asking for no pass', () => {
    const fault: DriverEvent = { type: 'fault', at: 5, message: 'bad frame', during: 'read-back' };
    const out = lockEventEffects('l', fault, id);
    expect(out.events).toEqual([
      { type: 'error', lockId: 'l', during: 'read-back', message: 'bad frame', reported: fault },
    ]);
    expect(auditRows(out.events)).toEqual([
      {
        action: 'lock.fault',
        subjectType: 'lock',
        subjectId: 'l',
        detail: { type: 'fault', at: 5, message: 'bad frame', during: 'read-back' },
      },
    ]);
    expect(wantsPass(fault)).toBe(false);
  });
});
