import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** What the fake transaction does with an item. */
type Outcome = 'ok' | 'refused' | 'fault';

interface Item {
  n: number;
  outcome: Outcome;
  weight: number;
  group: 'a' | 'b';
}

/**
 * A stand-in for one database transaction: a refused item is answered with its own error, a
 * faulty one fails the whole batch (as a database error would), and what a failed batch did is
 * thrown away. Records each batch, and what was committed.
 */
function fakeDatabase() {
  const batches: number[][] = [];
  const committed: number[] = [];
  const run = async (items: Item[]): Promise<Array<string | Error>> => {
    batches.push(items.map((i) => i.n));
    await new Promise((r) => setTimeout(r, 1));
    if (items.some((i) => i.outcome === 'fault')) throw new Error('the database failed');
    committed.push(...items.filter((i) => i.outcome === 'ok').map((i) => i.n));
    return items.map((i) => (i.outcome === 'refused' ? new Error(`refused ${i.n}`) : `done ${i.n}`));
  };
  return { run, batches, committed };
}

describe('group commit', () => {
  it('runs requests made together in one batch and answers each with its own result', async () => {
    const db = fakeDatabase();
    const q = new GroupCommit(db.run, { maxItems: 10 });
    const items: Item[] = [0, 1, 2, 3].map((n) => ({ n, outcome: 'ok', weight: 1, group: 'a' }));
    items[2]!.outcome = 'refused';
    const settled = await Promise.allSettled(items.map((i) => q.submit(i)));
    expect(db.batches).toEqual([[0, 1, 2, 3]]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      'done 0',
      'done 1',
      'refused 2',
      'done 3',
    ]);
  });

  it('gathers what arrives while a batch runs into the next one', async () => {
    const db = fakeDatabase();
    const q = new GroupCommit(db.run, { maxItems: 10 });
    const first = q.submit({ n: 0, outcome: 'ok', weight: 1, group: 'a' });
    await new Promise((r) => setImmediate(r));
    const later = [1, 2, 3].map((n) => q.submit({ n, outcome: 'ok', weight: 1, group: 'a' }));
    await Promise.all([first, ...later]);
    expect(db.batches).toEqual([[0], [1, 2, 3]]);
  });

  it('runs every item of a failed batch again on its own, so only the faulty one fails', async () => {
    const db = fakeDatabase();
    const q = new GroupCommit(db.run, { maxItems: 10 });
    const outcomes: Outcome[] = ['ok', 'fault', 'ok'];
    const settled = await Promise.allSettled(
      outcomes.map((outcome, n) => q.submit({ n, outcome, weight: 1, group: 'a' })),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.batches).toEqual([[0, 1, 2], [0], [1], [2]]);
    expect(db.committed).toEqual([0, 2]);
  });

  it('answers every request exactly as if it had run alone, whatever the mix, sizes and timing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'refused', 'fault'),
            weight: fc.integer({ min: 1, max: 5 }),
            group: fc.constantFrom<'a' | 'b'>('a', 'b'),
            pause: fc.boolean(),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 5, max: 12 }),
        async (specs, maxItems, maxWeight) => {
          const db = fakeDatabase();
          const q = new GroupCommit(db.run, {
            maxItems,
            maxWeight,
            weight: (i) => i.weight,
            compatible: (a, b) => a.group === b.group,
          });
          const items = specs.map((s, n) => ({ n, outcome: s.outcome, weight: s.weight, group: s.group }));
          const answers: Array<Promise<PromiseSettledResult<string>>> = [];
          for (const [n, item] of items.entries()) {
            answers.push(
              q.submit(item).then(
                (value) => ({ status: 'fulfilled', value }),
                (reason: unknown) => ({ status: 'rejected', reason }),
              ),
            );
            if (specs[n]!.pause) await new Promise((r) => setImmediate(r));
          }
          const settled = await Promise.all(answers);
          settled.forEach((s, n) => {
            const item = items[n]!;
            if (item.outcome === 'ok') expect(s).toEqual({ status: 'fulfilled', value: `done ${n}` });
            else expect(s.status).toBe('rejected');
          });
          // Exactly the good ones were committed, each once.
          expect([...db.committed].sort((a, b) => a - b)).toEqual(
            items.filter((i) => i.outcome === 'ok').map((i) => i.n),
          );
          for (const batch of db.batches) {
            const members = batch.map((n) => items[n]!);
            expect(batch.length).toBeLessThanOrEqual(maxItems);
            if (batch.length > 1) {
              expect(members.reduce((w, i) => w + i.weight, 0)).toBeLessThanOrEqual(maxWeight);
              expect(new Set(members.map((i) => i.group)).size).toBe(1);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('group commit drained in a microtask', () => {
  it('writes what one turn submitted together before any timer of that turn runs', async () => {
    const db = fakeDatabase();
    const q = new GroupCommit(db.run, { maxItems: 10, drainOn: queueMicrotask });
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    const done = Promise.all([0, 1].map((n) => q.submit({ n, outcome: 'ok', weight: 1, group: 'a' })));
    await Promise.resolve();
    order.push(`batches ${db.batches.length}`);
    await done;
    expect(order[0]).toBe('batches 1');
    expect(db.batches).toEqual([[0, 1]]);
  });
});
