import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from '../../src/store/migration-names.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { DIALECTS, Harness } from './dialects.js';

const h = new Harness();
afterEach(() => h.cleanup());

describe.each(DIALECTS)('the sync tables as migration 0005 (%s)', (dialect) => {
  it('exist in a newly opened store, before any reconciler has run', async () => {
    const store = await h.fresh(dialect);
    for (const t of ['sync_ops', 'sync_slots', 'sync_locks', 'sync_leases', 'manual_sessions'] as const)
      expect(await store.ctx.db.selectFrom(t).selectAll().execute()).toEqual([]);
  });

  it('are adopted with their rows by a database whose reconciler created them before the migration existed', async () => {
    const db = await h.database(dialect);
    const first = await h.open(db.url);
    const site = await first.addSite({ name: 'Cabins' });
    const lock = await first.addLock({ siteId: site.id, name: 'Front', model: '916' });
    await first.ctx.db
      .insertInto('sync_ops')
      .values({ id: 'op1', lock_id: lock.id, slot: 3, kind: 'add', credential_id: null, started_at: 5 })
      .execute();
    await first.ctx.db
      .insertInto('sync_locks')
      .values({ lock_id: lock.id, read_at: 7, checksum: '1234', verified_at: 8, reread: 0 })
      .execute();
    await first.ctx.db
      .insertInto('sync_leases')
      .values({ site_id: site.id, holder: 'a', expires_at: 9 })
      .execute();
    // As such a database looks: the tables are there, the migration that makes them has not run,
    // nor any after it (undone, newest first).
    for (const name of [...MIGRATION_NAMES].reverse().filter((n) => n > '0005_sync_tables')) {
      await MIGRATIONS[name].down!(first.ctx.db as never);
      await sql`delete from kysely_migration where name = ${name}`.execute(first.ctx.db);
    }
    await sql`delete from kysely_migration where name = '0005_sync_tables'`.execute(first.ctx.db);
    await first.close();

    const again = await h.open(db.url);
    const ran = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      again.ctx.db,
    );
    expect(ran.rows.map((r) => r.name)).toContain('0005_sync_tables');
    expect(await again.ctx.db.selectFrom('sync_ops').select(['id', 'slot', 'kind']).execute()).toEqual([
      { id: 'op1', slot: 3, kind: 'add' },
    ]);
    expect(await again.ctx.db.selectFrom('sync_locks').select(['lock_id', 'checksum']).execute()).toEqual([
      { lock_id: lock.id, checksum: '1234' },
    ]);
    expect(await again.ctx.db.selectFrom('sync_leases').select('holder').execute()).toEqual([
      { holder: 'a' },
    ]);
  });
});
