import { sql } from 'kysely';
import type { StoreContext } from './context.js';

/**
 * Counts one sign-in attempt from an address in a window and answers the count so far, in one
 * atomic statement (an upsert that returns the row), so instances sharing a database share the
 * count and concurrent attempts cannot all read the same old value.
 */
export async function countSignInAttempt(
  ctx: StoreContext,
  address: string,
  windowStart: number,
): Promise<number> {
  const r = await ctx.db
    .insertInto('sign_in_attempts')
    .values({ address, window_start: windowStart, attempts: 1 })
    .onConflict((oc) =>
      oc.columns(['address', 'window_start']).doUpdateSet({ attempts: sql`sign_in_attempts.attempts + 1` }),
    )
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return Number(r.attempts);
}

/** Gives back an attempt that signed in: only failures use up an address's allowance. */
export async function refundSignInAttempt(
  ctx: StoreContext,
  address: string,
  windowStart: number,
): Promise<void> {
  await ctx.db
    .updateTable('sign_in_attempts')
    .set({ attempts: sql`attempts - 1` })
    .where('address', '=', address)
    .where('window_start', '=', windowStart)
    .where('attempts', '>', 0)
    .execute();
}

/** Drops the counts of windows that have ended. */
export async function pruneSignInAttempts(ctx: StoreContext, before: number): Promise<void> {
  await ctx.db.deleteFrom('sign_in_attempts').where('window_start', '<', before).execute();
}
