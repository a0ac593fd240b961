import type { Kysely, Migration } from 'kysely';

/**
 * Browser sign-in and the shared sign-in throttle (docs/http.md, "Signing in").
 * - sign_in_links: one-time links printed by `keyward serve`, kept as SHA-256 of the secret.
 * - sessions: browser sessions made by a link, kept as SHA-256 of the cookie's secret.
 * - sign_in_attempts: attempts per client address and time window, counted by every instance
 *   on the same database, so a burst spread over instances still meets one limit.
 */
export const signIn: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sign_in_links')
      .addColumn('secret_sha256', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('secret_sha256', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .execute();
    await db.schema
      .createTable('sign_in_attempts')
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('sign_in_attempts_pk', ['address', 'window_start'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['sign_in_attempts', 'sessions', 'sign_in_links']) await db.schema.dropTable(t).execute();
  },
};
