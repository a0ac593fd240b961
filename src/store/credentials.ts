import { type RotationPolicy, rotationDueAt } from '../core/access/policies.js';
import { type Schedule, validateSchedule, type WeeklyWindow } from '../core/access/schedule.js';
import { allocateSlot, intervalOf } from '../core/access/slots.js';
import { getModel } from '../core/catalog/index.js';
import { prefixKey } from '../core/codes/keypad.js';
import { factoryState } from '../core/codes/lock-state.js';
import { checkCode, type Reason } from '../core/codes/rules.js';
import { KeywardError } from '../core/errors.js';
import { revokeAssignments } from './assignments.js';
import { insertRows } from './bulk.js';
import {
  type AuditFn,
  aad,
  bumpVersion,
  change,
  newId,
  notFound,
  type StoreContext,
  storeError,
  type Trx,
} from './context.js';
import { GroupCommit } from './group-commit.js';
import type { CredentialLockTable, CredentialTable } from './schema.js';

export type CredentialKind = 'permanent' | 'guest';

import type { AccessCodeError, SlotStatus } from '../core/access/lifecycle.js';

export type { SlotStatus };

export interface CredentialInput {
  name: string;
  code: string;
  kind?: CredentialKind;
  personId?: string | null;
  lockIds: string[];
  startsAt?: number | null;
  endsAt?: number | null;
  windows?: WeeklyWindow[];
  useLimit?: number | null;
  /** Defaults to the site's policy (the first lock's site). */
  rotation?: RotationPolicy;
}

export interface CredentialLockView {
  lockId: string;
  lockName: string;
  slot: number;
  status: SlotStatus;
  error: AccessCodeError | null;
}

export interface Credential {
  id: string;
  personId: string | null;
  name: string;
  kind: CredentialKind;
  startsAt: number | null;
  endsAt: number | null;
  windows: WeeklyWindow[];
  useLimit: number | null;
  uses: number;
  rotation: RotationPolicy;
  codeSetAt: number;
  rotateDueAt: number | null;
  revokedAt: number | null;
  version: number;
  createdAt: number;
  locks: CredentialLockView[];
  /** Only when asked for. */
  code?: string;
}

export interface LockRejection {
  lockId: string;
  lockName: string;
  model: string;
  reasons: Reason[];
}

/** Rule messages quote the first four digits; an error message never carries any part of a code. */
function redact(text: string): string {
  return text.replace(/\d{4,}/g, (m) => '*'.repeat(m.length));
}

/** The columns of `credentials as c` that scheduleOf reads. */
export const SCHEDULE_COLUMNS = [
  'c.starts_at',
  'c.ends_at',
  'c.windows',
  'c.use_limit',
  'c.uses',
  'c.revoked_at',
] as const;

export function scheduleOf(r: {
  starts_at: number | null;
  ends_at: number | null;
  windows: string;
  use_limit: number | null;
  uses: number;
  revoked_at: number | null;
}): Schedule {
  return {
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    windows: JSON.parse(r.windows) as WeeklyWindow[],
    useLimit: r.use_limit,
    uses: r.uses,
    revokedAt: r.revoked_at,
  };
}

/** One lock as a creation batch sees it: read once, then kept up to date as codes are placed. */
interface LockPicture {
  id: string;
  name: string;
  rotation: string;
  model: ReturnType<typeof getModel>;
  programmingCode: string | null;
  /** Every assignment ever made on the lock, then those this batch placed. */
  held: Array<{
    slot: number;
    prefixHash: string;
    status: string;
    startsAt: number | null;
    endsAt: number | null;
    revokedAt: number | null;
    code: () => string;
  }>;
  /** What the lock reported in each slot. */
  reported: Array<{
    slot: number;
    prefixHash: string | null;
    lastUsedAt: number | null;
    code: (() => string) | null;
    /** Holds a code the register did not put there (keyed in at the lock, or there before). */
    unmanaged: boolean;
  }>;
  /** Deleted-code memory, only the prefixes this batch asks about. */
  deleted: Array<{ prefixHash: string; code: () => string }>;
}

