import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { logged } from './audit-fixtures.js';
import { DIALECTS, Harness } from './dialects.js';

/**
 * What `audit verify` says, word for word, for each kind of tampering: the mutation run
 * (npm run mutate) showed that the kinds were told apart but their messages, their order and the
 * head written after tampering were not pinned by any test.
 */
const h = new Harness();
afterEach(() => h.cleanup());

async function head(store: Store): Promise<{ seq: number; hash: string; seal?: string | null } | null> {
  const row = await store.ctx.db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', 'audit_head')
    .executeTakeFirst();
  return row ? JSON.parse(row.value) : null;
}

async function setHead(store: Store, value: unknown): Promise<void> {
  await store.ctx.db
    .updateTable('meta')
    .set({ value: JSON.stringify(value) })
    .where('key', '=', 'audit_head')
    .execute();
}

const rowHash = async (store: Store, seq: number) =>
  (await store.ctx.db.selectFrom('audit_log').select('hash').where('seq', '=', seq).executeTakeFirstOrThrow())
    .hash;

describe.each(DIALECTS)('audit verify, word for word (%s)', (dialect) => {
  it('seals the head with the "head" label over seq and hash', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    const hd = (await head(store))!;
    expect(hd).toEqual({
      seq: 6,
      hash: await rowHash(store, 6),
      seal: store.ctx.sealer.auditHash('head', `6:${await rowHash(store, 6)}`),
    });
  });

  it('names a removed row', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    await store.ctx.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
    expect((await store.verifyAudit()).problems).toEqual([
      { seq: 2, problem: 'removed', message: 'row 2 is missing: it was removed' },
    ]);
  });

  it('names a moved row with the place it was written at', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    await store.ctx.db.updateTable('audit_log').set({ seq: 100 }).where('seq', '=', 4).execute();
    await store.ctx.db.updateTable('audit_log').set({ seq: 4 }).where('seq', '=', 5).execute();
    await store.ctx.db.updateTable('audit_log').set({ seq: 5 }).where('seq', '=', 100).execute();
    expect((await store.verifyAudit()).problems).toEqual([
      { seq: 4, problem: 'reordered', message: 'row 4 is out of place: it was written as row 5' },
      { seq: 5, problem: 'reordered', message: 'row 5 is out of place: it was written as row 4' },
    ]);
  });

  it('names rows removed and the rest renumbered, listing problems in row order', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    const db = store.ctx.db;
    // Row 3 replaced by a row that verifies on its own but follows another row 2, and row 5 changed.
    const other = await h.fresh(dialect);
    await logged(other);
    await other.addPerson({ name: 'Zed' });
    const foreign = await other.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    await db.insertInto('audit_log').values(foreign).execute();
    await db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 5).execute();
    const r = await store.verifyAudit();
    expect(r.problems).toEqual([
      {
        seq: 3,
        problem: 'removed',
        message: 'the row written before row 3 is missing: rows were removed and the rest renumbered',
      },
      { seq: 5, problem: 'changed', message: 'row 5 was changed after it was written' },
    ]);
  });

  it('says from which row on the tail may be gone when the head was forged past the rows left', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    await store.ctx.db.deleteFrom('audit_log').where('seq', '>', 4).execute();
    await setHead(store, { ...(await head(store))!, seal: 'forged' });
    const r = await store.verifyAudit();
    expect(r.problems[0]).toEqual({
      seq: 0,
      problem: 'head',
      message:
        'the head of the log was changed (its seal does not match): rows after row 4 may have been cut off',
    });
    const empty = await h.fresh(dialect);
    await setHead(empty, { seq: 0, hash: '0'.repeat(64), seal: 'forged' });
    expect((await empty.verifyAudit()).problems[0]!.message).toContain(
      'rows after row 0 may have been cut off',
    );
  });

  it('names the last row when the head records another hash for it', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    await setHead(store, { seq: 6, hash: 'f'.repeat(64), seal: null });
    expect((await store.verifyAudit()).problems).toEqual([
      { seq: 0, problem: 'head', message: expect.stringContaining('its seal does not match') },
      { seq: 6, problem: 'changed', message: 'row 6 does not match the recorded head of the log' },
    ]);
  });

  it('still names a removed row when the head row is gone too', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    await store.ctx.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    await store.ctx.db.deleteFrom('meta').where('key', '=', 'audit_head').execute();
    expect((await store.verifyAudit()).problems.map((p) => [p.seq, p.problem])).toEqual([
      [0, 'head'],
      [3, 'removed'],
    ]);
  });

  it('writes an unsealed head that still counts the rows after a wipe, and a reopen does not seal it', async () => {
    const db = await h.database(dialect);
    const store = await h.open(db.url);
    const siteId = await logged(store);
    await store.ctx.db.deleteFrom('audit_log').execute();
    await store.ctx.db.deleteFrom('meta').where('key', '=', 'audit_head').execute();
    await store.addPerson({ name: 'Eve', siteId });
    await store.addPerson({ name: 'Fay', siteId });
    expect(await head(store)).toEqual({ seq: 2, hash: await rowHash(store, 2), seal: null });
    await store.close();
    const again = await h.open(db.url);
    expect((await head(again))!.seal).toBeNull();
    expect((await again.verifyAudit()).problems).toMatchObject([{ seq: 0, problem: 'head' }]);
  });
});
