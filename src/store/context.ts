import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { KeywardError } from '../core/errors.js';
import { redactUrlsDeep } from '../core/radio/address.js';
import { type AuditEntry, appendAudit } from './audit.js';
import type { Dialect } from './connect.js';
import type { Database, Trx } from './schema.js';
import type { Sealer } from './secrets.js';

/** What every store module needs: the database, the key, the clock and who is acting. */
export interface StoreContext {
  db: Kysely<Database>;
  dialect: Dialect;
  sealer: Sealer;
  now: () => number;
  actor: string;
}

// Declared beside the tables (bulk.ts needs it, and context.ts needs bulk.ts through audit.ts).
export type { Trx };

/**
 * Records one audit row of the current transaction (written, chained, just before it commits).
 * The actor defaults to the context's; a transaction made of several callers' changes names each.
 */
export type AuditFn = (entry: Omit<AuditEntry, 'actor'> & { actor?: string }) => Promise<void>;

/** Short random ids with a prefix naming the kind of record (lock_..., cred_...). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

/** AAD strings: each ciphertext is bound to the one field it was written for. */
export const aad = {
  credential: (id: string) => `credential:${id}`,
  programming: (lockId: string) => `lock:${lockId}:programming`,
  deleted: (id: string) => `deleted:${id}`,
  slot: (lockId: string, slot: number) => `slot:${lockId}:${slot}`,
};

/**
 * One change = one transaction, audit rows included: a crash leaves the change and its audit
 * rows together or neither. The rows are appended once the change is done, in one go, so the
 * audit head is read, locked and moved once per transaction and held only until the commit.
 * Database faults that are not ours become STORE_FAILED.
 */
export async function change<T>(ctx: StoreContext, fn: (trx: Trx, audit: AuditFn) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const at = ctx.now();
      const entries: AuditEntry[] = [];
      const result = await fn(trx, async (entry) => {
        // No server password reaches the log, whatever a caller put in the row (address.ts).
        entries.push({ ...redactUrlsDeep(entry), actor: entry.actor ?? ctx.actor });
      });
      await appendAudit(trx, ctx.dialect, ctx.sealer, at, entries);
      return result;
    });
  } catch (e) {
    throw storeError(e);
  }
}

export function storeError(e: unknown): Error {
  if (e instanceof KeywardError) return e;
  const message = (e as Error)?.message ?? String(e);
  // Two writers appending to the audit log or racing on a key: the loser retries by hand.
  // The database's own words stay in the cause: the server logs them, the CLI prints them, and
  // no HTTP answer carries them (they can name tables, columns and values).
  if (/unique|duplicate key|SQLITE_BUSY|could not serialize/i.test(message)) {
    return new KeywardError(
      'CONFLICT',
      'another change was written at the same time: try again',
      undefined,
      e,
    );
  }
  return new KeywardError(
    'STORE_FAILED',
    'the database could not complete the change: try again',
    undefined,
    e,
  );
}

type Versioned = 'sites' | 'locks' | 'people' | 'credentials';

/**
 * Optimistic concurrency: the row is updated only if its version is still the one the caller
 * read. Zero rows updated means someone else got there first (or the row is gone).
 */
export async function bumpVersion(trx: Trx, table: Versioned, id: string, expected: number): Promise<number> {
  const r = await trx
    .updateTable(table)
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return expected + 1;
  const exists = await trx.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst();
  if (!exists)
    throw new KeywardError(
      'NOT_FOUND',
      `no ${table.replace(/s$/, '').replace('people', 'person')} with id ${id}`,
    );
  throw new KeywardError(
    'CONFLICT',
    `${id} changed since it was read (version ${exists.version}, expected ${expected}): read it again and retry`,
  );
}

/** A name a person gave: trimmed, 1-200 characters. */
export function requireName(name: string, what: string): string {
  const n = name.trim();
  if (!n || n.length > 200) throw new KeywardError('BAD_INPUT', `${what} name must be 1-200 characters`);
  return n;
}

export function notFound(what: string, id: string): KeywardError {
  return new KeywardError('NOT_FOUND', `no ${what} with id ${id}`);
}
