import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeywardError } from '../../src/core/errors.js';
import { openReader, type Reader } from '../../src/store/reader.js';
import { DIALECTS, Harness, TEST_KEY } from './dialects.js';

const T0 = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;
const ROOT = resolve(import.meta.dirname, '../..');

const h = new Harness();
const readers: Reader[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close().catch(() => {});
  await h.cleanup();
});

async function read(url: string, secretKey = TEST_KEY): Promise<Reader> {
  const reader = await openReader({ db: url, secretKey, dataDir: '/nonexistent', env: {} });
  readers.push(reader);
  return reader;
}

describe.each(DIALECTS)('the reader behind `keyward status` (%s)', (dialect) => {
  it('reports exactly what the store reports: departures, rotations, batteries, maintenance', async () => {
    const db = await h.database(dialect);
    // The stay that is over was booked while it was still to come.
    let now = T0 - 3 * DAY;
    const store = await h.open(db.url, { now: () => now });
    const site = await store.addSite({ name: 'Cabins' });
    const front = await store.addLock({ siteId: site.id, name: 'Front', model: '916' });
    const back = await store.addLock({ siteId: site.id, name: 'Back', model: '264' });
    await store.addCredential({ name: 'Ann', code: '4821', lockIds: [front.id, back.id] });
    const guest = await store.addCredential({
      name: 'Guest',
      kind: 'guest',
      code: '5932',
      lockIds: [front.id],
      startsAt: T0 - DAY,
      endsAt: T0 + 2 * DAY,
    });
    await store.addCredential({
      name: 'Gone',
      kind: 'guest',
      code: '6043',
      lockIds: [back.id],
      startsAt: T0 - 3 * DAY,
      endsAt: T0 - DAY,
    });
    now = T0;
    await store.recordBattery(back.id, 1.2);
    await store.setAssignmentStatus(guest.id, front.id, 'set');
    const reader = await read(db.url);
    for (const at of [T0, T0 + 3 * DAY, T0 + 40 * DAY, T0 + 366 * DAY]) {
      const fromReader = await reader.status(at);
      expect(fromReader).toEqual(await store.status(at));
    }
    const later = await reader.status(T0 + 366 * DAY, 30 * DAY);
    expect(later.counts).toMatchObject({ rotation: 1, battery: 1, maintenance: 2, 'guest-departure': 2 });
  });

  it('sets up a new database as the store would, then finds nothing due', async () => {
    const db = await h.database(dialect);
    const reader = await read(db.url);
    expect((await reader.status(T0)).items).toEqual([]);
    await reader.close();
    // The store opens it afterwards with the same key: migrations ran and the key check is sealed.
    const store = await h.open(db.url);
    expect(await store.listSites()).toEqual([]);
  });

  it('refuses a wrong secret key before reading anything', async () => {
    const db = await h.database(dialect);
    await h.open(db.url);
    const e = await read(db.url, Buffer.alloc(32, 9)).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(KeywardError);
    expect((e as KeywardError).code).toBe('WRONG_SECRET_KEY');
  });
});

describe('the reader', () => {
  it('answers for a database that lives only in memory, set up by the store', async () => {
    const reader = await read(':memory:');
    expect((await reader.status(T0)).items).toEqual([]);
  });

  it('names the database it cannot open', async () => {
    const e = await read('postgres://nobody@127.0.0.1:1/none').then(
      () => null,
      (err: unknown) => err,
    );
    expect((e as KeywardError).code).toBe('STORE_FAILED');
    expect((e as KeywardError).message).toContain('cannot open the database at postgres://127.0.0.1:1/none');
  });

  it('loads no query builder: no module it reaches imports kysely', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const stack = [resolve(ROOT, 'src/store/reader.ts')];
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gms)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        else packages.add(spec);
      }
    }
    expect(seen.size).toBeGreaterThan(5);
    expect([...packages].filter((p) => p.startsWith('kysely'))).toEqual([]);
  });
});
