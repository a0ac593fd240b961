import type { Kysely, Migration } from 'kysely';

/**
 * Booking calendars (issue 16 §2): each calendar's address, the locks its bookings open and how
 * its fetches went; one row per booking it has seen, naming the credential made for it; and a
 * lease per calendar so that, with several instances on one database, one fetches it at a time.
 * Lock ids are a JSON list: a calendar names a handful, and only this module reads them.
 */
export const calendarsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('calendars')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('lock_ids', 'text', (c) => c.notNull())
      // Null: the site's check-in and check-out times (0007_site_check_times).
      .addColumn('check_in_time', 'text')
      .addColumn('check_out_time', 'text')
      .addColumn('buffer_before_minutes', 'integer', (c) => c.notNull())
      .addColumn('buffer_after_minutes', 'integer', (c) => c.notNull())
      .addColumn('code_from', 'text', (c) => c.notNull())
      .addColumn('refresh_minutes', 'integer', (c) => c.notNull())
      .addColumn('misses_before_cancel', 'integer', (c) => c.notNull())
      .addColumn('etag', 'text')
      .addColumn('last_modified', 'text')
      .addColumn('last_fetch_at', 'bigint')
      .addColumn('last_success_at', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('next_fetch_at', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('calendars_due').on('calendars').column('next_fetch_at').execute();
    await db.schema
      .createTable('calendar_bookings')
      .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('uid', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('end_date', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .addColumn('credential_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('problem', 'text')
      .addColumn('misses', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('calendar_bookings_pk', ['calendar_id', 'key'])
      .execute();
    await db.schema
      .createIndex('calendar_bookings_credential')
      .on('calendar_bookings')
      .column('credential_id')
      .execute();
    await db.schema
      .createTable('calendar_leases')
      .addColumn('calendar_id', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['calendar_leases', 'calendar_bookings', 'calendars'])
      await db.schema.dropTable(t).ifExists().execute();
  },
};
