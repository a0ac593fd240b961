import type { Kysely, Transaction } from 'kysely';
import { insertRows } from './bulk.js';
import type { Dialect } from './connect.js';
import type { AuditProblemKind } from './kinds.js';
import type { AuditTable, Database } from './schema.js';
import type { Sealer } from './secrets.js';

export interface AuditEntry {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** Never a code: audit rows are read by people who may not see codes. */
  detail?: Record<string, unknown>;
}

/** The meta row holding the head of the log. */
export const AUDIT_HEAD_KEY = 'audit_head';
const AUDIT_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'subject_type',
  'subject_id',
  'detail',
  'prev_hash',
  'hash',
] as const satisfies ReadonlyArray<keyof AuditTable>;
const GENESIS = '0'.repeat(64);

interface Head {
  /** How many rows were ever written: it only grows. */
  seq: number;
  hash: string;
  /**
   * A MAC of seq and hash under the audit key. The last row's seq and hash can be read by anyone
   * with the database; without the seal, cutting rows off the end and pointing the head at the
   * new last row (or wiping the log and its head) would leave a chain that verifies.
   */
  seal?: string | null;
}

function sealHead(sealer: Sealer, seq: number, hash: string): Head {
  // "head" is never a row's previous hash (those are 64 hex digits): no row MAC equals a seal.
  return { seq, hash, seal: sealer.auditHash('head', `${seq}:${hash}`) };
}

function headSealed(sealer: Sealer, head: Head): boolean {
  return head.seal !== undefined && head.seal === sealHead(sealer, head.seq, head.hash).seal;
}

/** A head written before heads were sealed: it has no seal at all (a broken one has `null`). */
function legacy(head: Head): boolean {
  return !('seal' in head);
}

/**
 * Seals the head an earlier version of Keyward wrote (its stored value, read with the key
 * check), once, when this version opens the database; the chain below it is verified as before.
 */
export async function sealLegacyHead(db: Kysely<Database>, sealer: Sealer, value: string): Promise<void> {
  const head = JSON.parse(value) as Head;
  if (!legacy(head)) return;
  await db
    .updateTable('meta')
    .set({ value: JSON.stringify(sealHead(sealer, head.seq, head.hash)) })
    .where('key', '=', AUDIT_HEAD_KEY)
    .where('value', '=', value)
    .execute();
}

/**
 * The head of an empty log, written when a database is created: from then on a missing head
 * means the log was wiped.
 */
export async function startAudit(db: Kysely<Database>, sealer: Sealer): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key: AUDIT_HEAD_KEY, value: JSON.stringify(sealHead(sealer, 0, GENESIS)) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

function payload(row: Omit<AuditTable, 'hash'>): string {
  return JSON.stringify([
    row.seq,
    row.at,
    row.actor,
    row.action,
    row.subject_type,
    row.subject_id,
    row.detail,
    row.prev_hash,
  ]);
}

/**
 * Appends rows, chained in the order given, inside the caller's transaction: one read of the
 * head, one insert, one head update however many rows. The head (last seq and hash) lives in
 * meta: on PostgreSQL the row lock on it orders concurrent writers; SQLite writers are serial
 * anyway. The head also lets verify notice rows cut off the end of the log.
 */
export async function appendAudit(
  trx: Transaction<Database>,
  dialect: Dialect,
  sealer: Sealer,
  at: number,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  let q = trx.selectFrom('meta').select('value').where('key', '=', AUDIT_HEAD_KEY);
  if (dialect === 'postgres') q = q.forUpdate();
  const found = await q.executeTakeFirst();
  const head: Head = found ? (JSON.parse(found.value) as Head) : { seq: 0, hash: GENESIS };
  // A head that lost its seal (cut off, wiped, rewritten outside Keyward) passes that on: sealing
  // the next head would launder the tampering, so the log stays marked until someone looks.
  const sealed = found !== undefined && (legacy(head) || headSealed(sealer, head));
  const rows: AuditTable[] = [];
  for (const entry of entries) {
    const row = {
      seq: head.seq + 1,
      at,
      actor: entry.actor,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      detail: JSON.stringify(entry.detail ?? {}),
      prev_hash: head.hash,
    };
    head.seq = row.seq;
    head.hash = sealer.auditHash(row.prev_hash, payload(row));
    rows.push({ ...row, hash: head.hash });
  }
  await insertRows(
    trx,
    dialect,
    'audit_log',
    AUDIT_COLUMNS,
    rows.map((r) => AUDIT_COLUMNS.map((c) => r[c])),
  );
  const value = JSON.stringify(
    sealed ? sealHead(sealer, head.seq, head.hash) : { seq: head.seq, hash: head.hash, seal: null },
  );
  if (found) await trx.updateTable('meta').set({ value }).where('key', '=', AUDIT_HEAD_KEY).execute();
  else await trx.insertInto('meta').values({ key: AUDIT_HEAD_KEY, value }).execute();
}

