import type { Kysely, Migration } from 'kysely';

/**
 * Each site's check-in and check-out times ("16:00", "11:00", local to the site): a guest's
 * arrival and departure default to them. Existing sites get the usual hours.
 *
 * With them, for the same work (changing a stay in place): when an edit takes a code off one of
 * its locks, `credential_locks.dropped_at` says since when, so that lock treats the code as
 * revoked while its other locks keep it.
 */
export const siteCheckTimes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('sites')
      .addColumn('check_in_time', 'text', (c) => c.notNull().defaultTo('16:00'))
      .execute();
    await db.schema
      .alterTable('sites')
      .addColumn('check_out_time', 'text', (c) => c.notNull().defaultTo('11:00'))
      .execute();
    await db.schema.alterTable('credential_locks').addColumn('dropped_at', 'bigint').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('credential_locks').dropColumn('dropped_at').execute();
    await db.schema.alterTable('sites').dropColumn('check_out_time').execute();
    await db.schema.alterTable('sites').dropColumn('check_in_time').execute();
  },
};
