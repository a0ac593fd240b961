// Bulk register for the sync benchmarks: sites, locks and credentials written straight into the
// store's tables (sealed as the store seals them), since 100,000 one-by-one API calls would
// measure the register, not the reconciler; and the set-up the sync benchmarks share (a store of
// their own per dialect, simulated locks holding the seeded codes). Not a benchmark itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { getModel } from '../dist/core/catalog/index.js';
import { prefixKey } from '../dist/core/codes/keypad.js';
import { factoryState } from '../dist/core/codes/lock-state.js';
import { seededRandom } from '../dist/core/ports.js';
import { openStore } from '../dist/store/index.js';
import { SimLock } from '../dist/sync/sim-driver.js';

const id = (p) => `${p}_${randomBytes(9).toString('base64url')}`;

/** Codes with distinct first four digits (and none starting like 0000). */
export function distinctCodes(n, random, model) {
  const seen = new Set([prefixKey('0000', model)]);
  const out = [];
  while (out.length < n) {
    const code = String(1_000_000 + random.int(9_000_000));
    const k = prefixKey(code, model);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(code);
  }
  return out;
}

/**
 * `locks` locks of one model on one site, each with `perLock` credentials in slots 1..perLock.
 * `schedule(l, i)` may give a credential { kind, startsAt, endsAt }.
 */
export async function seedLocks(
  store,
  { locks, perLock, model: modelId, seed, now, schedule, status = 'unset' },
) {
  const ctx = store.ctx;
  const model = getModel(modelId);
  const random = seededRandom(seed);
  const site = await store.addSite({ name: 'Bench site' });
  const out = [];
  const batch = { locks: [], creds: [], links: [], slots: [] };
  const flush = async () => {
    await ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < batch.locks.length; i += 500)
        await trx
          .insertInto('locks')
          .values(batch.locks.slice(i, i + 500))
          .execute();
      for (let i = 0; i < batch.creds.length; i += 200)
        await trx
          .insertInto('credentials')
          .values(batch.creds.slice(i, i + 200))
          .execute();
      for (let i = 0; i < batch.links.length; i += 500)
        await trx
          .insertInto('credential_locks')
          .values(batch.links.slice(i, i + 500))
          .execute();
      for (let i = 0; i < batch.slots.length; i += 500)
        await trx
          .insertInto('lock_slots')
          .values(batch.slots.slice(i, i + 500))
          .execute();
    });
    batch.locks = [];
    batch.creds = [];
    batch.links = [];
    batch.slots = [];
  };
  for (let l = 0; l < locks; l++) {
    const lockId = id('lock');
    batch.locks.push({
      id: lockId,
      site_id: site.id,
      name: `Door ${l}`,
      model: model.id,
      driver: 'sim',
      driver_config: '{}',
      programming_code_enc: null,
      volts_per_cell: null,
      battery_at: null,
      maintained_at: now,
      version: 1,
      created_at: now,
    });
    const codes = distinctCodes(perLock, random, model);
    const creds = [];
    for (const [i, code] of codes.entries()) {
      const credId = id('cred');
      const s = schedule ? schedule(l, i) : {};
      const row = {
        id: credId,
        person_id: null,
        name: `Guest ${l}-${i}`,
        kind: s.kind ?? 'permanent',
        code_enc: ctx.sealer.seal(code, `credential:${credId}`),
        starts_at: s.startsAt ?? null,
        ends_at: s.endsAt ?? null,
        windows: '[]',
        use_limit: null,
        uses: 0,
        rotation: 'annual',
        code_set_at: now,
        rotate_due_at: null,
        revoked_at: null,
        version: 1,
        created_at: now,
      };
      batch.creds.push(row);
      const prefixHash = ctx.sealer.prefixHash(lockId, prefixKey(code, model));
      batch.links.push({
        credential_id: credId,
        lock_id: lockId,
        slot: i + 1,
        prefix_hash: prefixHash,
        status,
        error: null,
        updated_at: now,
      });
      if (status === 'set') {
        batch.slots.push({
          lock_id: lockId,
          slot: i + 1,
          status: 'occupied',
          credential_id: credId,
          code_enc: ctx.sealer.seal(code, `slot:${lockId}:${i + 1}`),
          prefix_hash: prefixHash,
          unmanaged: 0,
          error: null,
          last_used_at: null,
          updated_at: now,
        });
      }
      creds.push({ id: credId, code, ...s });
    }
    out.push({ id: lockId, codes, creds });
    if (batch.creds.length >= 5000) await flush();
  }
  await flush();
  return out;
}

export const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const PG_ADMIN = process.env.KEYWARD_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/**
 * A store of its own for one benchmark run: a SQLite file in a temporary folder, or a PostgreSQL
 * database created for the run. `dispose()` closes it and removes the file or drops the database.
 */
export async function benchStore(dialect, clock, label) {
  const dir = mkdtempSync(join(tmpdir(), `keyward-bench-${label}-`));
  let db = join(dir, 'keyward.db');
  let drop = async () => {};
  if (dialect === 'postgres') {
    const name = `keyward_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    db = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
    drop = async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const store = await openStore({
    db,
    secretKey: Buffer.alloc(32, 3),
    dataDir: dir,
    env: {},
    now: () => clock.now(),
    actor: 'bench',
  });
  return {
    store,
    dispose: async () => {
      await store.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A simulated lock per seeded lock, holding its codes in slots 1.., and each lock's credentials. */
export async function simulatedLocks(locks, model, clock) {
  const profile = getModel(model);
  const sims = new Map();
  const guests = new Map();
  for (const l of locks) {
    const initial = {
      ...factoryState(profile),
      slots: Object.fromEntries(l.codes.map((c, i) => [String(i + 1), c])),
    };
    sims.set(l.id, new SimLock({ model, clock, initial }));
    guests.set(l.id, l.creds);
  }
  return { sims, guests };
}

/** The locks were read when their codes went on: no first-contact read in the measurement. */
export async function markRead(store, locks, at) {
  const sdb = store.ctx.db;
  for (let i = 0; i < locks.length; i += 500)
    await sdb
      .insertInto('sync_locks')
      .values(
        locks
          .slice(i, i + 500)
          .map((l) => ({ lock_id: l.id, read_at: at, checksum: null, verified_at: null, reread: 0 })),
      )
      .execute();
}

/** Runs `run` per dialect, printing each result; PostgreSQL is skipped, said so, when unreachable. */
export async function perDialect(which, run) {
  const results = [];
  for (const d of which === 'both' ? ['sqlite', 'postgres'] : [which]) {
    try {
      results.push(await run(d));
    } catch (e) {
      if (d === 'postgres' && which === 'both')
        results.push({ dialect: d, skipped: `PostgreSQL unreachable: ${e.message}` });
      else throw e;
    }
    console.log(JSON.stringify(results[results.length - 1], null, 2));
  }
  return results;
}
