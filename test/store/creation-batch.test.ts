import { afterEach, describe, expect, it } from 'vitest';
import { getModel } from '../../src/core/catalog/index.js';
import { prefixKey } from '../../src/core/codes/keypad.js';
import { KeywardError } from '../../src/core/errors.js';
import { aad, newId } from '../../src/store/context.js';
import type { Credential, Store } from '../../src/store/index.js';
import { DIALECTS, Harness } from './dialects.js';

const T0 = Date.UTC(2026, 5, 1, 12);

/** Every creation submitted in one go, as concurrent HTTP requests would. */
async function together(store: Store, inputs: Array<Parameters<Store['addCredential']>[0]>) {
  const settled = await Promise.allSettled(inputs.map((i) => store.addCredential(i)));
  return settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as KeywardError)));
}

const created = (rs: Array<Credential | KeywardError>) =>
  rs.filter((r): r is Credential => !(r instanceof KeywardError));

async function liveOn(store: Store, lockId: string) {
  return (await store.listCredentials({ lockId })).map((c) => ({
    slot: c.locks.find((l) => l.lockId === lockId)!.slot,
    id: c.id,
  }));
}

describe.each(DIALECTS)('concurrent credential creation on %s', (dialect) => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  it('lands the valid creations of a burst, refuses the bad ones alone, and keeps the audit chain whole', async () => {
    // Each call to the clock moves it on: creations that share a transaction share its time.
    let clock = T0;
    const store = await h.fresh(dialect, { now: () => clock++ });
    const site = await store.addSite({ name: 'Hotel' });
    const a = await store.addLock({ siteId: site.id, name: 'Room 1', model: '264' });
    const b = await store.addLock({ siteId: site.id, name: 'Room 2', model: '910' });
    const auditBefore = (await store.verifyAudit()).rows;
    const inputs = Array.from({ length: 12 }, (_, i) => ({
      name: `Guest ${i}`,
      code: `${3000 + i * 111}`,
      lockIds: [i % 2 ? a.id : b.id],
    }));
    inputs[3] = { name: 'Same first four as Guest 1', code: '31115', lockIds: [a.id] };
    inputs[6] = { name: 'Not digits', code: '12a4', lockIds: [a.id] };
    inputs[8] = { name: 'No such lock', code: '9876', lockIds: ['lock_missing'] };
    inputs[10] = { name: 'Both locks', code: '5432', lockIds: [a.id, b.id] };

    const rs = await together(store, inputs);
    expect(rs.map((r) => (r instanceof KeywardError ? r.code : 'created'))).toEqual([
      'created',
      'created',
      'created',
      'BAD_INPUT',
      'created',
      'created',
      'BAD_INPUT',
      'created',
      'NOT_FOUND',
      'created',
      'created',
      'created',
    ]);
    const refused = rs[3] as KeywardError;
    expect(refused.message).toContain('Room 1');
    expect(refused.message).not.toMatch(/3111/);
    expect(refused.details?.rejected).toEqual([expect.objectContaining({ lockId: a.id })]);

    const ok = created(rs);
    expect(new Set(ok.map((c) => c.createdAt)).size).toBeLessThan(ok.length);
    for (const c of ok) {
      const i = rs.indexOf(c);
      expect((await store.getCredential(c.id, { reveal: true })).code).toBe(inputs[i]!.code);
    }
    const report = await store.verifyAudit();
    expect(report).toMatchObject({ ok: true, rows: auditBefore + ok.length });
    for (const lock of [a, b]) {
      const slots = (await liveOn(store, lock.id)).map((l) => l.slot);
      expect(new Set(slots).size).toBe(slots.length);
    }
  });

  it('checks each creation of a batch against the ones before it: prefixes, the 5-button pad, capacity', async () => {
    const store = await h.fresh(dialect, { now: () => T0 });
    const site = await store.addSite({ name: 'Office' });
    const pad = await store.addLock({ siteId: site.id, name: 'Side door', model: '910' });
    const door = await store.addLock({ siteId: site.id, name: 'Front door', model: '264' });
    const rs = await together(store, [
      { name: 'Ann', code: '1357', lockIds: [pad.id] },
      // The same buttons as 1357 on a 5-button keypad.
      { name: 'Ben', code: '2468', lockIds: [pad.id] },
      // 31 first-four digits, all different: the 31st finds every slot taken.
      ...Array.from({ length: 31 }, (_, i) => ({
        name: `Staff ${i}`,
        code: `${1000 + i * 37}`,
        lockIds: [door.id],
      })),
    ]);
    expect(rs[0]).not.toBeInstanceOf(KeywardError);
    expect((rs[1] as KeywardError).code).toBe('BAD_INPUT');
    expect((rs[1] as KeywardError).message).toContain('Side door');
    const staff = rs.slice(2);
    expect(created(staff)).toHaveLength(30);
    expect(staff[30]).toBeInstanceOf(KeywardError);
    expect((staff[30] as KeywardError).message).toMatch(/all 30 slots are taken/);
    const slots = created(staff)
      .map((c) => c.locks[0]!.slot)
      .sort((x, y) => x - y);
    expect(slots).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('refuses a code whose prefix the lock still remembers from a deleted code, and only that one', async () => {
    const store = await h.fresh(dialect, { now: () => T0 });
    const site = await store.addSite({ name: 'Cabin' });
    const lock = await store.addLock({ siteId: site.id, name: 'Porch', model: '264' });
    const model = getModel('264');
    const id = newId('del');
    await store.ctx.db
      .insertInto('deleted_codes')
      .values({
        id,
        lock_id: lock.id,
        code_enc: store.ctx.sealer.seal('724810', aad.deleted(id)),
        prefix_hash: store.ctx.sealer.prefixHash(lock.id, prefixKey('724810', model)),
        deleted_at: T0 - 1000,
      })
      .execute();
    const rs = await together(store, [
      { name: 'Ann', code: '4410', lockIds: [lock.id] },
      { name: 'Ben', code: '72489', lockIds: [lock.id] },
      { name: 'Cy', code: '5510', lockIds: [lock.id] },
    ]);
    expect(rs.map((r) => (r instanceof KeywardError ? r.code : 'created'))).toEqual([
      'created',
      'BAD_INPUT',
      'created',
    ]);
    expect((rs[1] as KeywardError).details?.rejected).toEqual([
      expect.objectContaining({ reasons: [expect.objectContaining({ rule: 'deleted-prefix' })] }),
    ]);
  });

  it('never lets two stores on one database both place clashing codes on a lock at the same moment', async () => {
    const db = await h.database(dialect);
    const one = await h.open(db.url, { now: () => T0 });
    const two = await h.open(db.url, { now: () => T0, actor: 'second-instance' });
    const site = await one.addSite({ name: 'Block' });
    const lock = await one.addLock({ siteId: site.id, name: 'Gate', model: '264' });
    // Ten prefixes, each wanted by both stores with a different fifth digit.
    const rs = await Promise.all([
      together(
        one,
        Array.from({ length: 10 }, (_, k) => ({
          name: `A${k}`,
          code: `${4000 + k * 7}1`,
          lockIds: [lock.id],
        })),
      ),
      together(
        two,
        Array.from({ length: 10 }, (_, k) => ({
          name: `B${k}`,
          code: `${4000 + k * 7}2`,
          lockIds: [lock.id],
        })),
      ),
    ]);
    for (let k = 0; k < 10; k++) {
      const won = [rs[0]![k], rs[1]![k]].filter((r) => !(r instanceof KeywardError));
      expect(won).toHaveLength(1);
    }
    const live = await liveOn(one, lock.id);
    expect(live).toHaveLength(10);
    expect(new Set(live.map((l) => l.slot)).size).toBe(10);
    expect((await one.verifyAudit()).ok).toBe(true);
  });
});