/**
 * Picks this lock's slot for the code and asks the rules engine whether the lock would take it
 * beside everything that shares its prefix. Only codes with the same keyed prefix hash are
 * decrypted: that is every code the prefix rule could involve, usually none.
 */
function placeOnLock(
  lock: LockPicture,
  code: string,
  prefixHash: string,
  want: Schedule,
  now: number,
): { slot: number; prefixHash: string } | LockRejection {
  const model = lock.model;
  const lastUsed = new Map<number, number>();
  const live: Array<{ slot: number; interval: { from: number | null; to: number | null } }> = [];
  const state = factoryState(model);
  state.voltsPerCell = model.battery.replaceBelow + 0.2; // batteries are the lock's condition today, not the code's
  if (lock.programmingCode !== null) state.programmingCode = lock.programmingCode;
  for (const h of lock.held) {
    const interval = intervalOf({
      startsAt: h.startsAt,
      endsAt: h.endsAt,
      revokedAt: h.revokedAt,
      windows: [],
      useLimit: null,
      uses: 0,
    });
    const over = h.status === 'removed' || (interval.to !== null && interval.to <= now);
    if (over) {
      const used = interval.to ?? now;
      lastUsed.set(h.slot, Math.max(lastUsed.get(h.slot) ?? Number.NEGATIVE_INFINITY, used));
      continue;
    }
    live.push({ slot: h.slot, interval });
    lastUsed.set(h.slot, now);
    if (h.prefixHash === prefixHash) state.slots[String(h.slot)] = h.code();
  }
  const unmanaged: typeof live = [];
  for (const r of lock.reported) {
    if (r.lastUsedAt !== null)
      lastUsed.set(r.slot, Math.max(lastUsed.get(r.slot) ?? r.lastUsedAt, r.lastUsedAt));
    if (r.code && r.prefixHash === prefixHash && state.slots[String(r.slot)] === undefined) {
      state.slots[String(r.slot)] = r.code();
    }
    if (r.unmanaged) unmanaged.push({ slot: r.slot, interval: { from: null, to: null } });
  }
  state.deleted = lock.deleted.filter((d) => d.prefixHash === prefixHash).map((d) => d.code());

  // A slot holding a code the register did not set is avoided while another is free: placing a
  // credential there only makes the reconciler move it on first contact. It is not refused: the
  // reconciler's policy may remove that code, and otherwise it reports no_free_slot.
  const slot =
    allocateSlot(model.slots, [...live, ...unmanaged], intervalOf(want), lastUsed) ??
    allocateSlot(model.slots, live, intervalOf(want), lastUsed);
  if (slot === null) {
    return {
      lockId: lock.id,
      lockName: lock.name,
      model: model.id,
      reasons: [
        {
          rule: 'capacity',
          message: `all ${model.slots} slots are taken for that time: the lock refuses a ${model.slots + 1}st code`,
        },
      ],
    };
  }
  const verdict = checkCode(state, model, { code, kind: 'user', slot });
  if (!verdict.accepted) {
    return {
      lockId: lock.id,
      lockName: lock.name,
      model: model.id,
      reasons: verdict.reasons.map((r) => ({ ...r, message: redact(r.message) })),
    };
  }
  return { slot, prefixHash };
}

/** The checks that need no database. */
function validated(input: CredentialInput, now: number) {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new KeywardError('BAD_INPUT', 'a code name must be 1-200 characters');
  const kind = input.kind ?? 'permanent';
  if (kind !== 'permanent' && kind !== 'guest')
    throw new KeywardError('BAD_INPUT', 'kind must be permanent or guest');
  if (!/^[0-9]+$/.test(input.code)) throw new KeywardError('BAD_INPUT', 'a code is digits 0-9 only');
  const lockIds = [...new Set(input.lockIds)];
  if (lockIds.length === 0) throw new KeywardError('BAD_INPUT', 'a code needs at least one lock');
  const schedule: Schedule = {
    startsAt: input.startsAt ?? (kind === 'guest' ? now : null),
    endsAt: input.endsAt ?? null,
    windows: input.windows ?? [],
    useLimit: input.useLimit ?? null,
    uses: 0,
    revokedAt: null,
  };
  if (kind === 'guest' && schedule.endsAt === null)
    throw new KeywardError('BAD_INPUT', 'a guest code needs an end (departure)');
  validateSchedule(schedule);
  return { input, name, kind, lockIds, schedule };
}

