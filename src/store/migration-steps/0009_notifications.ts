import type { Kysely, Migration } from 'kysely';

/**
 * Notifications (src/notify): subscriptions, the outbox of deliveries written in the same
 * transaction as the events they carry, and each delivery's attempts. A worker claims due rows
 * by lease (lease_holder, lease_until), so several instances never send one twice and a crash
 * leaves the row to be claimed again. Columns as they were when this ran.
 */
export const notificationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text')
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('lock_ids', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_holder', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('done_at', 'bigint')
      .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
    await db.schema
      .createIndex('outbox_subscription')
      .on('outbox')
      .columns(['subscription_id', 'created_at', 'id'])
      .execute();
    await db.schema
      .createTable('outbox_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('outbox_attempts_delivery')
      .on('outbox_attempts')
      .columns(['delivery_id', 'at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['outbox_attempts', 'outbox', 'subscriptions']) await db.schema.dropTable(t).execute();
  },
};
