import type { Kysely } from 'kysely';
import type { StoreContext, Trx } from './context.js';
import type { Database } from './schema.js';

/**
 * What the reconciler (src/sync) keeps beside the register: intents written before a frame is
 * sent, per-slot failure counts and suspensions, what was last verified on each lock, site
 * leases and manual sessions. Its own tables, created if missing, so the register's migrations
 * stay as they are.
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

export interface SyncDatabase extends Database {
  sync_ops: SyncOpTable;
  sync_slots: SyncSlotTable;
  sync_locks: SyncLockTable;
  sync_leases: SyncLeaseTable;
  manual_sessions: ManualSessionTable;
}

export type SyncDb = Kysely<SyncDatabase>;
export type SyncTrx = Trx & Kysely<SyncDatabase>;

export function syncDb(ctx: StoreContext): SyncDb {
  return ctx.db as unknown as SyncDb;
}

export function syncTrx(trx: Trx): SyncTrx {
  return trx as unknown as SyncTrx;
}
