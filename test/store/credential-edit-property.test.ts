import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { Harness } from './dialects.js';

const T0 = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;

/**
 * Whatever sequence of edits a host makes, a code keeps its digits and, on every lock it stays
 * on, its slot; an edit that is refused changes nothing at all.
 */
describe('any sequence of edits to a code', () => {
  const h = new Harness();
  let store: Store;
  let locks: string[];
  let n = 0;
  const counts = { accepted: 0, refused: 0 };

  beforeAll(async () => {
    store = await h.fresh('sqlite', { now: () => T0 });
    const site = await store.addSite({ name: 'Home' });
    locks = [];
    for (const [name, model] of [
      ['A', '264'],
      ['B', '910'],
      ['C', '264'],
    ] as const)
      locks.push((await store.addLock({ siteId: site.id, name, model })).id);
    // Neighbours whose prefixes some codes clash with, so that some edits are refused.
    await store.addCredential({ name: 'Owner B', code: '24680', lockIds: [locks[1]!] });
    await store.addCredential({ name: 'Owner C', code: '55550', lockIds: [locks[2]!] });
  });
  afterAll(() => h.cleanup());

  const edit = fc.record(
    {
      lockIds: fc.subarray([0, 1, 2], { minLength: 0 }),
      endsInDays: fc.integer({ min: -1, max: 20 }),
      maxUses: fc.option(fc.integer({ min: 0, max: 3 })),
    },
    { requiredKeys: [] },
  );

  it('keeps the digits and every kept slot, and a refused edit writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('13570', '24681', '55551', '90817'),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        async (code, edits) => {
          const c = await store.addCredential({
            name: `Guest ${n++}`,
            code,
            kind: 'guest',
            lockIds: [locks[0]!],
            endsAt: T0 + DAY,
          });
          for (const e of edits) {
            const before = await store.getCredential(c.id);
            const patch = {
              ...(e.lockIds ? { lockIds: e.lockIds.map((i) => locks[i]!) } : {}),
              ...(e.endsInDays !== undefined ? { endsAt: T0 + e.endsInDays * DAY } : {}),
              ...(e.maxUses !== undefined ? { maxUses: e.maxUses } : {}),
            };
            const after = await store.editCredential(c.id, patch).catch((err: Error) => err);
            if (after instanceof Error) {
              counts.refused++;
              expect(await store.getCredential(c.id)).toEqual(before);
              continue;
            }
            counts.accepted++;
            expect((await store.getCredential(c.id, { reveal: true })).code).toBe(code);
            const live = (x: typeof before) =>
              new Map(x.locks.filter((l) => l.status !== 'removed').map((l) => [l.lockId, l.slot]));
            const was = live(before);
            for (const [lockId, slot] of live(after)) if (was.has(lockId)) expect(slot).toBe(was.get(lockId));
            if (e.lockIds && e.lockIds.length > 0) {
              const wanted = new Set(e.lockIds.map((i) => locks[i]!));
              for (const l of after.locks)
                if (wanted.has(l.lockId)) expect(['unset', 'setting', 'set']).toContain(l.status);
                else expect(['removing', 'removed']).toContain(l.status);
            }
          }
          await store.revokeCredential(c.id);
        },
      ),
      { numRuns: 25 },
    );
    // Both sides of the property were reached, not only refusals (or only acceptances).
    expect(counts.accepted).toBeGreaterThan(10);
    expect(counts.refused).toBeGreaterThan(5);
  }, 120_000);
});
