/**
 * Every migration, in the order they run; migrations.ts holds their steps and must define
 * exactly these (its type says so). Apart from the steps so that a reader can tell whether the
 * schema is current without loading the query builder.
 */
export const MIGRATION_NAMES = [
  '0001_register',
  '0002_cleared',
  '0003_site_time_zone',
  '0004_status_covering',
  '0005_sync_tables',
  '0006_sign_in',
  '0007_site_check_times',
  '0008_activity',
  '0009_notifications',
  '0010_calendars',
] as const;

export type MigrationName = (typeof MIGRATION_NAMES)[number];

export function allApplied(applied: Iterable<string>): boolean {
  const done = new Set(applied);
  return MIGRATION_NAMES.every((name) => done.has(name));
}
