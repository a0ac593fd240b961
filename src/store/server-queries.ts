import { getModel } from '../core/catalog/index.js';
import { type Exposure, exposureOf, weakestExposure } from '../core/codes/strength.js';
import { KeywardError } from '../core/errors.js';
import { redactUrlsDeep, redactUrlsIn } from '../core/radio/address.js';
import { aad, change, newId, notFound, type StoreContext } from './context.js';
import { ROLES, type Role, tokenHash } from './tokens.js';

/**
 * Reads and writes the HTTP server needs beyond the register API: sync summaries for the
 * dashboard, the audit log page, deleted-code memory and exposure for a lock, and the first
 * admin token. Owned by the server (issue 8); the store modules stay as they are.
 */

export type SyncCounts = Record<'unset' | 'setting' | 'set' | 'removing' | 'error', number>;

/** Per lock, how many assignments are in each state: one grouped query for every lock. */
export async function syncCounts(ctx: StoreContext): Promise<Map<string, SyncCounts>> {
  const rows = await ctx.db
    .selectFrom('credential_locks')
    .select(['lock_id', 'status', 'error', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '<>', 'removed')
    .groupBy(['lock_id', 'status', 'error'])
    .execute();
  const out = new Map<string, SyncCounts>();
  for (const r of rows) {
    const c = out.get(r.lock_id) ?? { unset: 0, setting: 0, set: 0, removing: 0, error: 0 };
    const n = Number(r.n);
    if (r.status in c) c[r.status as keyof SyncCounts] += n;
    if (r.error) c.error += n;
    out.set(r.lock_id, c);
  }
  const unmanaged = await ctx.db
    .selectFrom('lock_slots')
    .select(['lock_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('unmanaged', '=', 1)
    .groupBy('lock_id')
    .execute();
  for (const u of unmanaged) {
    const c = out.get(u.lock_id) ?? { unset: 0, setting: 0, set: 0, removing: 0, error: 0 };
    c.error += Number(u.n);
    out.set(u.lock_id, c);
  }
  return out;
}

export interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: Record<string, unknown>;
}

/** Newest first, a page at a time (before = the smallest seq already shown). */
export async function auditPage(
  ctx: StoreContext,
  opts: { limit: number; before?: number; subjectId?: string },
): Promise<AuditRow[]> {
  let q = ctx.db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'detail']);
  if (opts.before !== undefined) q = q.where('seq', '<', opts.before);
  if (opts.subjectId) q = q.where('subject_id', '=', opts.subjectId);
  const rows = await q.orderBy('seq', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subjectType: r.subject_type,
    // Rows written before addresses were redacted at writing are redacted when read.
    subjectId: redactUrlsIn(r.subject_id),
    detail: redactUrlsDeep(JSON.parse(r.detail) as Record<string, unknown>),
  }));
}

export interface LockRisk {
  /** Codes deleted since the last factory reset: their prefixes stay reserved. Never the codes. */
  deletedCodes: { id: string; deletedAt: number }[];
  codesOnLock: number;
  /** The length a random guesser does best with, and how long they need. */
  exposure: Exposure | null;
}

/**
 * Exposure counts the codes the lock holds or is about to hold (unset included: the register has
 * decided they go on). It needs only their lengths: codes are decrypted here and nothing but the
 * counts per length leaves this function.
 */
export async function lockRisk(ctx: StoreContext, lockId: string): Promise<LockRisk> {
  const lock = await ctx.db.selectFrom('locks').select(['model']).where('id', '=', lockId).executeTakeFirst();
  if (!lock) throw notFound('lock', lockId);
  const model = getModel(lock.model);
  const deleted = await ctx.db
    .selectFrom('deleted_codes')
    .select(['id', 'deleted_at'])
    .where('lock_id', '=', lockId)
    .orderBy('deleted_at')
    .execute();
  const held = await ctx.db
    .selectFrom('credential_locks as cl')
    .innerJoin('credentials as c', 'c.id', 'cl.credential_id')
    .select(['c.id', 'c.code_enc'])
    .where('cl.lock_id', '=', lockId)
    .where('cl.status', 'in', ['unset', 'setting', 'set', 'removing'])
    .execute();
  const byLength = new Map<number, number>();
  for (const h of held) {
    const n = ctx.sealer.open(h.code_enc, aad.credential(h.id)).length;
    byLength.set(n, (byLength.get(n) ?? 0) + 1);
  }
  const unmanaged = await ctx.db
    .selectFrom('lock_slots')
    .select(['slot', 'code_enc'])
    .where('lock_id', '=', lockId)
    .where('unmanaged', '=', 1)
    .execute();
  for (const u of unmanaged) {
    if (!u.code_enc) continue;
    const n = ctx.sealer.open(u.code_enc, aad.slot(lockId, u.slot)).length;
    byLength.set(n, (byLength.get(n) ?? 0) + 1);
  }
  const codes = [...byLength.values()].reduce((a, b) => a + b, 0);
  return {
    deletedCodes: deleted.map((d) => ({ id: d.id, deletedAt: d.deleted_at })),
    codesOnLock: codes,
    exposure: codes === 0 ? null : weakestExposure(model, byLength),
  };
}

