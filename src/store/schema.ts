import type { Transaction } from 'kysely';

/**
 * Table shapes as Kysely sees them. Times are milliseconds since the epoch (bigint columns, read
 * back as numbers on both dialects); flags are 0/1 integers so rows compare equal across dialects.
 */
export interface MetaTable {
  key: string;
  value: string;
}

export interface SiteTable {
  id: string;
  name: string;
  tz_offset_minutes: number;
  /** IANA name (e.g. America/New_York); null: the fixed offset above. */
  time_zone: string | null;
  rotation: string;
  version: number;
  created_at: number;
  /** "HH:MM", the site's local time (0007_site_check_times); defaults 16:00 and 11:00. */
  check_in_time?: string;
  check_out_time?: string;
}

export interface LockTable {
  id: string;
  site_id: string;
  name: string;
  model: string;
  driver: string;
  driver_config: string;
  programming_code_enc: string | null;
  volts_per_cell: number | null;
  battery_at: number | null;
  maintained_at: number;
  version: number;
  created_at: number;
}

export interface PersonTable {
  id: string;
  site_id: string | null;
  name: string;
  version: number;
  created_at: number;
}

export interface CredentialTable {
  id: string;
  person_id: string | null;
  name: string;
  kind: string;
  code_enc: string;
  starts_at: number | null;
  ends_at: number | null;
  windows: string;
  use_limit: number | null;
  uses: number;
  rotation: string;
  code_set_at: number;
  rotate_due_at: number | null;
  revoked_at: number | null;
  version: number;
  created_at: number;
  /** Every assignment is "removed": the code is on no lock any more. */
  cleared_at: number | null;
}

/** Desired: which credential belongs in which slot of which lock, and how far it got. */
export interface CredentialLockTable {
  credential_id: string;
  lock_id: string;
  slot: number;
  prefix_hash: string;
  status: string;
  error: string | null;
  updated_at: number;
  /** Set when an edit took the code off this lock only (0007): the lock treats it as revoked. */
  dropped_at?: number | null;
}

/** Reported: what the lock says each slot holds, including codes Keyward did not put there. */
export interface LockSlotTable {
  lock_id: string;
  slot: number;
  status: string;
  credential_id: string | null;
  code_enc: string | null;
  prefix_hash: string | null;
  unmanaged: number;
  error: string | null;
  last_used_at: number | null;
  updated_at: number;
}

/** Guide: deleted codes keep their prefix reserved until a factory reset. */
export interface DeletedCodeTable {
  id: string;
  lock_id: string;
  code_enc: string;
  prefix_hash: string;
  deleted_at: number;
}

export interface BatteryReadingTable {
  id: string;
  lock_id: string;
  volts_per_cell: number;
  at: number;
}

export interface ApiTokenTable {
  id: string;
  name: string;
  token_sha256: string;
  role: string;
  created_at: number;
  revoked_at: number | null;
}

