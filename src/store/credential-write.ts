import type { SlotStatus } from '../core/access/lifecycle.js';
import type { RotationPolicy } from '../core/access/policies.js';
import type { Schedule } from '../core/access/schedule.js';
import type { ModelProfile } from '../core/catalog/types.js';
import { prefixKey } from '../core/codes/keypad.js';
import { KeywardError } from '../core/errors.js';
import { insertRows } from './bulk.js';
import { type AuditFn, aad, newId, type StoreContext, type Trx } from './context.js';
import type { CredentialKind } from './credential-view.js';
import type { CredentialLockTable, CredentialTable } from './schema.js';

/**
 * The one place credentials and their lock assignments are written: a code added in the
 * register, a rotation, a code found on a lock or keyed in at its keypad and adopted, an
 * unmanaged code taken in or marked for removal. Each caller decides and checks what to write;
 * this seals the code, writes the rows set-based and records each audit row asked for.
 */

/** The keyed hash of the code's prefix on that lock: what the prefix rule compares, never the code. */
export function prefixHashOn(ctx: StoreContext, lockId: string, model: ModelProfile, code: string): string {
  return ctx.sealer.prefixHash(lockId, prefixKey(code, model));
}

export interface NewCredential {
  personId: string | null;
  name: string;
  kind: CredentialKind;
  code: string;
  schedule: Pick<Schedule, 'startsAt' | 'endsAt' | 'windows' | 'useLimit'>;
  rotation: RotationPolicy;
  rotateDueAt: number | null;
  /** Set for a code that is to come off its lock from the start. */
  revokedAt?: number | null;
  /** Its slot on each lock, with the code's prefix hash there (prefixHashOn). */
  locks: ReadonlyArray<{ lockId: string; slot: number; prefixHash: string; status: SlotStatus }>;
  /** The audit row for it, when the change records one; subject: the credential. */
  audit?: { action: string; actor?: string; detail: Record<string, unknown> };
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

/**
 * Writes the credentials inside the caller's transaction; returns their rows, in order. `audit`
 * is null only for a caller that asks for no audit row.
 */
export async function writeCredentials(
  ctx: StoreContext,
  trx: Trx,
  audit: AuditFn | null,
  news: readonly NewCredential[],
): Promise<CredentialTable[]> {
  const now = ctx.now();
  const credentialRows: CredentialTable[] = [];
  const assignmentRows: CredentialLockTable[] = [];
  for (const n of news) {
    const id = newId('cred');
    credentialRows.push({
      id,
      person_id: n.personId,
      name: n.name,
      kind: n.kind,
      code_enc: ctx.sealer.seal(n.code, aad.credential(id)),
      starts_at: n.schedule.startsAt,
      ends_at: n.schedule.endsAt,
      windows: JSON.stringify(n.schedule.windows),
      use_limit: n.schedule.useLimit,
      uses: 0,
      rotation: n.rotation,
      code_set_at: now,
      rotate_due_at: n.rotateDueAt,
      revoked_at: n.revokedAt ?? null,
      version: 1,
      created_at: now,
      cleared_at: null,
    });
    for (const l of n.locks) {
      assignmentRows.push({
        credential_id: id,
        lock_id: l.lockId,
        slot: l.slot,
        prefix_hash: l.prefixHash,
        status: l.status,
        error: null,
        updated_at: now,
      });
    }
    if (n.audit) {
      if (!audit) throw new KeywardError('INTERNAL', `no audit log given for ${n.audit.action}`);
      await audit({
        ...(n.audit.actor === undefined ? {} : { actor: n.audit.actor }),
        action: n.audit.action,
        subjectType: 'credential',
        subjectId: id,
        detail: n.audit.detail,
      });
    }
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
  return credentialRows;
}

/**
 * A credential already written gains locks (an edit adds a lock to a stay): one new assignment
 * row per lock, written here beside every other credential insert.
 */
export async function writeAssignments(
  ctx: StoreContext,
  trx: Trx,
  credentialId: string,
  locks: ReadonlyArray<{ lockId: string; slot: number; prefixHash: string; status: SlotStatus }>,
): Promise<void> {
  const now = ctx.now();
  await insertRows(
    trx,
    ctx.dialect,
    'credential_locks',
    ASSIGNMENT_COLUMNS,
    locks.map((l) => {
      const row: CredentialLockTable = {
        credential_id: credentialId,
        lock_id: l.lockId,
        slot: l.slot,
        prefix_hash: l.prefixHash,
        status: l.status,
        error: null,
        updated_at: now,
      };
      return ASSIGNMENT_COLUMNS.map((c) => row[c]);
    }),
  );
}