/** IN lists and multi-row inserts are cut to this many entries, well inside both dialects' limits. */
const CHUNK = 400;

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

/**
 * Reads every lock the batch names, with what it holds, in a handful of queries. On PostgreSQL
 * the lock rows are taken first (in id order, so two batches cannot deadlock): a creation on
 * the same lock in another instance waits, and the reads after it see what that one committed,
 * so two instances never hand out one slot or two clashing prefixes.
 */
async function loadLocks(
  ctx: StoreContext,
  trx: Trx,
  lockIds: readonly string[],
  open: (enc: string, aad: string) => string,
): Promise<Map<string, LockPicture>> {
  const pictures = new Map<string, LockPicture>();
  for (const ids of chunks(lockIds)) {
    let q = trx
      .selectFrom('locks as l')
      .innerJoin('sites as s', 's.id', 'l.site_id')
      .select(['l.id', 'l.name', 'l.model', 'l.programming_code_enc', 's.rotation'])
      .where('l.id', 'in', ids)
      .orderBy('l.id');
    if (ctx.dialect === 'postgres') q = q.forNoKeyUpdate('l');
    for (const l of await q.execute()) {
      pictures.set(l.id, {
        id: l.id,
        name: l.name,
        rotation: l.rotation,
        model: getModel(l.model),
        programmingCode: l.programming_code_enc ? open(l.programming_code_enc, aad.programming(l.id)) : null,
        held: [],
        reported: [],
        deleted: [],
      });
    }
  }
  const found = [...pictures.keys()];
  for (const ids of chunks(found)) {
    const held = await trx
      .selectFrom('credential_locks as cl')
      .innerJoin('credentials as c', 'c.id', 'cl.credential_id')
      .select([
        'cl.lock_id',
        'cl.slot',
        'cl.prefix_hash',
        'cl.status',
        'c.id',
        'c.code_enc',
        'c.starts_at',
        'c.ends_at',
        'c.revoked_at',
      ])
      .where('cl.lock_id', 'in', ids)
      .execute();
    for (const h of held) {
      pictures.get(h.lock_id)!.held.push({
        slot: h.slot,
        prefixHash: h.prefix_hash,
        status: h.status,
        startsAt: h.starts_at,
        endsAt: h.ends_at,
        revokedAt: h.revoked_at,
        code: () => open(h.code_enc, aad.credential(h.id)),
      });
    }
    const reported = await trx
      .selectFrom('lock_slots')
      .select(['lock_id', 'slot', 'code_enc', 'prefix_hash', 'last_used_at', 'unmanaged'])
      .where('lock_id', 'in', ids)
      .execute();
    for (const r of reported) {
      const enc = r.code_enc;
      pictures.get(r.lock_id)!.reported.push({
        slot: r.slot,
        prefixHash: r.prefix_hash,
        lastUsedAt: r.last_used_at,
        code: enc ? () => open(enc, aad.slot(r.lock_id, r.slot)) : null,
        unmanaged: r.unmanaged === 1,
      });
    }
  }
  return pictures;
}

/** Deleted-code memory for the (lock, prefix hash) pairs asked about: the only part that matters. */
async function loadDeleted(
  trx: Trx,
  pictures: Map<string, LockPicture>,
  wanted: ReadonlyArray<readonly [string, string]>,
  open: (enc: string, aad: string) => string,
): Promise<void> {
  for (const pairs of chunks(wanted)) {
    const deleted = await trx
      .selectFrom('deleted_codes')
      .select(['id', 'lock_id', 'code_enc', 'prefix_hash'])
      .where(({ eb, refTuple, tuple }) =>
        eb(
          refTuple('lock_id', 'prefix_hash'),
          'in',
          pairs.map(([lockId, hash]) => tuple(lockId, hash)),
        ),
      )
      .execute();
    for (const d of deleted) {
      pictures.get(d.lock_id)!.deleted.push({
        prefixHash: d.prefix_hash,
        code: () => open(d.code_enc, aad.deleted(d.id)),
      });
    }
  }
}