export interface AuditTable {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/**
 * What the reconciler keeps beside the register (migration 0005): intents written before a frame
 * is sent, per-slot failure counts and suspensions, what was last read and verified on each lock,
 * site leases between instances, and manual guide sessions.
 */
export interface SyncOpTable {
  id: string;
  lock_id: string;
  /** 0: the programming code. */
  slot: number;
  /** add | delete | set-programming | verify | keypad-added (read the slot back: see Intent). */
  kind: string;
  credential_id: string | null;
  started_at: number;
}

export interface SyncSlotTable {
  lock_id: string;
  slot: number;
  failures: number;
  next_attempt_at: number;
  suspended: number;
  last_error: string | null;
}

export interface SyncLockTable {
  lock_id: string;
  /** Null: the lock's slots were never read, or a report (all codes deleted) made them unknown. */
  read_at: number | null;
  checksum: string | null;
  verified_at: number | null;
  /** 1: read every slot again (checksum changed, or the lock deleted all codes). */
  reread: number;
}

export interface SyncLeaseTable {
  site_id: string;
  holder: string;
  expires_at: number;
}

export interface ManualSessionTable {
  id: string;
  lock_id: string;
  status: string;
  /** The ops and their guide steps: they carry codes, so sealed. */
  body_enc: string;
  step: number;
  note: string | null;
  created_at: number;
  updated_at: number;
}

export interface Database {
  meta: MetaTable;
  sites: SiteTable;
  locks: LockTable;
  people: PersonTable;
  credentials: CredentialTable;
  credential_locks: CredentialLockTable;
  lock_slots: LockSlotTable;
  deleted_codes: DeletedCodeTable;
  battery_readings: BatteryReadingTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditTable;
  sync_ops: SyncOpTable;
  sync_slots: SyncSlotTable;
  sync_locks: SyncLockTable;
  sync_leases: SyncLeaseTable;
  manual_sessions: ManualSessionTable;
  sign_in_links: SignInLinkTable;
  sessions: SessionTable;
  sign_in_attempts: SignInAttemptTable;
  activity: ActivityTable;
  subscriptions: SubscriptionTable;
  outbox: OutboxTable;
  outbox_attempts: OutboxAttemptTable;
  calendars: CalendarTable;
  calendar_bookings: CalendarBookingTable;
  calendar_leases: CalendarLeaseTable;
}

/** A transaction over the register's tables: what every write of the store runs in. */
export type Trx = Transaction<Database>;

/** Every table in the order that satisfies foreign keys (backup and restore walk it). */
export const TABLES = [
  'meta',
  'sites',
  'locks',
  'people',
  'credentials',
  'credential_locks',
  'lock_slots',
  'deleted_codes',
  'battery_readings',
  'api_tokens',
  'audit_log',
] as const satisfies readonly (keyof Database)[];

export type TableName = (typeof TABLES)[number];

/** Primary-key columns, for a stable dump order. */
export const KEYS: Record<TableName, string[]> = {
  meta: ['key'],
  sites: ['id'],
  locks: ['id'],
  people: ['id'],
  credentials: ['id'],
  credential_locks: ['credential_id', 'lock_id'],
  lock_slots: ['lock_id', 'slot'],
  deleted_codes: ['id'],
  battery_readings: ['id'],
  api_tokens: ['id'],
  audit_log: ['seq'],
};

/** One-time sign-in links (0006_sign_in): only the SHA-256 of the secret is kept. */
export interface SignInLinkTable {
  secret_sha256: string;
  role: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Browser sessions (0006_sign_in): only the SHA-256 of the cookie's secret is kept. */
export interface SessionTable {
  id: string;
  secret_sha256: string;
  role: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

/** Sign-in attempts per client address and window, shared by every instance (0006_sign_in). */
export interface SignInAttemptTable {
  address: string;
  window_start: number;
  attempts: number;
}

/** One event of a lock or of sync (migration 0008): append-only; never a code's digits. */
export interface ActivityTable {
  id: string;
  at: number;
  type: string;
  lock_id: string | null;
  credential_id: string | null;
  person_id: string | null;
  slot: number | null;
  /** JSON object. */
  detail: string;
}

/** Who is told of which events, and how (migration 0009). */
export interface SubscriptionTable {
  id: string;
  name: string;
  channel: string;
  /** The webhook or ntfy URL, or the e-mail address. */
  target: string;
  /** The webhook's signing secret, sealed. */
  secret_enc: string | null;
  /** JSON array of event types; ["*"]: every type. */
  events: string;
  /** JSON array of lock ids; null: every lock. */
  lock_ids: string | null;
  enabled: number;
  disabled_reason: string | null;
  created_at: number;
}

/** One delivery of one event (or a test) to one subscription (migration 0009). */
export interface OutboxTable {
  id: string;
  subscription_id: string;
  event_id: string | null;
  kind: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_holder: string | null;
  lease_until: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  done_at: number | null;
}

export interface OutboxAttemptTable {
  id: string;
  delivery_id: string;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** Booking calendars (migration 0010): an ICS address and the locks its bookings open. */
export interface CalendarTable {
  id: string;
  name: string;
  url: string;
  /** JSON array of lock ids. */
  lock_ids: string;
  /** "HH:MM" in the site's zone, for all-day bookings; null: the site's own times. */
  check_in_time: string | null;
  check_out_time: string | null;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  /** phone-last-4 | generate */
  code_from: string;
  refresh_minutes: number;
  misses_before_cancel: number;
  etag: string | null;
  last_modified: string | null;
  last_fetch_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  /** Failed fetches in a row. */
  failures: number;
  next_fetch_at: number;
  version: number;
  created_at: number;
}

/** One booking a calendar has shown, and the credential made for it. */
export interface CalendarBookingTable {
  calendar_id: string;
  key: string;
  uid: string;
  summary: string;
  name: string;
  /** The stay's first and last calendar days as the feed gave them (YYYY-MM-DD). */
  start_date: string;
  end_date: string;
  starts_at: number;
  ends_at: number;
  credential_id: string | null;
  /** active | cancelled | ended | failed */
  status: string;
  problem: string | null;
  /** Fetches in a row that did not show it. */
  misses: number;
  updated_at: number;
}

export interface CalendarLeaseTable {
  calendar_id: string;
  holder: string;
  expires_at: number;
}
