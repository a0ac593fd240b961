import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { logged } from './audit-fixtures.js';
import { DIALECTS, Harness } from './dialects.js';

const h = new Harness();
afterEach(() => h.cleanup());

async function headValue(store: Store): Promise<string> {
  const row = await store.ctx.db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', 'audit_head')
    .executeTakeFirst();
  return row!.value;
}

async function lastRow(store: Store, seq: number) {
  return store.ctx.db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
}

describe.each(DIALECTS)('an audit log whose end cannot be cut off (%s)', (dialect) => {
  it('verifies an untouched log, across a reopen and further writes', async () => {
    const db = await h.database(dialect);
    const store = await h.open(db.url);
    expect(await store.verifyAudit()).toEqual({ ok: true, rows: 0, problems: [] });
    const siteId = await logged(store);
    await store.close();
    const again = await h.open(db.url);
    await again.addPerson({ name: 'Eve', siteId });
    expect(await again.verifyAudit()).toEqual({ ok: true, rows: 7, problems: [] });
  });

  it('seals, once, the head an earlier version wrote, and verifies that log from then on', async () => {
    const db = await h.database(dialect);
    const store = await h.open(db.url);
    const siteId = await logged(store);
    const { seq, hash } = JSON.parse(await headValue(store)) as { seq: number; hash: string };
    // As the version before sealed heads left it: seq and hash only.
    await store.ctx.db
      .updateTable('meta')
      .set({ value: JSON.stringify({ seq, hash }) })
      .where('key', '=', 'audit_head')
      .execute();
    await store.close();
    const again = await h.open(db.url);
    expect(JSON.parse(await headValue(again))).toHaveProperty('seal');
    await again.addPerson({ name: 'Eve', siteId });
    expect(await again.verifyAudit()).toEqual({ ok: true, rows: 7, problems: [] });
  });

  it('detects the tail cut off with the head pointed at the new last row, and keeps detecting it after new rows', async () => {
    const store = await h.fresh(dialect);
    const siteId = await logged(store);
    await store.ctx.db.deleteFrom('audit_log').where('seq', '>', 4).execute();
    const four = await lastRow(store, 4);
    const forged = JSON.stringify({ ...JSON.parse(await headValue(store)), seq: 4, hash: four.hash });
    await store.ctx.db.updateTable('meta').set({ value: forged }).where('key', '=', 'audit_head').execute();
    const r = await store.verifyAudit();
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { seq: 0, problem: 'head', message: expect.stringContaining('rows after row 4 may have been cut off') },
    ]);
    await store.addPerson({ name: 'Eve', siteId });
    expect((await store.verifyAudit()).problems).toMatchObject([{ seq: 0, problem: 'head' }]);
  });

  it('detects the tail cut off with the head left as it was, naming the missing rows', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    await store.ctx.db.deleteFrom('audit_log').where('seq', '>', 4).execute();
    expect((await store.verifyAudit()).problems).toMatchObject([
      { seq: 5, problem: 'removed' },
      { seq: 6, problem: 'removed' },
    ]);
  });

  it('detects the tail cut off together with the head row', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    await store.ctx.db.deleteFrom('audit_log').where('seq', '>', 4).execute();
    await store.ctx.db.deleteFrom('meta').where('key', '=', 'audit_head').execute();
    expect((await store.verifyAudit()).problems).toEqual([
      { seq: 0, problem: 'head', message: expect.stringContaining('head of the log is missing') },
    ]);
  });

  it('detects a wiped log, and keeps detecting it once Keyward writes again', async () => {
    const store = await h.fresh(dialect);
    const siteId = await logged(store);
    await store.ctx.db.deleteFrom('audit_log').execute();
    await store.ctx.db.deleteFrom('meta').where('key', '=', 'audit_head').execute();
    expect((await store.verifyAudit()).problems).toEqual([
      { seq: 0, problem: 'head', message: expect.stringContaining('whole audit log was wiped') },
    ]);
    await store.addPerson({ name: 'Eve', siteId });
    const after = await store.verifyAudit();
    expect(after.ok).toBe(false);
    expect(after.problems).toMatchObject([{ seq: 0, problem: 'head' }]);
  });

  it('still names a changed row and reordered rows, the head being intact', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    const db = store.ctx.db;
    await db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 2).execute();
    await db.updateTable('audit_log').set({ seq: 100 }).where('seq', '=', 4).execute();
    await db.updateTable('audit_log').set({ seq: 4 }).where('seq', '=', 5).execute();
    await db.updateTable('audit_log').set({ seq: 5 }).where('seq', '=', 100).execute();
    const r = await store.verifyAudit();
    expect(r.problems.map((p) => [p.seq, p.problem])).toEqual([
      [2, 'changed'],
      [4, 'reordered'],
      [5, 'reordered'],
    ]);
  });
  it('detects a row spliced in from another log kept under the same key', async () => {
    const store = await h.fresh(dialect);
    await logged(store);
    const other = await h.fresh(dialect);
    const site = await other.addSite({ name: 'Elsewhere' });
    await other.addLock({ siteId: site.id, name: 'Back', model: '264' });
    await other.addPerson({ name: 'Zed', siteId: site.id });
    // Row 3 of the other log has a valid MAC (same key) and the same seq, but follows another row 2.
    const foreign = await other.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    await store.ctx.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    await store.ctx.db.insertInto('audit_log').values(foreign).execute();
    const r = await store.verifyAudit();
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.seq)).toContain(3);
  });
});
