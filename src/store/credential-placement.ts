import type { Schedule } from '../core/access/schedule.js';
import { chooseSlot, intervalOf } from '../core/access/slots.js';
import { getModel } from '../core/catalog/index.js';
import { factoryState } from '../core/codes/lock-state.js';
import { checkCode, type Reason } from '../core/codes/rules.js';
import { aad, type StoreContext, type Trx } from './context.js';

/**
 * Where a new code goes on each of its locks, and whether each lock would take it: the locks are
 * read once per creation batch, and each code is placed beside everything already there or
 * placed earlier in the batch.
 */

export interface LockRejection {
  lockId: string;
  lockName: string;
  model: string;
  /** `holder`: whose code it clashes with, in the register's words (its name), when one does. */
  reasons: Array<Reason & { holder?: string }>;
}

/**
 * Whose code sits in the slot a rule names: the credential's name, or the plain fact that the
 * code was keyed in at the lock. Only managers add or edit codes, and they may see the names.
 */
function holderOf(lock: LockPicture, slot: number, now: number): string | undefined {
  const held = lock.held.find(
    (h) =>
      h.slot === slot &&
      h.status !== 'removed' &&
      (h.endsAt === null || h.endsAt > now) &&
      (h.revokedAt === null || h.revokedAt > now),
  );
  if (held?.holder) return held.holder;
  if (lock.reported.some((r) => r.slot === slot && r.unmanaged)) return 'a code keyed in at the lock';
  return undefined;
}

/** A reason in words a host reads: whose code it clashes with first, then the rule. */
export function reasonText(r: Reason & { holder?: string }): string {
  if (!r.holder) return r.message;
  const whose = r.holder === 'a code keyed in at the lock' ? r.holder : `the code of "${r.holder}"`;
  return `it clashes with ${whose}: ${r.message}`;
}

/** Rule messages quote the first four digits; an error message never carries any part of a code. */
function redact(text: string): string {
  return text.replace(/\d{4,}/g, (m) => '*'.repeat(m.length));
}

/** One lock as a creation batch sees it: read once, then kept up to date as codes are placed. */
export interface LockPicture {
  id: string;
  name: string;
  rotation: string;
  model: ReturnType<typeof getModel>;
  programmingCode: string | null;
  /** Every assignment ever made on the lock, then those this batch placed. */
  held: Array<{
    /** Absent for a code placed earlier in the same batch (not yet written). */
    credentialId?: string;
    /** The credential's name, to say whose code a new one clashes with. */
    holder?: string;
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

type Held = LockPicture['held'][number];

interface HeldScan {
  /** How many entries of `held` this scan has read: a batch only appends to it. */
  read: number;
  now: number;
  lastUsed: Map<number, number>;
  live: Array<{ slot: number; interval: { from: number | null; to: number | null } }>;
  /** The codes not over, by prefix hash, in the order held (a later one in a slot wins). */
  byPrefix: Map<string, Held[]>;
}

/**
 * What the held codes say about a lock, read once per batch and then only for what the batch
 * appended: placing each of a thousand codes beside a thousand held (a calendar import) would
 * otherwise read every held code again for every code placed (BENCHMARKS.md, issue 16).
 */
const scans = new WeakMap<Held[], HeldScan>();

function scanHeld(held: Held[], now: number): HeldScan {
  let scan = scans.get(held);
  if (!scan || scan.now !== now) {
    scan = { read: 0, now, lastUsed: new Map(), live: [], byPrefix: new Map() };
    scans.set(held, scan);
  }
  for (; scan.read < held.length; scan.read++) {
    const h = held[scan.read]!;
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
      scan.lastUsed.set(h.slot, Math.max(scan.lastUsed.get(h.slot) ?? Number.NEGATIVE_INFINITY, used));
      continue;
    }
    scan.live.push({ slot: h.slot, interval });
    scan.lastUsed.set(h.slot, now);
    const same = scan.byPrefix.get(h.prefixHash);
    if (same) same.push(h);
    else scan.byPrefix.set(h.prefixHash, [h]);
  }
  return scan;
}

/**
 * Picks this lock's slot for the code and asks the rules engine whether the lock would take it
 * beside everything that shares its prefix. Only codes with the same keyed prefix hash are
 * decrypted: that is every code the prefix rule could involve, usually none.
 */
export function placeOnLock(
  lock: LockPicture,
  code: string,
  prefixHash: string,
  want: Schedule,
  now: number,
): { slot: number; prefixHash: string } | LockRejection {
  const model = lock.model;
  const scan = scanHeld(lock.held, now);
  const lastUsed = new Map(scan.lastUsed);
  const live = scan.live;
  const state = factoryState(model);
  state.voltsPerCell = model.battery.replaceBelow + 0.2; // batteries are the lock's condition today, not the code's
  if (lock.programmingCode !== null) state.programmingCode = lock.programmingCode;
  for (const h of scan.byPrefix.get(prefixHash) ?? []) state.slots[String(h.slot)] = h.code();
  const unmanaged: number[] = [];
  for (const r of lock.reported) {
    if (r.lastUsedAt !== null)
      lastUsed.set(r.slot, Math.max(lastUsed.get(r.slot) ?? r.lastUsedAt, r.lastUsedAt));
    if (r.code && r.prefixHash === prefixHash && state.slots[String(r.slot)] === undefined) {
      state.slots[String(r.slot)] = r.code();
    }
    if (r.unmanaged) unmanaged.push(r.slot);
  }
  state.deleted = lock.deleted.filter((d) => d.prefixHash === prefixHash).map((d) => d.code());

  // A slot holding a code the register did not set is avoided, not refused: the reconciler's
  // policy may remove that code, and otherwise it moves the credential or reports no_free_slot.
  const slot = chooseSlot({
    capacity: model.slots,
    want: intervalOf(want),
    assignments: live,
    unmanaged,
    lastUsed,
  });
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
      reasons: verdict.reasons.map((r) => {
        const holder = typeof r.conflictsWith === 'number' ? holderOf(lock, r.conflictsWith, now) : undefined;
        return { ...r, message: redact(r.message), ...(holder ? { holder } : {}) };
      }),
    };
  }
  return { slot, prefixHash };
}

/** IN lists and multi-row inserts are cut to this many entries, well inside both dialects' limits. */
const CHUNK = 400;

export function chunks<T>(xs: readonly T[]): T[][] {
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
export async function loadLocks(
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
        'cl.dropped_at',
        'c.id',
        'c.name',
        'c.code_enc',
        'c.starts_at',
        'c.ends_at',
        'c.revoked_at',
      ])
      .where('cl.lock_id', 'in', ids)
      .execute();
    for (const h of held) {
      pictures.get(h.lock_id)!.held.push({
        credentialId: h.id,
        holder: h.name,
        slot: h.slot,
        prefixHash: h.prefix_hash,
        status: h.status,
        startsAt: h.starts_at,
        endsAt: h.ends_at,
        revokedAt: h.revoked_at ?? h.dropped_at ?? null,
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
export async function loadDeleted(
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
