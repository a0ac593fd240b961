import type { Kysely, Migration } from 'kysely';

/**
 * Activity: every event of the locks and of sync, append-only (src/activity). Read newest first
 * by lock, credential, person, type or none of them, each through an index ending in (at, id),
 * so a page of the activity costs the same with a million rows as with ten. Columns as they were
 * when this ran.
 */
export const activityMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('activity')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('lock_id', 'text')
      .addColumn('credential_id', 'text')
      .addColumn('person_id', 'text')
      .addColumn('slot', 'integer')
      .addColumn('detail', 'text', (c) => c.notNull())
      .execute();
    const index = (name: string, first: string | null) =>
      db.schema
        .createIndex(name)
        .on('activity')
        .columns(first ? [first, 'at', 'id'] : ['at', 'id'])
        .execute();
    await index('activity_at', null);
    await index('activity_lock', 'lock_id');
    await index('activity_credential', 'credential_id');
    await index('activity_person', 'person_id');
    await index('activity_type', 'type');
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('activity').execute();
  },
};
