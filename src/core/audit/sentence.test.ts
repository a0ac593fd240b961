import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditNames, type AuditRow, auditLine, foldSync, matches, opHolders } from './sentence.js';

const names: AuditNames = {
  locks: new Map([['lock_1', 'Front door']]),
  people: new Map([['per_1', 'Ana']]),
  credentials: new Map([['cred_1', { name: 'Ana', personId: 'per_1', lockIds: ['lock_1'] }]]),
  tokens: new Map([['tok_1', 'Laptop']]),
};

const row = (over: Partial<AuditRow>): AuditRow => ({
  seq: 1,
  at: 0,
  actor: 'server',
  action: 'slot.status',
  subjectType: 'credential',
  subjectId: 'cred_1',
  detail: {},
  ...over,
});

describe('the audit log in sentences', () => {
  it('says whose code was set on which lock, by name', () => {
    const l = auditLine(row({ detail: { lockId: 'lock_1', status: 'set', error: null } }), names);
    expect(l.text).toBe('Ana’s code set on Front door.');
    expect(l.who).toBe('Keyward');
    expect(l).toMatchObject({ kind: 'sync', lockIds: ['lock_1'], personIds: ['per_1'] });
  });

  it('names the token that added a code, and the locks it is for', () => {
    const l = auditLine(
      row({
        actor: 'token:tok_1',
        action: 'credential.add',
        detail: { name: 'Ana', kind: 'permanent', personId: 'per_1', locks: [{ lockId: 'lock_1', slot: 1 }] },
      }),
      names,
    );
    expect(l.text).toBe('Ana’s code added for Front door.');
    expect(l.who).toBe('Laptop (token)');
    expect(l.kind).toBe('codes');
  });

  it('folds each run of sync steps into one item and keeps what people did as lines', () => {
    const lines = [
      auditLine(
        row({
          seq: 5,
          action: 'sync.send',
          subjectType: 'lock',
          subjectId: 'lock_1',
          detail: { ops: [1, 2, 3] },
        }),
        names,
      ),
      auditLine(
        row({
          seq: 4,
          action: 'sync.confirmed',
          subjectType: 'lock',
          subjectId: 'lock_1',
          detail: { ops: [1] },
        }),
        names,
      ),
      auditLine(row({ seq: 3, action: 'credential.revoke' }), names),
      auditLine(
        row({
          seq: 2,
          action: 'sync.read',
          subjectType: 'lock',
          subjectId: 'lock_1',
          detail: { occupied: 2 },
        }),
        names,
      ),
    ];
    const items = foldSync(lines);
    expect(items).toHaveLength(3);
    expect('sync' in items[0]! && items[0].sync.length).toBe(2);
    expect(lines[0]!.text).toBe('3 changes sent to Front door.');
  });

  it('pairs a confirmation with the send that named the code: whose code was set where', () => {
    const send = row({
      seq: 1,
      action: 'sync.send',
      subjectType: 'lock',
      subjectId: 'lock_1',
      detail: { ops: [{ op: 'add', slot: 1, opId: 'op_1', credentialId: 'cred_1' }] },
    });
    const done = row({
      seq: 2,
      action: 'sync.confirmed',
      subjectType: 'lock',
      subjectId: 'lock_1',
      detail: { ops: [{ op: 'add', slot: 1, opId: 'op_1', confirmedBy: 'read-back' }] },
    });
    const withOps = { ...names, ops: opHolders([send, done]) };
    expect(auditLine(send, withOps).text).toBe('Ana’s code sent to Front door.');
    const l = auditLine(done, withOps);
    expect(l.text).toBe('Ana’s code set on Front door.');
    expect(l.personIds).toEqual(['per_1']);
  });

  it('words any entry as a sentence without ids, and folding keeps every line once, in order', () => {
    const actions = [
      'credential.add',
      'slot.status',
      'sync.send',
      'lock.jammed',
      'person.add',
      'token.create',
      'x.y',
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            action: fc.constantFrom(...actions),
            subjectType: fc.constantFrom('credential', 'lock', 'person'),
            subjectId: fc.constantFrom('cred_1', 'lock_1', 'per_1', 'cred_gone'),
            lockId: fc.option(fc.constantFrom('lock_1', 'lock_gone'), { nil: undefined }),
          }),
          { maxLength: 30 },
        ),
        (rows) => {
          const lines = rows.map((r, i) =>
            auditLine(row({ seq: i + 1, ...r, detail: r.lockId ? { lockId: r.lockId } : {} }), names),
          );
          for (const l of lines) {
            expect(l.text).toMatch(/^[A-Z0-9].*\.$/);
            expect(l.text).not.toMatch(/cred_|lock_|per_|tok_/);
          }
          const flat = foldSync(lines).flatMap((i) => ('line' in i ? [i.line] : i.sync));
          expect(flat.map((l) => l.seq)).toEqual(lines.map((l) => l.seq));
          expect(
            lines.filter((l) => matches(l, { lockId: 'lock_1' })).every((l) => l.lockIds.includes('lock_1')),
          ).toBe(true);
        },
      ),
    );
  });
});
