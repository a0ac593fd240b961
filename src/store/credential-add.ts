import { type RotationPolicy, rotationDueAt } from '../core/access/policies.js';
import { type Schedule, validateSchedule, type WeeklyWindow } from '../core/access/schedule.js';
import { KeywardError } from '../core/errors.js';
import { type AuditFn, change, notFound, type StoreContext, storeError, type Trx } from './context.js';
import {
  chunks,
  type LockPicture,
  type LockRejection,
  loadDeleted,
  loadLocks,
  placeOnLock,
  reasonText,
} from './credential-placement.js';
import { type Credential, type CredentialKind, credentialOf } from './credential-view.js';
import { type NewCredential, prefixHashOn, writeCredentials } from './credential-write.js';
import { GroupCommit } from './group-commit.js';

/** Adding codes to the register: checked, placed on their locks, written, in batches. */

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

/** One creation and who asked for it (the audit row names them). */
export interface Creation {
  input: CredentialInput;
  actor: string;
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
  if (schedule.endsAt !== null && schedule.endsAt <= now)
    throw new KeywardError(
      'BAD_INPUT',
      'the end is in the past: a code that has already ended would never reach a lock',
    );
  return { input, name, kind, lockIds, schedule };
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
  const hashOf = (lock: LockPicture, code: string) => prefixHashOn(ctx, lock.id, lock.model, code);
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

  const accepted: Array<{ at: number; placed: Array<{ lock: LockPicture; slot: number }> }> = [];
  const news: NewCredential[] = [];
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
      results[at] = refusal(rejected);
      continue;
    }
    for (const p of placed) {
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
    const rotation = input.rotation ?? ((ordered[0]!.rotation as RotationPolicy) || 'annual');
    const personId = input.personId ?? null;
    accepted.push({ at, placed });
    news.push({
      personId,
      name,
      kind,
      code: input.code,
      schedule,
      rotation,
      rotateDueAt: kind === 'permanent' ? rotationDueAt(now, rotation) : null,
      locks: placed.map((p) => ({
        lockId: p.lock.id,
        slot: p.slot,
        prefixHash: p.prefixHash,
        status: 'unset' as const,
      })),
      audit: {
        actor,
        action: 'credential.add',
        detail: {
          name,
          kind,
          personId,
          locks: placed.map((p) => ({ lockId: p.lock.id, slot: p.slot })),
        },
      },
    });
  }
  const rows = await writeCredentials(ctx, trx, audit, news);
  accepted.forEach(({ at, placed }, i) => {
    results[at] = credentialOf(
      rows[i]!,
      placed.map((p) => ({
        lockId: p.lock.id,
        lockName: p.lock.name,
        slot: p.slot,
        status: 'unset' as const,
        error: null,
      })),
    );
  });
  return results;
}

function refusal(rejected: LockRejection[]): KeywardError {
  const first = rejected[0]!;
  return new KeywardError(
    'BAD_INPUT',
    `lock "${first.lockName}" (model ${first.model}) would refuse this code: ${first.reasons
      .map(reasonText)
      .join(
        '; ',
      )}${rejected.length > 1 ? ` (and ${rejected.length - 1} more ${rejected.length > 2 ? 'locks' : 'lock'})` : ''}`,
    { rejected },
  );
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
