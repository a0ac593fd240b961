import type { StoreContext, Trx } from './context.js';

/** Where a manual guide session stands; the body (ops and their steps) is sealed, it holds codes. */
export type SessionStatus = 'active' | 'paused' | 'needs-help' | 'done' | 'abandoned';
export const OPEN_SESSION: readonly SessionStatus[] = ['active', 'paused', 'needs-help'];

export interface SessionRow {
  id: string;
  lock_id: string;
  status: SessionStatus;
  body_enc: string;
  step: number;
  note: string | null;
  created_at: number;
  updated_at: number;
}

export type SessionPatch = Partial<Pick<SessionRow, 'status' | 'step' | 'note'>>;

/** The lock's open session (active, paused or needing help), if any: at most one at a time. */
export async function openSessionId(ctx: StoreContext, lockId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('manual_sessions')
    .select('id')
    .where('lock_id', '=', lockId)
    .where('status', 'in', OPEN_SESSION)
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function insertSession(
  trx: Trx,
  row: Omit<SessionRow, 'status' | 'step' | 'note'>,
): Promise<void> {
  await trx
    .insertInto('manual_sessions')
    .values({ ...row, status: 'active', step: 0, note: null })
    .execute();
}

export async function sessionRow(ctx: StoreContext, id: string): Promise<SessionRow | null> {
  const row = await ctx.db.selectFrom('manual_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { ...row, status: row.status as SessionStatus } : null;
}

/** One session row's change, inside the caller's transaction. */
export async function updateSession(trx: Trx, id: string, patch: SessionPatch, now: number): Promise<void> {
  await trx
    .updateTable('manual_sessions')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** The credential the register believes is in the slot, if any. */
export async function slotOccupant(ctx: StoreContext, lockId: string, slot: number): Promise<string | null> {
  const r = await ctx.db
    .selectFrom('lock_slots')
    .select('credential_id')
    .where('lock_id', '=', lockId)
    .where('slot', '=', slot)
    .executeTakeFirst();
  return r?.credential_id ?? null;
}

/** Names of the given credentials, for a session's ops shown to a person. */
export async function credentialNames(
  ctx: StoreContext,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom('credentials')
    .select(['id', 'name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
