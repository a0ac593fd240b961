import { createHash, randomBytes } from 'node:crypto';
import { KeywardError } from '../core/errors.js';
import { change, newId, type StoreContext } from './context.js';
import { ROLES, type Role } from './kinds.js';

export { ROLES, type Role };

/**
 * Tokens are 256 random bits, so a plain SHA-256 is enough to make a stolen table useless and
 * keeps every request cheap (a slow hash is for guessable secrets).
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(
  ctx: StoreContext,
  input: { name: string; role: Role },
): Promise<{ id: string; token: string }> {
  if (!ROLES.includes(input.role))
    throw new KeywardError('BAD_INPUT', `role must be one of ${ROLES.join(', ')}`);
  const token = `kw_${randomBytes(32).toString('base64url')}`;
  const id = newId('tok');
  await change(ctx, async (trx, audit) => {
    await trx
      .insertInto('api_tokens')
      .values({
        id,
        name: input.name,
        token_sha256: tokenHash(token),
        role: input.role,
        created_at: ctx.now(),
        revoked_at: null,
      })
      .execute();
    await audit({
      action: 'token.create',
      subjectType: 'api_token',
      subjectId: id,
      detail: { role: input.role },
    });
  });
  return { id, token };
}

export async function findApiToken(
  ctx: StoreContext,
  token: string,
): Promise<{ id: string; role: Role } | null> {
  const r = await ctx.db
    .selectFrom('api_tokens')
    .select(['id', 'role'])
    .where('token_sha256', '=', tokenHash(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r ? { id: r.id, role: r.role as Role } : null;
}
