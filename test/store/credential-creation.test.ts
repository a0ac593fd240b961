import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { change } from '../../src/store/context.js';
import { adoptSlot } from '../../src/store/credential-adopt.js';
import { DIALECTS, Harness } from './dialects.js';

const T0 = Date.UTC(2026, 5, 1, 12);

describe('one way to create a credential', () => {
  it('has credentials and their lock assignments inserted by credential-write.ts alone', () => {
    const root = join(import.meta.dirname, '../../src');
    const writers: string[] = [];
    for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const text = readFileSync(join(root, file), 'utf8');
      if (/insertInto\(\s*'credential(s|_locks)'|insert into credential(s|_locks)\b/.test(text))
        writers.push(file);
      if (/insertRows\([^)]*'credential(s|_locks)'/s.test(text)) writers.push(file);
    }
    expect([...new Set(writers)]).toEqual([join('store', 'credential-write.ts')]);
  });
});

describe.each(DIALECTS)('a code found on a lock, taken into the register, on %s', (dialect) => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  async function world() {
    const store = await h.fresh(dialect, { now: () => T0 });
    const site = await store.addSite({ name: 'Home' });
    const lock = await store.addLock({ siteId: site.id, name: 'Front', model: '916' });
    const person = await store.addPerson({ name: 'Ann', siteId: site.id });
    return { store, lock, person };
  }

  it('is a permanent credential set in the slot it occupies, with what the caller knows about it', async () => {
    const { store, lock, person } = await world();
    const id = await change(store.ctx, (trx) =>
      adoptSlot(store.ctx, trx, lock.id, 3, '482913', 'Found in slot 3', {
        personId: person.id,
        rotateDueAt: T0 + 1000,
      }),
    );
    const c = await store.getCredential(id, { reveal: true });
    expect(c).toMatchObject({
      personId: person.id,
      name: 'Found in slot 3',
      kind: 'permanent',
      code: '482913',
      startsAt: null,
      endsAt: null,
      rotation: 'annual',
      rotateDueAt: T0 + 1000,
      revokedAt: null,
      version: 1,
      locks: [{ lockId: lock.id, slot: 3, status: 'set', error: null }],
    });
  });

  it('is revoked from the start with its slot removing when it is taken in only to come off', async () => {
    const { store, lock } = await world();
    const id = await change(store.ctx, (trx, audit) =>
      adoptSlot(store.ctx, trx, lock.id, 2, '771100', 'To remove', {
        revokedAt: T0,
        audit: { log: audit, action: 'credential.remove-unmanaged', detail: { lockId: lock.id, slot: 2 } },
      }),
    );
    const c = await store.getCredential(id);
    expect(c).toMatchObject({ revokedAt: T0, locks: [{ slot: 2, status: 'removing' }] });
    const row = await store.ctx.db
      .selectFrom('credentials')
      .select('cleared_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.cleared_at).toBeNull();
    const report = await store.verifyAudit();
    expect(report.problems).toEqual([]);
    const audit = await store.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('action', '=', 'credential.remove-unmanaged')
      .execute();
    expect(audit).toEqual([{ action: 'credential.remove-unmanaged', subject_id: id }]);
  });
});