// Written as plain SQL with bound parameters (bulk.ts): Kysely's per-value nodes cost more than
// the insert itself.
const CREDENTIAL_COLUMNS = [
  'id',
  'person_id',
  'name',
  'kind',
  'code_enc',
  'starts_at',
  'ends_at',
  'windows',
  'use_limit',
  'uses',
  'rotation',
  'code_set_at',
  'rotate_due_at',
  'revoked_at',
  'version',
  'created_at',
  'cleared_at',
] as const satisfies ReadonlyArray<keyof CredentialTable>;
const ASSIGNMENT_COLUMNS = [
  'credential_id',
  'lock_id',
  'slot',
  'prefix_hash',
  'status',
  'error',
  'updated_at',
] as const satisfies ReadonlyArray<keyof CredentialLockTable>;

/** One creation and who asked for it (the audit row names them). */
export interface Creation {
  input: CredentialInput;
  actor: string;
}

/**
 * Creates credentials inside the caller's transaction, each checked against everything before
 * it in the batch as well as the database: every result is the credential or the reason it was
 * refused, and a refused one writes nothing. Reads and writes are batched (one query per table,
 * not per credential and lock), and each stored ciphertext is decrypted at most once.
 */
export async function insertCredentials(
  ctx: StoreContext,
  trx: Trx,
  audit: AuditFn,
  creations: readonly Creation[],
): Promise<Array<Credential | Error>> {
  const now = ctx.now();
  const results: Array<Credential | Error> = [];
  const pending: Array<{ at: number; actor: string; v: ReturnType<typeof validated> }> = [];
  creations.forEach((c, at) => {
    try {
      pending.push({ at, actor: c.actor, v: validated(c.input, now) });
    } catch (e) {
      results[at] = storeError(e);
    }
  });

  const personIds = [...new Set(pending.flatMap((p) => (p.v.input.personId ? [p.v.input.personId] : [])))];
  const people = new Set<string>();
  for (const ids of chunks(personIds)) {
    const rows = await trx.selectFrom('people').select('id').where('id', 'in', ids).execute();
    for (const r of rows) people.add(r.id);
  }
  const opened = new Map<string, string>();
  const open = (enc: string, a: string): string => {
    let text = opened.get(a);
    if (text === undefined) {
      text = ctx.sealer.open(enc, a);
      opened.set(a, text);
    }
    return text;
  };
  const lockIds = [...new Set(pending.flatMap((p) => p.v.lockIds))];
  const locks = await loadLocks(ctx, trx, lockIds, open);
  const hashOf = (lock: LockPicture, code: string) =>
    ctx.sealer.prefixHash(lock.id, prefixKey(code, lock.model));
  const prefixes = new Map<string, readonly [string, string]>();
  for (const p of pending) {
    for (const lockId of p.v.lockIds) {
      const lock = locks.get(lockId);
      if (!lock) continue;
      const hash = hashOf(lock, p.v.input.code);
      prefixes.set(`${lockId} ${hash}`, [lockId, hash]);
    }
  }
  await loadDeleted(trx, locks, [...prefixes.values()], open);

  const credentialRows: CredentialTable[] = [];
  const assignmentRows: CredentialLockTable[] = [];
  for (const { at, actor, v } of pending) {
    const { input, name, kind, schedule } = v;
    if (input.personId && !people.has(input.personId)) {
      results[at] = notFound('person', input.personId);
      continue;
    }
    const missing = v.lockIds.find((id) => !locks.has(id));
    if (missing) {
      results[at] = notFound('lock', missing);
      continue;
    }
    const ordered = v.lockIds.map((id) => locks.get(id)!);
    const placed: Array<{ lock: LockPicture; slot: number; prefixHash: string }> = [];
    const rejected: LockRejection[] = [];
    for (const lock of ordered) {
      const r = placeOnLock(lock, input.code, hashOf(lock, input.code), schedule, now);
      if ('reasons' in r) rejected.push(r);
      else placed.push({ lock, ...r });
    }
    if (rejected.length) {
      const first = rejected[0]!;
      results[at] = new KeywardError(
        'BAD_INPUT',
        `lock "${first.lockName}" (${first.lockId}, model ${first.model}) would refuse this code: ${first.reasons
          .map((r) => r.message)
          .join('; ')}${rejected.length > 1 ? ` (and ${rejected.length - 1} more lock(s))` : ''}`,
        { rejected },
      );
      continue;
    }
    const id = newId('cred');
    const rotation = input.rotation ?? ((ordered[0]!.rotation as RotationPolicy) || 'annual');
    const row: CredentialTable = {
      id,
      person_id: input.personId ?? null,
      name,
      kind,
      code_enc: ctx.sealer.seal(input.code, aad.credential(id)),
      starts_at: schedule.startsAt,
      ends_at: schedule.endsAt,
      windows: JSON.stringify(schedule.windows),
      use_limit: schedule.useLimit,
      uses: 0,
      rotation,
      code_set_at: now,
      rotate_due_at: kind === 'permanent' ? rotationDueAt(now, rotation) : null,
      revoked_at: null,
      version: 1,
      created_at: now,
      cleared_at: null,
    };
    credentialRows.push(row);
    for (const p of placed) {
      assignmentRows.push({
        credential_id: id,
        lock_id: p.lock.id,
        slot: p.slot,
        prefix_hash: p.prefixHash,
        status: 'unset',
        error: null,
        updated_at: now,
      });
      // Later creations in this batch must see this one on the lock, as if it were committed.
      p.lock.held.push({
        slot: p.slot,
        prefixHash: p.prefixHash,
        status: 'unset',
        startsAt: schedule.startsAt,
        endsAt: schedule.endsAt,
        revokedAt: null,
        code: () => input.code,
      });
    }
    await audit({
      actor,
      action: 'credential.add',
      subjectType: 'credential',
      subjectId: id,
      detail: {
        name,
        kind,
        personId: row.person_id,
        locks: placed.map((p) => ({ lockId: p.lock.id, slot: p.slot })),
      },
    });
    results[at] = credentialOf(
      row,
      placed.map((p) => ({
        lockId: p.lock.id,
        lockName: p.lock.name,
        slot: p.slot,
        status: 'unset' as const,
        error: null,
      })),
    );
  }
  await insertRows(
    trx,
    ctx.dialect,
    'credentials',
    CREDENTIAL_COLUMNS,
    credentialRows.map((r) => CREDENTIAL_COLUMNS.map((c) => r[c])),
  );
  await insertRows(
    trx,
    ctx.dialect,
    'credential_locks',
    ASSIGNMENT_COLUMNS,
    assignmentRows.map((r) => ASSIGNMENT_COLUMNS.map((c) => r[c])),
  );
  return results;
}

