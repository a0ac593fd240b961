import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOUR_MS } from '../src/core/access/schedule.js';
import type { ReconcilerOptions } from '../src/sync/reconciler.js';
import { auditRows, killable, matchGolden, Names, type Recording, stateRows } from './golden/record.js';
import { DIALECTS, type DialectName } from './store/dialects.js';
import { distinctCodes, SyncWorld, T0 } from './sync-harness.js';

/**
 * Ids come from node:crypto's randomBytes; here they count up instead, written in base64url
 * digits only. The reconciler takes locks in id order (start, sweep), so random ids would
 * change the order of the audit rows from run to run; counting ids are in creation order, and
 * sort the same in SQLite and under any PostgreSQL collation. Seals' nonces count up too.
 */
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  let n = 0;
  const randomBytes = (size: number) => {
    const groups = Math.ceil((size * 8) / 6);
    const digits = String(++n).padStart(groups, '0').slice(-groups);
    // base64url: 52..61 are the characters 0..9.
    const bits = [...digits].map((d) => (52 + Number(d)).toString(2).padStart(6, '0')).join('');
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i++) out[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8).padEnd(8, '0'), 2);
    return out;
  };
  return { ...real, default: { ...real, randomBytes }, randomBytes };
});

/**
 * The golden test: what sync does, recorded before its redesign and compared after it, in
 * scenarios on the simulated clock. Re-record (only when a change of behaviour is intended) with
 * `KEYWARD_GOLDEN=record npx vitest run test/sync-golden.test.ts`; the files are test/golden/*.json.
 */
let world: SyncWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function record(w: SyncWorld, checkpoints?: Record<string, unknown>): Promise<Recording> {
  const names = new Names();
  const audit = await auditRows(w.store, names);
  const tables = await stateRows(w.store, names);
  // Checkpoints were read earlier, with names of their own; named again here they would number
  // ids differently, so they keep theirs.
  return checkpoints ? { audit, tables, checkpoints } : { audit, tables };
}

/** A snapshot of the tables taken mid-scenario, ids named after the audit rows so far. */
async function checkpoint(w: SyncWorld): Promise<unknown> {
  const names = new Names();
  await auditRows(w.store, names);
  return stateRows(w.store, names);
}

const CHECKOUT = T0 + 11 * HOUR_MS;

async function checkoutBurst(dialect: DialectName): Promise<Recording> {
  world = await SyncWorld.create({ dialect });
  const w = world;
  const codes = distinctCodes(20, 31);
  const rooms = [];
  // Five rooms; the last is a 264, whose deleted codes stay in its memory.
  for (let l = 0; l < 5; l++) {
    const model = l === 4 ? '264' : '914';
    const { id, sim } = await w.addLock(model, { latencyMs: 200 });
    const code = (i: number) => (model === '264' ? codes[i]!.slice(0, 5) : codes[i]!);
    for (let g = 0; g < 3; g++)
      await w.store.addCredential({
        name: `Guest ${l}-${g}`,
        code: code(l * 4 + g),
        lockIds: [id],
        kind: 'guest',
        startsAt: T0,
        endsAt: CHECKOUT,
      });
    await w.store.addCredential({ name: `Staff ${l}`, code: code(l * 4 + 3), lockIds: [id] });
    rooms.push({ id, sim });
  }
  await w.reconciler.start();
  await w.settle(HOUR_MS);
  const batches = w.reconciler.stats.batches;
  await w.settle(11 * HOUR_MS);
  // The five locks woken by one boundary went as one batch; each keeps its staff code only.
  expect(w.reconciler.stats.batches - batches).toBe(1);
  for (const r of rooms) expect(Object.keys(r.sim.lock.slots)).toHaveLength(1);
  return record(w);
}

async function keypadEdits(dialect: DialectName, keypadEdits: 'adopt' | 'revert'): Promise<Recording> {
  world = await SyncWorld.create({ dialect, reconciler: { policy: { keypadEdits } } });
  const w = world;
  const doors = [];
  for (const [model, codes, stranger] of [
    ['914', ['2947561', '8163402'], '5551234'],
    ['264', ['29475', '81634'], '55512'],
  ] as const) {
    const { id, sim } = await w.addLock(model);
    const creds = [];
    for (const [i, code] of codes.entries())
      creds.push(await w.store.addCredential({ name: `Person ${model}-${i}`, code, lockIds: [id] }));
    doors.push({ id, sim, creds, stranger });
  }
  await w.reconciler.start();
  await w.settle(60_000);
  for (const d of doors) {
    // A code added at the keypad into slot 12, and the first credential's code deleted there.
    expect(d.sim.keypadAdd(12, d.stranger)).toBe(true);
    const slot = (await w.statuses(d.creds[0]!.id))[0]!.slot;
    expect(d.sim.keypadDelete(slot)).toBe(true);
    await w.settle(60_000);
  }
  await w.settle(HOUR_MS);
  return record(w);
}

async function unreachable(dialect: DialectName): Promise<Recording> {
  world = await SyncWorld.create({
    dialect,
    reconciler: { sweepEveryMs: 30_000, backoff: { baseMs: 2_000, maxMs: 600_000, suspendAfter: 20 } },
  });
  const w = world;
  // One lock silent from the start (never read), one that falls silent after first contact.
  const never = await w.addLock('914');
  const later = await w.addLock('914');
  never.sim.reachable = false;
  await w.store.addCredential({ name: 'Di', code: '2947561', lockIds: [never.id] });
  await w.store.addCredential({ name: 'Ed', code: '8163402', lockIds: [later.id] });
  await w.reconciler.start();
  await w.settle(60_000);
  later.sim.reachable = false;
  await w.store.addCredential({ name: 'Flo', code: '5550193', lockIds: [never.id, later.id] });
  w.reconciler.schedule(later.id);
  await w.settle(HOUR_MS);
  const whileDown = await checkpoint(w);
  never.sim.reachable = true;
  later.sim.reachable = true;
  await w.settle(HOUR_MS);
  for (const d of [never, later]) expect(Object.keys(d.sim.lock.slots)).toHaveLength(2);
  return record(w, { whileDown });
}

