import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { KeywardError } from '../core/errors.js';
import { allApplied, type MigrationName } from './migration-names.js';
import { signIn } from './migration-steps/0006_sign_in.js';
import { siteCheckTimes } from './migration-steps/0007_site_check_times.js';
import { activityMigration } from './migration-steps/0008_activity.js';
import { notificationsMigration } from './migration-steps/0009_notifications.js';
import { calendarsMigration } from './migration-steps/0010_calendars.js';

/** One set of migrations for both dialects: only types both understand. */
export const MIGRATIONS: Record<MigrationName, Migration> = {
  '0001_register': {
    async up(db: Kysely<unknown>) {
      const id = (name: string) => db.schema.createTable(name).addColumn('id', 'text', (c) => c.primaryKey());
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await id('sites')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('tz_offset_minutes', 'integer', (c) => c.notNull())
        .addColumn('rotation', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await id('locks')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('driver', 'text', (c) => c.notNull())
        .addColumn('driver_config', 'text', (c) => c.notNull())
        .addColumn('programming_code_enc', 'text')
        .addColumn('volts_per_cell', 'double precision')
        .addColumn('battery_at', 'bigint')
        .addColumn('maintained_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('locks_site').on('locks').column('site_id').execute();
      await id('people')
        .addColumn('site_id', 'text', (c) => c.references('sites.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await id('credentials')
        .addColumn('person_id', 'text', (c) => c.references('people.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('code_enc', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint')
        .addColumn('ends_at', 'bigint')
        .addColumn('windows', 'text', (c) => c.notNull())
        .addColumn('use_limit', 'integer')
        .addColumn('uses', 'integer', (c) => c.notNull())
        .addColumn('rotation', 'text', (c) => c.notNull())
        .addColumn('code_set_at', 'bigint', (c) => c.notNull())
        .addColumn('rotate_due_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // `keyward status` reads only what ends or rotates soon; these keep it off a full scan.
      await db.schema
        .createIndex('credentials_ends')
        .on('credentials')
        .columns(['kind', 'ends_at'])
        .execute();
      await db.schema.createIndex('credentials_rotation').on('credentials').column('rotate_due_at').execute();
      await db.schema.createIndex('credentials_person').on('credentials').column('person_id').execute();
      await db.schema
        .createTable('credential_locks')
        .addColumn('credential_id', 'text', (c) => c.notNull().references('credentials.id'))
        .addColumn('lock_id', 'text', (c) => c.notNull().references('locks.id'))
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('prefix_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('credential_locks_pk', ['credential_id', 'lock_id'])
        .execute();
      await db.schema
        .createIndex('credential_locks_prefix')
        .on('credential_locks')
        .columns(['lock_id', 'prefix_hash'])
        .execute();
      await db.schema
        .createIndex('credential_locks_slot')
        .on('credential_locks')
        .columns(['lock_id', 'slot'])
        .execute();
      await db.schema
        .createTable('lock_slots')
        .addColumn('lock_id', 'text', (c) => c.notNull().references('locks.id'))
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('credential_id', 'text')
        .addColumn('code_enc', 'text')
        .addColumn('prefix_hash', 'text')
        .addColumn('unmanaged', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('last_used_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('lock_slots_pk', ['lock_id', 'slot'])
        .execute();
      await id('deleted_codes')
        .addColumn('lock_id', 'text', (c) => c.notNull().references('locks.id'))
        .addColumn('code_enc', 'text', (c) => c.notNull())
        .addColumn('prefix_hash', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('deleted_codes_prefix')
        .on('deleted_codes')
        .columns(['lock_id', 'prefix_hash'])
        .execute();
      await id('battery_readings')
        .addColumn('lock_id', 'text', (c) => c.notNull().references('locks.id'))
        .addColumn('volts_per_cell', 'double precision', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('battery_readings_lock')
        .on('battery_readings')
        .columns(['lock_id', 'at'])
        .execute();
      await id('api_tokens')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of [
        'audit_log',
        'api_tokens',
        'battery_readings',
        'deleted_codes',
        'lock_slots',
        'credential_locks',
        'credentials',
        'people',
        'locks',
        'sites',
        'meta',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  },
  /**
   * When a code came off its last lock. `keyward status` looks only at guests not yet cleared,
   * so finished stays (nearly every guest row, over time) cost it nothing.
   */
  '0002_cleared': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('credentials').addColumn('cleared_at', 'bigint').execute();
      // Superseded: it led the planner through every finished stay.
      await db.schema.dropIndex('credentials_ends').execute();
      await db.schema
        .createIndex('credentials_guests_open')
        .on('credentials')
        .column('ends_at')
        .where(sql.ref('kind'), '=', 'guest')
        .where(sql.ref('cleared_at'), 'is', null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('credentials_guests_open').execute();
      await db.schema
        .createIndex('credentials_ends')
        .on('credentials')
        .columns(['kind', 'ends_at'])
        .execute();
      await db.schema.alterTable('credentials').dropColumn('cleared_at').execute();
    },
  },
  /**
   * A site may name its IANA time zone: weekly windows then follow its clock changes. Sites
   * without one keep their fixed offset.
   */
  '0003_site_time_zone': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sites').addColumn('time_zone', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('sites').dropColumn('time_zone').execute();
    },
  },
  /**
   * `keyward status` reads every column it needs from these indexes instead of table rows
   * scattered over the whole table, one or two per due code (a fresh process pays for each page
   * it touches). The columns are status.ts's, listed here as they were when this ran. Plain key
   * columns rather than PostgreSQL's INCLUDE: one definition for both dialects. A name is at
   * most 200 characters, well inside an index entry.
   */
  '0004_status_covering': {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('credentials_guests_open').execute();
      await db.schema
        .createIndex('credentials_guests_open')
        .on('credentials')
        .columns(['ends_at', 'id', 'name', 'kind', 'code_set_at', 'rotation', 'revoked_at', 'cleared_at'])
        .where(sql.ref('kind'), '=', 'guest')
        .where(sql.ref('cleared_at'), 'is', null)
        .execute();
      await db.schema.dropIndex('credentials_rotation').execute();
      await db.schema
        .createIndex('credentials_rotation')
        .on('credentials')
        .columns(['rotate_due_at', 'revoked_at', 'id', 'name', 'kind', 'ends_at', 'code_set_at', 'rotation'])
        .execute();
      // Which credentials some lock may still hold, answered from the index alone (SQLite reads
      // the status from the index too, not from the predicate).
      await db.schema
        .createIndex('credential_locks_open')
        .on('credential_locks')
        .columns(['credential_id', 'status'])
        .where(sql.ref('status'), '<>', 'removed')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('credential_locks_open').execute();
      await db.schema.dropIndex('credentials_guests_open').execute();
      await db.schema
        .createIndex('credentials_guests_open')
        .on('credentials')
        .column('ends_at')
        .where(sql.ref('kind'), '=', 'guest')
        .where(sql.ref('cleared_at'), 'is', null)
        .execute();
      await db.schema.dropIndex('credentials_rotation').execute();
      await db.schema.createIndex('credentials_rotation').on('credentials').column('rotate_due_at').execute();
    },
  },
  /**
   * The reconciler's tables, created until now by the reconciler itself when it started ("if
   * missing"). As a migration they exist in every opened store; a database where the reconciler
   * already made them keeps them and their rows (every step says "if not exists"). Columns as
   * they were when this ran.
   */
  '0005_sync_tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sync_ops')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('lock_id', 'text', (c) => c.notNull())
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('credential_id', 'text')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sync_ops_lock').ifNotExists().on('sync_ops').column('lock_id').execute();
      await db.schema
        .createTable('sync_slots')
        .ifNotExists()
        .addColumn('lock_id', 'text', (c) => c.notNull())
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('suspended', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addPrimaryKeyConstraint('sync_slots_pk', ['lock_id', 'slot'])
        .execute();
      await db.schema
        .createTable('sync_locks')
        .ifNotExists()
        .addColumn('lock_id', 'text', (c) => c.primaryKey())
        .addColumn('read_at', 'bigint')
        .addColumn('checksum', 'text')
        .addColumn('verified_at', 'bigint')
        .addColumn('reread', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('sync_leases')
        .ifNotExists()
        .addColumn('site_id', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('manual_sessions')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('lock_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('body_enc', 'text', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('manual_sessions_lock')
        .ifNotExists()
        .on('manual_sessions')
        .column('lock_id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['manual_sessions', 'sync_leases', 'sync_locks', 'sync_slots', 'sync_ops'])
        await db.schema.dropTable(t).ifExists().execute();
    },
  },
  '0006_sign_in': signIn,
  '0007_site_check_times': siteCheckTimes,
  '0008_activity': activityMigration,
  '0009_notifications': notificationsMigration,
  '0010_calendars': calendarsMigration,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * True when every migration is already applied. Kysely's Migrator introspects every table before
 * it looks at its own list; on the usual start, with nothing to do, one query answers instead.
 */
async function upToDate<T>(db: Kysely<T>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    return allApplied(rows.map((r) => r.name));
  } catch {
    return false; // a new database: no migration table yet
  }
}

export async function migrate<T>(db: Kysely<T>): Promise<void> {
  if (await upToDate(db)) return;
  const { error, results } = await new Migrator({
    db,
    provider,
    // Migrations are written on parallel branches and merged in any order: one a database has
    // not run yet is run even when a later-named one already has been (each is independent).
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new KeywardError(
      'STORE_FAILED',
      `migration ${failed} failed: ${(error as Error).message ?? error}`,
    );
  }
}