/** Creations on one database share transactions (group commit); see group-commit.ts. */
const queues = new WeakMap<
  StoreContext['db'],
  GroupCommit<{ ctx: StoreContext; input: CredentialInput }, Credential>
>();

function creationQueue(ctx: StoreContext) {
  let q = queues.get(ctx.db);
  if (!q) {
    q = new GroupCommit(
      (items) => {
        const first = items[0]!.ctx;
        return change(first, (trx, audit) =>
          insertCredentials(
            first,
            trx,
            audit,
            items.map((i) => ({ input: i.input, actor: i.ctx.actor })),
          ),
        );
      },
      {
        maxItems: 256,
        // A few thousand lock assignments keep one transaction to some milliseconds.
        maxWeight: 4000,
        weight: (i) => Math.max(1, i.input.lockIds?.length ?? 1),
        // Only the actor may differ: the same key and clock write every row of one transaction.
        compatible: (a, b) =>
          a.ctx.sealer === b.ctx.sealer && a.ctx.now === b.ctx.now && a.ctx.dialect === b.ctx.dialect,
      },
    );
    queues.set(ctx.db, q);
  }
  return q;
}

/**
 * One transaction per batch of concurrent creations, each answered only once its batch has
 * committed. A creation refused by a lock's rules is answered with its error and takes nothing
 * from its neighbours.
 */