async function restart(dialect: DialectName): Promise<Recording> {
  world = await SyncWorld.create({ dialect });
  const w = world;
  const locks = [];
  for (let l = 0; l < 2; l++) {
    const { id, sim } = await w.addLock('914', { latencyMs: 200 });
    for (const [i, code] of distinctCodes(6, 17 + l).entries())
      await w.store.addCredential({ name: `Person ${l}-${i}`, code, lockIds: [id] });
    locks.push({ id, sim });
  }
  // The first reconciler's drivers die with it: the frames it sent still reach the locks.
  const first = new Map(locks.map((l) => [l.id, killable(l.sim)]));
  w.reconciler.stop();
  w.reconciler = w.newReconciler({ driverFor: (lock) => first.get(lock.id)?.driver ?? null });
  await w.reconciler.start();
  // Mid-way: each lock's first read (30 slots, 2 frames of 200 ms each) is done, a few codes are
  // confirmed, and a write is on its way.
  await w.settle(30 * 2 * 200 + 3 * 2 * 200 + 100);
  for (const k of first.values()) k.kill();
  w.reconciler.stop();
  const atKill = await checkpoint(w);
  expect((atKill as { sync_ops: unknown[] }).sync_ops.length).toBeGreaterThan(0);

  w.reconciler = w.newReconciler();
  await w.reconciler.start();
  await w.settle(HOUR_MS);
  for (const l of locks) expect(Object.keys(l.sim.lock.slots)).toHaveLength(6);
  return record(w, { atKill });
}

async function backoff(dialect: DialectName): Promise<Recording> {
  const reconciler: Partial<ReconcilerOptions> = { backoff: { baseMs: 1_000, suspendAfter: 4 } };
  world = await SyncWorld.create({ dialect, reconciler });
  const w = world;
  // Weak batteries: the lock refuses to program, the slot backs off until fresh cells go in.
  const weak = await w.addLock('914');
  // A radio that stops answering: the slot backs off until suspended, and is resumed by hand.
  const deaf = await w.addLock('914');
  await w.reconciler.syncLock(weak.id);
  await w.reconciler.syncLock(deaf.id);
  weak.sim.setVolts(1.15);
  deaf.sim.reachable = false;
  await w.store.addCredential({ name: 'Gus', code: '7031846', lockIds: [weak.id] });
  await w.store.addCredential({ name: 'Hal', code: '6420917', lockIds: [deaf.id] });
  await w.reconciler.start();
  // Three failures (at 0, 1 s, 3.5 s), fresh cells before the fourth would suspend the slot.
  await w.settle(5_000);
  weak.sim.setVolts(1.5);
  await w.settle(HOUR_MS);
  const suspended = await checkpoint(w);
  deaf.sim.reachable = true;
  await w.reconciler.resumeSlot(deaf.id, 1);
  await w.settle(HOUR_MS);
  for (const d of [weak, deaf]) expect(Object.keys(d.sim.lock.slots)).toHaveLength(1);
  return record(w, { suspended });
}

async function programmingCode(dialect: DialectName): Promise<Recording> {
  world = await SyncWorld.create({ dialect });
  const w = world;
  const { id, sim } = await w.addLock('264', { slots: { '7': '55501' } });
  await w.store.addCredential({ name: 'Ana', code: '29475', lockIds: [id] });
  await w.reconciler.syncLock(id);
  // Refused without a frame (same first four digits as slot 7), changed, then a lock that does
  // not answer.
  expect(await w.reconciler.setProgrammingCode(id, '555019')).toMatchObject({ ok: false, error: 'rejected' });
  expect(await w.reconciler.setProgrammingCode(id, '78241')).toMatchObject({ ok: true });
  await w.store.addCredential({ name: 'Ben', code: '81634', lockIds: [id] });
  await w.reconciler.syncLock(id);
  sim.reachable = false;
  expect(await w.reconciler.setProgrammingCode(id, '36925')).toMatchObject({
    ok: false,
    error: 'unconfirmed',
  });
  sim.reachable = true;
  await w.settle(60_000);
  expect(sim.lock.programmingCode).toBe('78241');
  return record(w);
}

const SCENARIOS: Array<[string, (d: DialectName) => Promise<Recording>]> = [
  ['checkout-burst', checkoutBurst],
  ['keypad-edits-adopted', (d) => keypadEdits(d, 'adopt')],
  ['keypad-edits-reverted', (d) => keypadEdits(d, 'revert')],
  ['unreachable-lock-returns', unreachable],
  ['restart-with-intents-left', restart],
  ['failed-op-backs-off', backoff],
  ['programming-code-change', programmingCode],
];

describe.each(DIALECTS)('sync as recorded before its redesign, on %s', (dialect) => {
  it.each(SCENARIOS)(
    'does in the scenario "%s" exactly what it did then',
    async (name, run) => {
      matchGolden(name, await run(dialect), dialect === DIALECTS[0], dialect);
    },
    60_000,
  );
});
