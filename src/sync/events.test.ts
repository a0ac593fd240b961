import { describe, expect, it } from 'vitest';
import { auditRows, type SyncEvent, SyncEvents } from './events.js';

const op = { lockId: 'l', slot: 1, opId: 'op_1', credentialId: 'c', personId: 'p' };

describe('events as audit rows', () => {
  const table: Array<[string, SyncEvent, string | null]> = [
    ['a lock that answers again is not the register’s business', { type: 'reachable', lockId: 'l' }, null],
    [
      'an error without a driver’s report has no row',
      { type: 'error', lockId: 'l', during: 'pass', message: 'x' },
      null,
    ],
    [
      'a lock unreachable during a read is audited',
      { type: 'unreachable', lockId: 'l', during: 'read', message: 'x', failures: 1, retryAt: 5, shown: 0 },
      'sync.unreachable',
    ],
    [
      'a lock unreachable during a checksum is only told',
      { type: 'unreachable', lockId: 'l', during: 'checksum', message: 'x', failures: 1, retryAt: 5 },
      null,
    ],
    ['a resumed slot', { type: 'slot-resumed', lockId: 'l', slot: 3 }, 'sync.resume'],
    ['a changed checksum', { type: 'checksum-changed', lockId: 'l' }, 'sync.checksum-changed'],
    ['a withdrawn op', { type: 'op-withdrawn', ...op, op: 'add' }, 'sync.withdrawn'],
    [
      'a code removed',
      { type: 'code-removed', lockId: 'l', credentialId: 'c', personId: null, slot: 1 },
      'sync.removed',
    ],
  ];
  for (const [name, e, action] of table)
    it(name, () => expect(auditRows([e]).map((r) => r.action)).toEqual(action ? [action] : []));

  it('names every op sent to or confirmed by one lock in one row, at the place of its first', () => {
    const rows = auditRows([
      { type: 'op-confirmed', ...op, op: 'add', confirmedBy: 'notification' },
      {
        type: 'op-confirmed',
        lockId: 'm',
        slot: 1,
        opId: 'op_2',
        credentialId: null,
        personId: null,
        op: 'delete',
        confirmedBy: 'read-back',
      },
      { type: 'op-confirmed', ...op, opId: 'op_3', slot: 2, op: 'add', confirmedBy: 'notification' },
    ]);
    expect(rows.map((r) => [r.subjectId, (r.detail!.ops as unknown[]).length])).toEqual([
      ['l', 2],
      ['m', 1],
    ]);
  });
});

describe('the event port', () => {
  it('tells every subscriber in order until it unsubscribes', () => {
    const port = new SyncEvents();
    const heard: string[] = [];
    const off = port.subscribe((e) => heard.push(`a:${e.type}`));
    port.subscribe((e) => heard.push(`b:${e.type}`));
    port.publish([{ type: 'reachable', lockId: 'l' }]);
    off();
    port.publish([{ type: 'checksum-changed', lockId: 'l' }]);
    expect(heard).toEqual(['a:reachable', 'b:reachable', 'b:checksum-changed']);
  });

  it('tells the others what a subscriber threw, and never throws to the publisher', () => {
    const port = new SyncEvents();
    const heard: SyncEvent[] = [];
    port.subscribe(() => {
      throw new Error('broken');
    });
    port.subscribe((e) => heard.push(e));
    expect(() => port.publish([{ type: 'reachable', lockId: 'l' }])).not.toThrow();
    expect(heard).toEqual([
      { type: 'error', lockId: 'l', during: 'listener', message: 'broken' },
      { type: 'reachable', lockId: 'l' },
    ]);
  });
});