/** Exposure a fresh code of this length would face on an empty lock, for comparison in the UI. */
export function emptyLockExposure(modelId: string, length: number): Exposure {
  return exposureOf(getModel(modelId), length, 1);
}

export async function countApiTokens(ctx: StoreContext): Promise<number> {
  const r = await ctx.db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Stores a token chosen outside (KEYWARD_ADMIN_TOKEN, --token-file) so that it signs in; only its
 * hash is kept. Too short a token would be guessable, so at least 32 characters are required.
 */
export async function importApiToken(
  ctx: StoreContext,
  input: { name: string; role: Role; token: string },
): Promise<{ id: string }> {
  if (!ROLES.includes(input.role))
    throw new KeywardError('BAD_INPUT', `role must be one of ${ROLES.join(', ')}`);
  if (input.token.length < 32 || /\s/.test(input.token))
    throw new KeywardError('BAD_INPUT', 'a chosen token must be at least 32 characters without spaces');
  const hash = tokenHash(input.token);
  const existing = await ctx.db
    .selectFrom('api_tokens')
    .select('id')
    .where('token_sha256', '=', hash)
    .executeTakeFirst();
  if (existing) return { id: existing.id };
  const id = newId('tok');
  await change(ctx, async (trx, audit) => {
    await trx
      .insertInto('api_tokens')
      .values({
        id,
        name: input.name,
        token_sha256: hash,
        role: input.role,
        created_at: ctx.now(),
        revoked_at: null,
      })
      .execute();
    await audit({
      action: 'token.import',
      subjectType: 'api_token',
      subjectId: id,
      detail: { role: input.role },
    });
  });
  return { id };
}

/** A reveal is worth a line in the audit log: who saw which code, and when. */
export async function recordReveal(ctx: StoreContext, credentialId: string): Promise<void> {
  await change(ctx, async (_trx, audit) => {
    await audit({ action: 'credential.reveal', subjectType: 'credential', subjectId: credentialId });
  });
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

/** Every token with its role and dates; the secret is not kept, only its hash, and that stays here. */
export async function listApiTokens(
  ctx: StoreContext,
  opts: { includeRevoked?: boolean } = {},
): Promise<ApiTokenInfo[]> {
  let q = ctx.db.selectFrom('api_tokens').select(['id', 'name', 'role', 'created_at', 'revoked_at']);
  if (!opts.includeRevoked) q = q.where('revoked_at', 'is', null);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role as Role,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

/**
 * Revokes a token for good. The last admin token is kept: without it nobody could mint or revoke
 * tokens again short of editing the database.
 */
export async function revokeApiToken(ctx: StoreContext, id: string): Promise<ApiTokenInfo> {
  return change(ctx, async (trx, audit) => {
    const t = await trx
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'created_at', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!t) throw notFound('API token', id);
    if (t.revoked_at !== null) throw new KeywardError('CONFLICT', `token ${id} is already revoked`);
    if (t.role === 'admin') {
      // Row locks on PostgreSQL, so two admins revoking each other at once cannot both succeed
      // (SQLite has one writer at a time anyway).
      let q = trx
        .selectFrom('api_tokens')
        .select('id')
        .where('role', '=', 'admin')
        .where('revoked_at', 'is', null);
      if (ctx.dialect === 'postgres') q = q.forUpdate();
      const admins = await q.execute();
      if (admins.length <= 1)
        throw new KeywardError(
          'CONFLICT',
          `token ${id} is the last admin token: create another admin token before revoking it`,
        );
    }
    const now = ctx.now();
    await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
    await audit({
      action: 'token.revoke',
      subjectType: 'api_token',
      subjectId: id,
      detail: { role: t.role },
    });
    return { id: t.id, name: t.name, role: t.role as Role, createdAt: t.created_at, revokedAt: now };
  });
}

/** A look at the codes of a manual session's steps is a reveal like any other. */
export async function recordSessionReveal(
  ctx: StoreContext,
  lockId: string,
  sessionId: string,
): Promise<void> {
  await change(ctx, async (_trx, audit) => {
    await audit({ action: 'manual.reveal', subjectType: 'lock', subjectId: lockId, detail: { sessionId } });
  });
}