export interface AuditProblem {
  /** The row concerned (for a removed row: the seq that is missing). */
  seq: number;
  problem: AuditProblemKind;
  message: string;
}

export interface AuditReport {
  ok: boolean;
  rows: number;
  problems: AuditProblem[];
}

/**
 * Walks the chain and names every row that was changed, removed or moved. The hash links give
 * the order rows were written in, so a row whose hash only verifies under another seq was moved.
 */
export async function verifyAudit(db: Kysely<Database>, sealer: Sealer): Promise<AuditReport> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const headRow = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', AUDIT_HEAD_KEY)
    .executeTakeFirst();
  const head: Head = headRow ? (JSON.parse(headRow.value) as Head) : { seq: 0, hash: GENESIS };
  const problems = new Map<number, AuditProblem>();
  const last = rows[rows.length - 1];
  // The head is checked first: a missing or forged one means the end of the log cannot be
  // trusted, and the rows it should have counted may be gone without a trace.
  if (!headRow)
    problems.set(0, {
      seq: 0,
      problem: 'head',
      message:
        rows.length === 0
          ? 'the log and its head are missing: the whole audit log was wiped'
          : `the head of the log is missing: rows after row ${last!.seq} may have been cut off`,
    });
  else if (!headSealed(sealer, head))
    problems.set(0, {
      seq: 0,
      problem: 'head',
      message: `the head of the log was changed (its seal does not match): rows after row ${Math.min(head.seq, last?.seq ?? 0)} may have been cut off`,
    });
  const macOk = (r: AuditTable, seq: number) =>
    sealer.auditHash(r.prev_hash, payload({ ...r, seq })) === r.hash;
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const top = Math.max(head.seq, last?.seq ?? 0);
  for (let s = 1; s <= top; s++) {
    if (!bySeq.has(s))
      problems.set(s, { seq: s, problem: 'removed', message: `row ${s} is missing: it was removed` });
  }
  // Written order: follow the links from the start of the chain.
  const byPrev = new Map(rows.map((r) => [r.prev_hash, r]));
  const writtenAt = new Map<AuditTable, number>();
  for (let h = GENESIS, pos = 1; ; pos++) {
    const r = byPrev.get(h);
    if (!r || writtenAt.has(r)) break;
    writtenAt.set(r, pos);
    h = r.hash;
  }
  const valid = new Set<AuditTable>();
  for (const r of rows) {
    if (macOk(r, r.seq)) {
      valid.add(r);
      continue;
    }
    const original = writtenAt.get(r);
    if (original !== undefined && original !== r.seq && macOk(r, original)) {
      problems.set(r.seq, {
        seq: r.seq,
        problem: 'reordered',
        message: `row ${r.seq} is out of place: it was written as row ${original}`,
      });
    } else {
      problems.set(r.seq, {
        seq: r.seq,
        problem: 'changed',
        message: `row ${r.seq} was changed after it was written`,
      });
    }
  }
  for (const r of rows) {
    if (!valid.has(r) || problems.has(r.seq - 1)) continue;
    const before = r.seq === 1 ? GENESIS : bySeq.get(r.seq - 1)?.hash;
    if (before === undefined || before === r.prev_hash) continue;
    problems.set(r.seq, {
      seq: r.seq,
      problem: 'removed',
      message: `the row written before row ${r.seq} is missing: rows were removed and the rest renumbered`,
    });
  }
  if (last && head.seq === last.seq && head.hash !== last.hash && !problems.has(last.seq)) {
    problems.set(last.seq, {
      seq: last.seq,
      problem: 'changed',
      message: `row ${last.seq} does not match the recorded head of the log`,
    });
  }
  const list = [...problems.values()].sort((a, b) => a.seq - b.seq);
  return { ok: list.length === 0, rows: rows.length, problems: list };
}