export async function addCredential(ctx: StoreContext, input: CredentialInput): Promise<Credential> {
  return creationQueue(ctx).submit({ ctx, input });
}

type CredentialRow = {
  id: string;
  person_id: string | null;
  name: string;
  kind: string;
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
};

function credentialOf(r: CredentialRow, locks: CredentialLockView[]): Credential {
  return {
    id: r.id,
    personId: r.person_id,
    name: r.name,
    kind: r.kind as CredentialKind,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    windows: JSON.parse(r.windows) as WeeklyWindow[],
    useLimit: r.use_limit,
    uses: r.uses,
    rotation: r.rotation as RotationPolicy,
    codeSetAt: r.code_set_at,
    rotateDueAt: r.rotate_due_at,
    revokedAt: r.revoked_at,
    version: r.version,
    createdAt: r.created_at,
    locks: locks.map(({ lockId, lockName, slot, status, error }) => ({
      lockId,
      lockName,
      slot,
      status,
      error,
    })),
  };
}

async function locksOf(ctx: StoreContext, ids: string[]): Promise<Map<string, CredentialLockView[]>> {
  const out = new Map<string, CredentialLockView[]>();
  if (ids.length === 0) return out;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('credential_locks as cl')
      .innerJoin('locks as l', 'l.id', 'cl.lock_id')
      .select(['cl.credential_id', 'cl.lock_id', 'l.name', 'cl.slot', 'cl.status', 'cl.error'])
      .where('cl.credential_id', 'in', ids.slice(i, i + 500))
      .orderBy('l.name')
      .execute();
    for (const r of rows) {
      const list = out.get(r.credential_id) ?? [];
      list.push({
        lockId: r.lock_id,
        lockName: r.name,
        slot: r.slot,
        status: r.status as SlotStatus,
        error: r.error as AccessCodeError | null,
      });
      out.set(r.credential_id, list);
    }
  }
  return out;
}

export async function getCredential(
  ctx: StoreContext,
  id: string,
  opts: { reveal?: boolean } = {},
): Promise<Credential> {
  const r = await ctx.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('credential', id);
  const c = credentialOf(r, (await locksOf(ctx, [id])).get(id) ?? []);
  if (opts.reveal) c.code = ctx.sealer.open(r.code_enc, aad.credential(id));
  return c;
}

export async function listCredentials(
  ctx: StoreContext,
  filter: { personId?: string; lockId?: string; includeRevoked?: boolean } = {},
): Promise<Credential[]> {
  let q = ctx.db
    .selectFrom('credentials as c')
    .select([
      'c.id',
      'c.person_id',
      'c.name',
      'c.kind',
      'c.starts_at',
      'c.ends_at',
      'c.windows',
      'c.use_limit',
      'c.uses',
      'c.rotation',
      'c.code_set_at',
      'c.rotate_due_at',
      'c.revoked_at',
      'c.version',
      'c.created_at',
    ]);
  if (filter.personId) q = q.where('c.person_id', '=', filter.personId);
  if (filter.lockId) {
    const lockId = filter.lockId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('credential_locks as cl')
          .select('cl.lock_id')
          .whereRef('cl.credential_id', '=', 'c.id')
          .where('cl.lock_id', '=', lockId),
      ),
    );
  }
  if (!filter.includeRevoked) q = q.where('c.revoked_at', 'is', null);
  const rows = await q.orderBy('c.created_at').orderBy('c.id').execute();
  const locks = await locksOf(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => credentialOf(r, locks.get(r.id) ?? []));
}

