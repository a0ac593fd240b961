import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import type { Store } from '../../src/store/index.js';
import type { DriverEvent, LockDriver } from '../../src/sync/driver.js';
import { T0 } from '../sync-harness.js';

/**
 * Recordings of what sync did in a scenario: every audit row in order and the final rows of the
 * tables that hold sync's state, ids normalised. Codes never appear: a slot records whether its
 * code is known and which credential holds it, prefix hashes become `prefix#n` (which slots share
 * a prefix, not what it is), a checksum only whether one is kept.
 */
export interface Recording {
  audit: unknown[];
  tables: Record<string, unknown[]>;
  checkpoints?: Record<string, unknown>;
}

export const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));
export const RECORD = process.env.KEYWARD_GOLDEN === 'record';

/** Ids are `<prefix>_<12 base64url characters>` (src/store/context.ts newId). */
const ID = /(?<![A-Za-z0-9_-])([a-z]{2,8})_[A-Za-z0-9_-]{12}(?![A-Za-z0-9_-])/g;

/** Marks a prefix hash in a row, named `prefix#n` along with the ids. */
const HASH = 'prefix-hash:';

/** Maps every id (and prefix hash) to `<kind>#n`, numbered in order of first appearance. */
export class Names {
  readonly #names = new Map<string, string>();
  readonly #counts = new Map<string, number>();

  name(raw: string, kind: string): string {
    let n = this.#names.get(raw);
    if (!n) {
      const count = (this.#counts.get(kind) ?? 0) + 1;
      this.#counts.set(kind, count);
      n = `${kind}#${count}`;
      this.#names.set(raw, n);
    }
    return n;
  }

  /** Every id inside the string replaced, new ones named; a prefix hash (see HASH) named whole. */
  text(s: string): string {
    if (s.startsWith(HASH)) return this.name(s, 'prefix');
    return s.replace(ID, (raw, kind: string) => this.name(raw, kind));
  }

  /** The same, without naming new ids (they read `?`): for sorting rows before naming them. */
  peek(s: string): string {
    if (s.startsWith(HASH)) return this.#names.get(s) ?? '?';
    return s.replace(ID, (raw) => this.#names.get(raw) ?? '?');
  }

  deep(v: unknown, f: (s: string) => string = (s) => this.text(s)): unknown {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map((x) => this.deep(x, f));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.deep(x, f)]));
    return v;
  }
}

const rel = (at: number | string | null | undefined) =>
  at === null || at === undefined ? null : Number(at) - T0;

/** `lock#2` before `lock#10`; numbers as numbers; null first. */
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  const ma = /^(.*)#(\d+)$/.exec(sa);
  const mb = /^(.*)#(\d+)$/.exec(sb);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Rows sorted by their values in column order (ids as already named), then named in that order.
 * Ids are random, so no SQL order by id is stable from run to run (nor is text order the same
 * under every PostgreSQL collation): the order comes from what the rows say. Rows that tie are
 * alike in everything but ids not named yet, so naming them in either order records the same.
 */
