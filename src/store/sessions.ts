import { randomBytes } from 'node:crypto';
import { change, newId, type StoreContext } from './context.js';
import type { Role } from './kinds.js';
import { tokenHash } from './tokens.js';

/** How long a printed sign-in link works, and how long the browser session it opens lasts. */
export const LINK_LIFETIME_MS = 15 * 60_000;
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60_000;

/**
 * A one-time sign-in link's secret, as `keyward serve` prints it. 256 random bits, like a token;
 * only its hash is stored, so the database alone cannot be used to sign in.
 */
export async function createSignInLink(
  ctx: StoreContext,
  input: { role: Role; lifetimeMs?: number },
): Promise<{ secret: string; expiresAt: number }> {
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expiresAt = now + (input.lifetimeMs ?? LINK_LIFETIME_MS);
  // Links and sessions that can no longer be used are dropped here: this runs at each start.
  await ctx.db.deleteFrom('sign_in_links').where('expires_at', '<=', now).execute();
  await ctx.db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('ended_at', 'is not', null)]))
    .execute();
  await ctx.db
    .insertInto('sign_in_links')
    .values({
      secret_sha256: tokenHash(secret),
      role: input.role,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  return { secret, expiresAt };
}

/**
 * Spends a link and opens a session in one transaction: the link is marked used only if it was
 * unused and unexpired, so two browsers opening it at once get one session between them.
 */
export async function redeemSignInLink(
  ctx: StoreContext,
  secret: string,
): Promise<{ sessionId: string; secret: string; role: Role; expiresAt: number } | null> {
  const hash = tokenHash(secret);
  return change(ctx, async (trx, audit) => {
    const now = ctx.now();
    const link = await trx
      .selectFrom('sign_in_links')
      .select(['role'])
      .where('secret_sha256', '=', hash)
      .executeTakeFirst();
    if (!link) return null;
    const spent = await trx
      .updateTable('sign_in_links')
      .set({ used_at: now })
      .where('secret_sha256', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return null;
    const sessionId = newId('ses');
    const sessionSecret = randomBytes(32).toString('base64url');
    const expiresAt = now + SESSION_LIFETIME_MS;
    await trx
      .insertInto('sessions')
      .values({
        id: sessionId,
        secret_sha256: tokenHash(sessionSecret),
        role: link.role,
        created_at: now,
        expires_at: expiresAt,
        ended_at: null,
      })
      .execute();
    await audit({
      action: 'session.start',
      subjectType: 'session',
      subjectId: sessionId,
      detail: { role: link.role, via: 'sign-in link' },
    });
    return { sessionId, secret: sessionSecret, role: link.role as Role, expiresAt };
  });
}

export async function findSession(
  ctx: StoreContext,
  secret: string,
): Promise<{ id: string; role: Role } | null> {
  const r = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'role'])
    .where('secret_sha256', '=', tokenHash(secret))
    .where('ended_at', 'is', null)
    .where('expires_at', '>', ctx.now())
    .executeTakeFirst();
  return r ? { id: r.id, role: r.role as Role } : null;
}

/** Ends a session for good (sign-out): its cookie is refused from now on, by every instance. */
export async function endSession(ctx: StoreContext, id: string): Promise<boolean> {
  return change(ctx, async (trx, audit) => {
    const r = await trx
      .updateTable('sessions')
      .set({ ended_at: ctx.now() })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    const ended = Number(r.numUpdatedRows) === 1;
    if (ended) await audit({ action: 'session.end', subjectType: 'session', subjectId: id, detail: {} });
    return ended;
  });
}

/**
 * The hash of every secret that signs in now (tokens, sessions, unspent links), in three reads
 * whatever was asked. The throttle checks a throttled address's secret against this before it
 * looks it up, so a valid token still passes while a flood of wrong ones costs the database
 * nothing more (server/auth-throttle.ts).
 */
export async function knownCredentials(ctx: StoreContext): Promise<Set<string>> {
  const now = ctx.now();
  const known = new Set<string>();
  const tokens = await ctx.db
    .selectFrom('api_tokens')
    .select('token_sha256')
    .where('revoked_at', 'is', null)
    .execute();
  for (const t of tokens) known.add(t.token_sha256);
  const sessions = await ctx.db
    .selectFrom('sessions')
    .select('secret_sha256')
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  for (const s of sessions) known.add(s.secret_sha256);
  const links = await ctx.db
    .selectFrom('sign_in_links')
    .select('secret_sha256')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  for (const l of links) known.add(l.secret_sha256);
  return known;
}