/** Revoking takes the code off every lock (status "removing" where it may be on the lock). */
export async function revokeCredential(
  ctx: StoreContext,
  id: string,
  expectedVersion?: number,
): Promise<Credential> {
  await change(ctx, async (trx, audit) => {
    const c = await trx
      .selectFrom('credentials')
      .select(['version', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!c) throw notFound('credential', id);
    if (c.revoked_at !== null) throw new KeywardError('BAD_INPUT', `credential ${id} is already revoked`);
    await bumpVersion(trx, 'credentials', id, expectedVersion ?? c.version);
    const now = ctx.now();
    await trx.updateTable('credentials').set({ revoked_at: now }).where('id', '=', id).execute();
    await revokeAssignments(trx, id, now);
    await audit({ action: 'credential.revoke', subjectType: 'credential', subjectId: id });
  });
  return getCredential(ctx, id);
}

/** Name and departure may change; the code itself changes only by rotation (a new credential). */
export async function updateCredential(
  ctx: StoreContext,
  id: string,
  expectedVersion: number,
  patch: { name?: string; endsAt?: number | null },
): Promise<Credential> {
  await change(ctx, async (trx, audit) => {
    const c = await trx.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c) throw notFound('credential', id);
    await bumpVersion(trx, 'credentials', id, expectedVersion);
    const next = { ...scheduleOf(c), endsAt: patch.endsAt === undefined ? c.ends_at : patch.endsAt };
    validateSchedule(next);
    if (c.kind === 'guest' && next.endsAt === null)
      throw new KeywardError('BAD_INPUT', 'a guest code needs an end (departure)');
    const name = patch.name?.trim() ?? c.name;
    if (!name) throw new KeywardError('BAD_INPUT', 'a code name must be 1-200 characters');
    await trx.updateTable('credentials').set({ name, ends_at: next.endsAt }).where('id', '=', id).execute();
    await audit({
      action: 'credential.update',
      subjectType: 'credential',
      subjectId: id,
      detail: { name, endsAt: next.endsAt },
    });
  });
  return getCredential(ctx, id);
}

/**
 * A new code for the same holder, locks and schedule, in one transaction with the old one's
 * revocation. The new code is checked while the old one still counts, since both sit on the
 * lock between adding the new and removing the old.
 */
export async function rotateCredential(
  ctx: StoreContext,
  id: string,
  code: string,
  expectedVersion?: number,
): Promise<Credential> {
  return change(ctx, async (trx, audit) => {
    const old = await trx.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
    if (!old) throw notFound('credential', id);
    if (old.revoked_at !== null)
      throw new KeywardError('BAD_INPUT', `credential ${id} is revoked: add a new code instead`);
    const locks = await trx
      .selectFrom('credential_locks')
      .select('lock_id')
      .where('credential_id', '=', id)
      .where('status', '<>', 'removed')
      .execute();
    const schedule = scheduleOf(old);
    const now = ctx.now();
    const [fresh] = await insertCredentials(ctx, trx, audit, [
      {
        actor: ctx.actor,
        input: {
          name: old.name,
          code,
          kind: old.kind as CredentialKind,
          personId: old.person_id,
          lockIds: locks.map((l) => l.lock_id),
          startsAt: schedule.startsAt !== null && schedule.startsAt > now ? schedule.startsAt : null,
          endsAt: schedule.endsAt,
          windows: schedule.windows,
          useLimit: schedule.useLimit,
          rotation: old.rotation as RotationPolicy,
        },
      },
    ]);
    if (fresh instanceof Error) throw fresh;
    await bumpVersion(trx, 'credentials', id, expectedVersion ?? old.version);
    await trx.updateTable('credentials').set({ revoked_at: now }).where('id', '=', id).execute();
    await revokeAssignments(trx, id, now);
    await audit({
      action: 'credential.rotate',
      subjectType: 'credential',
      subjectId: id,
      detail: { replacedBy: fresh!.id },
    });
    return fresh!;
  });
}