function sortAndName(names: Names, rows: Array<Record<string, unknown>>): unknown[] {
  const keyed = rows.map((r) => ({ r, key: Object.values(names.deep(r, (s) => names.peek(s)) as object) }));
  keyed.sort((x, y) => {
    for (let i = 0; i < x.key.length; i++) {
      const c = compare(x.key[i], y.key[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return keyed.map(({ r }) => names.deep(r));
}

/**
 * The one query helper of the golden test: the rows of sync's state as they are in the tables.
 * No store function returns them without opening the codes (the picture the reconciler loads),
 * and the recording must outlive the functions the redesign replaces.
 */
export async function stateRows(store: Store, names: Names): Promise<Record<string, unknown[]>> {
  const db = store.ctx.db;
  const prefix = (h: string | null) => (h === null ? null : `${HASH}${h}`);
  const locks = await db.selectFrom('locks').selectAll().execute();
  const credentials = await db.selectFrom('credentials').selectAll().execute();
  const assignments = await db.selectFrom('credential_locks').selectAll().execute();
  const slots = await db.selectFrom('lock_slots').selectAll().execute();
  const deleted = await db.selectFrom('deleted_codes').selectAll().execute();
  const health = await db.selectFrom('sync_slots').selectAll().execute();
  const intents = await db.selectFrom('sync_ops').selectAll().execute();
  const syncLocks = await db.selectFrom('sync_locks').selectAll().execute();
  // Named in this order: rows that tell ids apart (lock and slot) before rows that may not (two
  // credentials adopted under the same name), so no id is named by a tie.
  const named = {
    credential_locks: sortAndName(
      names,
      assignments.map((a) => ({
        lock: a.lock_id,
        slot: a.slot,
        credential: a.credential_id,
        status: a.status,
        error: a.error,
        prefix: prefix(a.prefix_hash),
        updatedAt: rel(a.updated_at),
      })),
    ),
    lock_slots: sortAndName(
      names,
      slots.map((s) => ({
        lock: s.lock_id,
        slot: s.slot,
        status: s.status,
        credential: s.credential_id,
        codeKnown: s.code_enc !== null,
        prefix: prefix(s.prefix_hash),
        unmanaged: s.unmanaged,
        error: s.error,
        lastUsedAt: rel(s.last_used_at),
        updatedAt: rel(s.updated_at),
      })),
    ),
  };
  return {
    locks: sortAndName(
      names,
      locks.map((l) => ({
        id: l.id,
        name: l.name,
        model: l.model,
        programmingCode: l.programming_code_enc !== null,
        voltsPerCell: l.volts_per_cell,
        batteryAt: rel(l.battery_at),
        version: l.version,
      })),
    ),
    credentials: sortAndName(
      names,
      credentials.map((c) => ({
        id: c.id,
        name: c.name,
        kind: c.kind,
        uses: c.uses,
        useLimit: c.use_limit,
        revokedAt: rel(c.revoked_at),
        clearedAt: rel(c.cleared_at),
        version: c.version,
      })),
    ),
    ...named,
    deleted_codes: sortAndName(
      names,
      deleted.map((d) => ({
        lock: d.lock_id,
        deletedAt: rel(d.deleted_at),
        prefix: prefix(d.prefix_hash),
        id: d.id,
      })),
    ),
    sync_slots: sortAndName(
      names,
      health.map((h) => ({
        lock: h.lock_id,
        slot: h.slot,
        failures: h.failures,
        nextAttemptAt: rel(h.next_attempt_at),
        suspended: h.suspended,
        lastError: h.last_error,
      })),
    ),
    sync_ops: sortAndName(
      names,
      intents.map((i) => ({
        lock: i.lock_id,
        slot: i.slot,
        kind: i.kind,
        credential: i.credential_id,
        startedAt: rel(i.started_at),
        id: i.id,
      })),
    ),
    sync_locks: sortAndName(
      names,
      syncLocks.map((s) => ({
        lock: s.lock_id,
        readAt: rel(s.read_at),
        checksum: s.checksum !== null,
        verifiedAt: rel(s.verified_at),
        reread: s.reread,
      })),
    ),
  };
}

/**
 * Where a row goes among rows of the same instant: the register's own rows (written by the test,
 * one after another) keep their order; sync's follow in the order of a pass.
 */
const STAGES: Array<[RegExp, number]> = [
  [/^(site|person|credential|lock\.add|lock\.update|token)/, 0],
  [/^lock\./, 1],
  [/^sync\.(read|read-failed|unreachable|resume)$/, 2],
  [/^sync\.(checked|recovered|checksum-changed)$/, 3],
  [/^sync\.(moved|blocked|removed)$/, 4],
  [/^sync\.send$/, 5],
  [/^sync\.(confirmed|failed|withdrawn)$/, 6],
];
const stage = (action: string) => STAGES.find(([re]) => re.test(action))?.[1] ?? 7;

interface AuditRow {
  at: number | null;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: unknown;
}

/**
 * Every audit row, ids named as they first appear, in an order both dialects agree on. Within
 * one instant of the simulated clock, passes over several locks (and a lock's event handlers)
 * run side by side; on SQLite each query completes within the same turn of the event loop, on
 * PostgreSQL it waits for the server, so the rows of one instant interleave differently, and
 * outcomes that arrive together are written together (one `sync.confirmed` row listing several
 * ops) only as far as the database keeps up. So a `sync.confirmed` row becomes one row per op,
 * and the rows of one instant are sorted: the register's own rows first, in their order, then
 * sync's by stage of a pass (events, reads, read-backs, moves, sends, outcomes), subject and
 * detail. What happened at which instant to which lock is kept exactly; only the order of
 * things that happened at the same simulated instant is not.
 */
export async function auditRows(store: Store, names: Names): Promise<unknown[]> {
  const rows = await store.ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const flat: AuditRow[] = [];
  for (const r of rows) {
    const row: AuditRow = {
      at: rel(r.at),
      actor: r.actor,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      detail: JSON.parse(r.detail) as unknown,
    };
    const ops = (row.detail as { ops?: unknown[] }).ops;
    if (row.action === 'sync.confirmed' && Array.isArray(ops))
      for (const op of ops) flat.push({ ...row, detail: { ...(row.detail as object), ops: [op] } });
    else flat.push(row);
  }
  const out: unknown[] = [];
  for (let i = 0; i < flat.length; ) {
    let j = i;
    while (j < flat.length && flat[j]!.at === flat[i]!.at) j++;
    // The register's rows first, named in their order, so sync's rows can sort by subject.
    const rows = flat.slice(i, j);
    for (const r of rows) if (stage(r.action) === 0) out.push(names.deep(r));
    const peek = (v: unknown) => JSON.stringify(names.deep(v, (s) => names.peek(s)));
    const rest = rows
      .filter((r) => stage(r.action) !== 0)
      .map((r) => ({
        r,
        key: [stage(r.action), r.subjectType, peek(r.subjectId), r.action, peek(r.detail)],
      }));
    rest.sort((x, y) => {
      for (let k = 0; k < x.key.length; k++) {
        const c = compare(x.key[k], y.key[k]);
        if (c !== 0) return c;
      }
      return 0;
    });
    for (const { r } of rest) out.push(names.deep(r));
    i = j;
  }
  return out;
}

/**
 * Writes the recording under KEYWARD_GOLDEN=record (from the first dialect only; the others are
 * compared against it), else compares it with the stored one.
 */
export function matchGolden(name: string, rec: Recording, write: boolean, label = ''): void {
  const file = join(GOLDEN_DIR, `${name}.json`);
  const text = `${JSON.stringify(rec, null, 2)}\n`;
  if (RECORD && write) {
    writeFileSync(file, text);
    // As `biome check` wants it, so a recording passes the lint (the comparison reads JSON).
    execFileSync(join(GOLDEN_DIR, '../../node_modules/.bin/biome'), ['format', '--write', file], {
      stdio: 'ignore',
    });
    return;
  }
  if (!existsSync(file)) throw new Error(`no recording ${file}: run with KEYWARD_GOLDEN=record`);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Recording;
  const found = JSON.parse(text) as Recording;
  // Through JSON both ways, so undefined and key order cannot make a difference.
  if (!isDeepStrictEqual(found, stored)) {
    // The whole recording, for `diff` against the stored one when the excerpt below is not enough.
    const actual = join(tmpdir(), `keyward-golden-${name}${label ? `-${label}` : ''}.json`);
    writeFileSync(actual, text);
    expect(found, `differs from ${file}; this run's recording is ${actual}`).toEqual(stored);
  }
}

/**
 * A driver as a reconciler process sees it, which can be killed: from then on every call and
 * every answer still on its way is lost (the lock itself carries on), and no event arrives.
 */
export function killable(driver: LockDriver): { driver: LockDriver; kill(): void } {
  let dead = false;
  const never = new Promise<never>(() => {});
  const wrap =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> =>
      dead
        ? never
        : f(...a).then(
            (v) => (dead ? never : v),
            (e) => (dead ? never : Promise.reject(e)),
          );
  const d = driver;
  const out: LockDriver = {
    kind: d.kind,
    read: wrap(() => d.read()),
    readSlot: wrap((slot: number) => d.readSlot(slot)),
    setSlot: wrap((slot: number, code: string) => d.setSlot(slot, code)),
    clearSlot: wrap((slot: number) => d.clearSlot(slot)),
    setProgrammingCode: wrap((code: string) => d.setProgrammingCode(code)),
    onEvent: (listener: (e: DriverEvent) => void) =>
      d.onEvent((e) => {
        if (!dead) listener(e);
      }),
    close: () => d.close(),
  };
  if (d.checksum) out.checksum = wrap(() => d.checksum!());
  if (d.expectedChecksum) out.expectedChecksum = (slots) => d.expectedChecksum!(slots);
  return { driver: out, kill: () => (dead = true) };
}
