import { afterEach, describe, expect, it } from 'vitest';
import { throttleStore } from '../../src/server/auth-throttle.js';
import type { Store } from '../../src/store/index.js';
import {
  countSignInAttempt,
  pruneSignInAttempts,
  refundSignInAttempt,
} from '../../src/store/sign-in-attempts.js';
import { DIALECTS, Harness } from './dialects.js';

const rows = async (store: Store) =>
  (
    await store.ctx.db
      .selectFrom('sign_in_attempts')
      .select(['address', 'window_start', 'attempts'])
      .orderBy('address')
      .orderBy('window_start')
      .execute()
  ).map((r) => [r.address, Number(r.window_start), Number(r.attempts)]);

describe.each(DIALECTS)('sign-in attempt counts on %s', (dialect) => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  it('counts each attempt of an address in its window, all at once too, and answers the count so far', async () => {
    const store = await h.fresh(dialect);
    const counts = await Promise.all(
      Array.from({ length: 10 }, () => countSignInAttempt(store.ctx, 'a', 60_000)),
    );
    expect(counts.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await countSignInAttempt(store.ctx, 'b', 60_000)).toBe(1);
    expect(await countSignInAttempt(store.ctx, 'a', 120_000)).toBe(1);
  });

  it('gives back an attempt of that address and window only, never below zero', async () => {
    const store = await h.fresh(dialect);
    await countSignInAttempt(store.ctx, 'a', 60_000);
    await countSignInAttempt(store.ctx, 'a', 60_000);
    await countSignInAttempt(store.ctx, 'b', 60_000);
    await countSignInAttempt(store.ctx, 'a', 120_000);
    await refundSignInAttempt(store.ctx, 'a', 60_000);
    expect(await rows(store)).toEqual([
      ['a', 60_000, 1],
      ['a', 120_000, 1],
      ['b', 60_000, 1],
    ]);
    await refundSignInAttempt(store.ctx, 'b', 60_000);
    await refundSignInAttempt(store.ctx, 'b', 60_000);
    expect((await rows(store))[2]).toEqual(['b', 60_000, 0]);
  });

  it('drops the counts of windows that ended before the cut, and keeps the rest', async () => {
    const store = await h.fresh(dialect);
    for (const w of [0, 60_000, 120_000]) await countSignInAttempt(store.ctx, 'a', w);
    await pruneSignInAttempts(store.ctx, 60_000);
    expect(await rows(store)).toEqual([
      ['a', 60_000, 1],
      ['a', 120_000, 1],
    ]);
  });

  it("is the throttle's database side: a count, a refund and a prune reach these rows", async () => {
    const store = await h.fresh(dialect);
    const db = throttleStore(store);
    expect(await db.count('a', 0)).toBe(1);
    expect(await db.count('a', 60_000)).toBe(1);
    await db.refund('a', 60_000);
    await db.prune(60_000);
    expect(await rows(store)).toEqual([['a', 60_000, 0]]);
  });
});
