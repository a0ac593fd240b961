import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { KeywardError } from '../../src/core/errors.js';
import type { Store } from '../../src/store/index.js';
import { DIALECTS, Harness } from './dialects.js';

const T0 = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;

async function rejects(p: Promise<unknown>, code: string): Promise<KeywardError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(KeywardError);
  expect((e as KeywardError).code).toBe(code);
  return e as KeywardError;
}

async function counts(store: Store) {
  const n = async (t: 'credentials' | 'credential_locks' | 'audit_log' | 'people') =>
    Number(
      (await store.ctx.db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
    );
  return {
    credentials: await n('credentials'),
    assignments: await n('credential_locks'),
    audit: await n('audit_log'),
  };
}

/** What the reconciler keeps beside the register for a lock: a suspended slot, an intent in
 * flight, what it last read, a manual guide session half done, and a lease of its site. */
async function syncRowsFor(store: Store, lockId: string, siteId: string) {
  const db = store.ctx.db;
  const at = 1_795_000_000_000;
  await db
    .insertInto('sync_slots')
    .values({
      lock_id: lockId,
      slot: 3,
      failures: 5,
      next_attempt_at: at,
      suspended: 1,
      last_error: 'timeout',
    })
    .execute();
  await db
    .insertInto('sync_ops')
    .values({ id: 'op_1', lock_id: lockId, slot: 2, kind: 'add', credential_id: null, started_at: at })
    .execute();
  await db
    .insertInto('sync_locks')
    .values({ lock_id: lockId, read_at: at, checksum: 'ab12', verified_at: at, reread: 0 })
    .execute();
  await db
    .insertInto('manual_sessions')
    .values({
      id: 'ms_1',
      lock_id: lockId,
      status: 'paused',
      body_enc: store.ctx.sealer.seal('{"ops":[]}', 'manual:ms_1'),
      step: 2,
      note: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('sync_leases')
    .values({ site_id: siteId, holder: 'instance-a', expires_at: at })
    .execute();
}

async function frontDoor(store: Store, model = '264') {
  const site = await store.addSite({ name: 'Beach house' });
  const lock = await store.addLock({ siteId: site.id, name: 'Front door', model });
  return { site, lock };
}

describe.each(DIALECTS)('store on %s', (dialect) => {
  const h = new Harness();
  let clock = T0;
  const opts = { now: () => clock };
  afterEach(async () => {
    clock = T0;
    await h.cleanup();
  });

  it('keeps people, their several codes and the locks they open, and shows a code only when asked', async () => {
    const store = await h.fresh(dialect, opts);
    const { site, lock } = await frontDoor(store);
    const back = await store.addLock({ siteId: site.id, name: 'Back door', model: '910' });
    const ann = await store.addPerson({ name: 'Ann', siteId: site.id });
    const a = await store.addCredential({
      name: 'Ann main',
      personId: ann.id,
      code: '583920',
      lockIds: [lock.id, back.id],
    });
    await store.addCredential({ name: 'Ann spare', personId: ann.id, code: '7310', lockIds: [lock.id] });
    expect(a.locks.map((l) => l.slot)).toEqual([1, 1]);
    expect(a.locks.every((l) => l.status === 'unset')).toBe(true);
    expect(a).not.toHaveProperty('code');
    expect((await store.getCredential(a.id, { reveal: true })).code).toBe('583920');
    const mine = await store.listCredentials({ personId: ann.id });
    expect(mine.map((c) => c.name).sort()).toEqual(['Ann main', 'Ann spare']);
    expect(mine.every((c) => c.code === undefined)).toBe(true);
    expect((await store.listCredentials({ lockId: back.id })).map((c) => c.name)).toEqual(['Ann main']);
    const spare = mine.find((c) => c.name === 'Ann spare')!;
    expect(spare.locks[0]!.slot).toBe(2);
  });

  it('stores no code in clear text anywhere in the database', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    await store.addCredential({ name: 'Bob', code: '97531864', lockIds: [lock.id] });
    const everything = JSON.stringify(await store.dump());
    // Hashes and ciphertexts are runs of [A-Za-z0-9_-] that may hold any four digits by chance;
    // the code, or its first four digits, as a value of its own would be a leak.
    const token = (digits: string) => new RegExp(`(?<![A-Za-z0-9_-])${digits}(?![A-Za-z0-9_-])`);
    expect(everything).not.toMatch(token('97531864'));
    expect(everything).not.toMatch(token('9753'));
    expect(everything).not.toContain('97531864');
  });

  it('refuses a code an assigned lock would reject, naming the lock and the rule, and writes nothing', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    await store.addCredential({ name: 'Ann', code: '29475', lockIds: [lock.id] });
    const before = await counts(store);
    const e = await rejects(
      store.addCredential({ name: 'Bob', code: '29476', lockIds: [lock.id] }),
      'BAD_INPUT',
    );
    expect(e.message).toContain('Front door');
    expect(e.message).toContain('first four digits');
    expect(e.message).not.toMatch(/2947/);
    const rejected = e.details!.rejected as Array<{ reasons: Array<{ rule: string }> }>;
    expect(rejected[0]!.reasons[0]!.rule).toBe('prefix');
    expect(await counts(store)).toEqual(before);
  });

  it('compares codes as buttons on a 5-button keypad', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store, '910');
    await store.addCredential({ name: 'Ann', code: '1357', lockIds: [lock.id] });
    await rejects(store.addCredential({ name: 'Bob', code: '2468', lockIds: [lock.id] }), 'BAD_INPUT');
  });

  it("refuses a user code that shares its prefix with the lock's programming code", async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store, '264');
    const e = await rejects(
      store.addCredential({ name: 'Ann', code: '00001', lockIds: [lock.id] }),
      'BAD_INPUT',
    );
    expect(e.message).toContain('programming code');
  });

  it('refuses bad input clearly and writes nothing', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    const before = await counts(store);
    await rejects(
      store.addCredential({
        name: 'Guest',
        kind: 'guest',
        code: '4821',
        lockIds: [lock.id],
        startsAt: T0 + DAY,
        endsAt: T0,
      }),
      'BAD_INPUT',
    );
    await rejects(
      store.addCredential({ name: 'Guest', kind: 'guest', code: '4821', lockIds: [lock.id] }),
      'BAD_INPUT',
    );
    await rejects(store.addCredential({ name: 'X', code: '4821', lockIds: ['lock_nope'] }), 'NOT_FOUND');
    await rejects(store.addCredential({ name: 'X', code: '123', lockIds: [lock.id] }), 'BAD_INPUT');
    await rejects(store.addLock({ siteId: 'site_nope', name: 'X', model: '264' }), 'NOT_FOUND');
    await rejects(store.addLock({ siteId: lock.siteId, name: 'X', model: '999' }), 'UNKNOWN_MODEL');
    expect(await counts(store)).toEqual(before);
  });

  it('gives each new code a slot never used before while the lock has one', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    const stay = (n: number, code: string) =>
      store.addCredential({
        name: `Guest ${n}`,
        kind: 'guest',
        code,
        lockIds: [lock.id],
        startsAt: T0 + n * 3 * DAY,
        endsAt: T0 + (n * 3 + 2) * DAY,
      });
    const g1 = await stay(0, '4821');
    const g2 = await stay(1, '5932');
    clock = T0 + 3 * DAY;
    const g3 = await stay(2, '6043');
    // guest 1 has left, but slot 1 is the most recently used free slot, so a fresh one is taken
    expect([g1, g2, g3].map((g) => g.locks[0]!.slot)).toEqual([1, 2, 3]);
  });

  it('refuses a stale edit with a conflict error', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    const c = await store.addCredential({ name: 'Ann', code: '4821', lockIds: [lock.id] });
    const [first, second] = await Promise.allSettled([
      store.updateCredential(c.id, c.version, { name: 'Ann A.' }),
      store.updateCredential(c.id, c.version, { name: 'Ann B.' }),
    ]);
    const outcomes = [first, second].map((r) => r.status);
    expect(outcomes.sort()).toEqual(['fulfilled', 'rejected']);
    const failed = [first, second].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as KeywardError).code).toBe('CONFLICT');
    await rejects(store.updateCredential(c.id, c.version, { name: 'Late' }), 'CONFLICT');
    await rejects(store.updateCredential('cred_nope', 1, { name: 'X' }), 'NOT_FOUND');
    expect((await store.getCredential(c.id)).version).toBe(c.version + 1);
  });

  it('refuses to open with a wrong secret key and never returns a decrypted value', async () => {
    const db = await h.database(dialect);
    const store = await h.open(db.url, opts);
    await frontDoor(store);
    await store.close();
    await rejects(h.open(db.url, { secretKey: Buffer.alloc(32, 9) }), 'WRONG_SECRET_KEY');
  });

  it('revokes a code: never programmed means removed, otherwise removing', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    const c = await store.addCredential({ name: 'Ann', code: '4821', lockIds: [lock.id] });
    await store.ctx.db.updateTable('credential_locks').set({ status: 'set' }).execute();
    const r = await store.revokeCredential(c.id);
    expect(r.revokedAt).toBe(T0);
    expect(r.locks[0]!.status).toBe('removing');
    expect(await store.listCredentials()).toEqual([]);
    await rejects(store.revokeCredential(c.id), 'BAD_INPUT');
  });

  it('removes a person with all of their codes in one change', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    const p = await store.addPerson({ name: 'Ann' });
    await store.addCredential({ name: 'a', personId: p.id, code: '4821', lockIds: [lock.id] });
    await store.addCredential({ name: 'b', personId: p.id, code: '5821', lockIds: [lock.id] });
    const { revoked } = await store.removePerson(p.id);
    expect(revoked).toHaveLength(2);
    await rejects(store.getPerson(p.id), 'NOT_FOUND');
    expect(await store.listCredentials()).toEqual([]);
    expect((await store.verifyAudit()).ok).toBe(true);
  });

  it('reports what is due: departures, rotations, batteries and maintenance', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    await store.addCredential({ name: 'Ann', code: '4821', lockIds: [lock.id] });
    await store.addCredential({
      name: 'Guest',
      kind: 'guest',
      code: '5932',
      lockIds: [lock.id],
      endsAt: T0 + 2 * DAY,
    });
    await store.recordBattery(lock.id, 1.25);
    let s = await store.status(T0);
    expect(s.items.map((i) => i.kind)).toEqual(['battery', 'guest-departure']);
    s = await store.status(T0 + 366 * DAY);
    expect(s.counts).toMatchObject({ rotation: 1, maintenance: 1, battery: 1, 'guest-departure': 1 });
    expect(s.items.find((i) => i.kind === 'guest-departure')!.overdue).toBe(true);
  });

  it('places a code beside, not onto, codes the register did not set while a slot is free', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    // What the reconciler records for a code found on the lock and kept: masked, unmanaged.
    const occupy = (slots: number[]) =>
      store.ctx.db
        .insertInto('lock_slots')
        .values(
          slots.map((slot) => ({
            lock_id: lock.id,
            slot,
            status: 'occupied',
            credential_id: null,
            code_enc: null,
            prefix_hash: null,
            unmanaged: 1,
            error: null,
            last_used_at: null,
            updated_at: T0,
          })),
        )
        .execute();
    await occupy([1, 2]);
    const ann = await store.addCredential({ name: 'Ann', code: '4821', lockIds: [lock.id] });
    expect(ann.locks[0]!.slot).toBe(3);
    // Every other slot holds such a code: accepted all the same (the reconciler's policy may
    // remove that code; otherwise it reports no_free_slot), in one of those slots.
    await occupy(Array.from({ length: 27 }, (_, i) => i + 4));
    const bob = await store.addCredential({ name: 'Bob', code: '5932', lockIds: [lock.id] });
    expect(bob.locks[0]!.slot).not.toBe(3);
  });

  it('asks for maintenance a calendar month on, even when that month is February', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    const jan31 = Date.UTC(2026, 0, 31, 9);
    await store.ctx.db.updateTable('locks').set({ maintained_at: jan31 }).where('id', '=', lock.id).execute();
    const due = (at: number) => store.status(at, 7 * DAY).then((s) => s.items.map((i) => [i.kind, i.dueAt]));
    // 28 February is 28 days on: the shortest month the database filter must not cut off.
    expect(await due(Date.UTC(2026, 1, 21, 9))).toEqual([['maintenance', Date.UTC(2026, 1, 28, 9)]]);
    expect(await due(Date.UTC(2026, 1, 21, 8))).toEqual([]);
  });

  it('drops a one-time code from the desired slots after the lock reports its first use', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    const once = await store.addCredential({
      name: 'Courier',
      code: '6043',
      lockIds: [lock.id],
      useLimit: 1,
    });
    expect((await store.lockView(lock.id)).slots.map((s) => s.credentialId)).toEqual([once.id]);
    expect(await store.recordUse(once.id, lock.id)).toEqual({ uses: 1, exhausted: true });
    expect((await store.lockView(lock.id)).slots).toEqual([]);
    expect((await store.getCredential(once.id)).uses).toBe(1);
  });

  it('shows a weekly-window code on the lock only inside its hours and says when that changes', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    // T0 is Monday 1 June 2026, 12:00 UTC; the site is on UTC
    const cleaner = await store.addCredential({
      name: 'Cleaner',
      code: '6043',
      lockIds: [lock.id],
      windows: [{ days: [1], startMinute: 13 * 60, endMinute: 15 * 60 }],
    });
    const noon = await store.lockView(lock.id, T0);
    expect(noon.slots).toEqual([]);
    expect(noon.nextChange).toBe(T0 + 3_600_000);
    const one = await store.lockView(lock.id, T0 + 3_600_000);
    expect(one.slots.map((s) => s.credentialId)).toEqual([cleaner.id]);
    expect(one.nextChange).toBe(T0 + 3 * 3_600_000);
  });

  it("keeps a site's weekly windows on wall-clock time across its clock change", async () => {
    const store = await h.fresh(dialect, opts);
    const site = await store.addSite({ name: 'Brooklyn walk-up', timeZone: 'America/New_York' });
    expect(site.timeZone).toBe('America/New_York');
    const lock = await store.addLock({ siteId: site.id, name: 'Front door', model: '264' });
    const cleaner = await store.addCredential({
      name: 'Cleaner',
      code: '6043',
      lockIds: [lock.id],
      windows: [{ days: [1], startMinute: 9 * 60, endMinute: 17 * 60 }],
    });
    // Monday 2 March 2026 (EST, UTC-5) and Monday 9 March (EDT, UTC-4): 09:00 local both times.
    const before = await store.lockView(lock.id, Date.UTC(2026, 2, 2, 12));
    expect(before.nextChange).toBe(Date.UTC(2026, 2, 2, 14));
    const after = await store.lockView(lock.id, Date.UTC(2026, 2, 9, 13, 30));
    expect(after.slots.map((s) => s.credentialId)).toEqual([cleaner.id]);
    expect(after.nextChange).toBe(Date.UTC(2026, 2, 9, 21));
  });

  it('refuses a time zone the system does not know, or a zone and an offset together', async () => {
    const store = await h.fresh(dialect, opts);
    await rejects(store.addSite({ name: 'Nowhere', timeZone: 'Mars/Olympus_Mons' }), 'BAD_INPUT');
    await rejects(
      store.addSite({ name: 'Both', timeZone: 'Europe/Paris', tzOffsetMinutes: 60 }),
      'BAD_INPUT',
    );
    expect(await store.listSites()).toEqual([]);
  });

  it('stops reporting a departed guest once every lock confirms the code is gone', async () => {
    const store = await h.fresh(dialect, opts);
    const { site, lock } = await frontDoor(store);
    const back = await store.addLock({ siteId: site.id, name: 'Back door', model: '914' });
    const g = await store.addCredential({
      name: 'Guest',
      kind: 'guest',
      code: '5932',
      lockIds: [lock.id, back.id],
      endsAt: T0 + DAY,
    });
    await store.setAssignmentStatus(g.id, lock.id, 'set');
    await store.setAssignmentStatus(g.id, back.id, 'set');
    const later = T0 + 3 * DAY;
    expect((await store.status(later)).counts['guest-departure']).toBe(1);
    await store.setAssignmentStatus(g.id, lock.id, 'removed');
    expect((await store.status(later)).counts['guest-departure']).toBe(1);
    await store.setAssignmentStatus(g.id, back.id, 'removed');
    expect((await store.status(later)).counts['guest-departure']).toBe(0);
    await store.setAssignmentStatus(g.id, back.id, 'removing', 'failed_to_remove');
    expect((await store.status(later)).counts['guest-departure']).toBe(1);
    expect((await store.getCredential(g.id)).locks.find((l) => l.lockId === back.id)).toMatchObject({
      status: 'removing',
      error: 'failed_to_remove',
    });
    // a writer that forgets cleared_at cannot hide the code: the assignments decide
    await store.ctx.db.updateTable('credentials').set({ cleared_at: null }).where('id', '=', g.id).execute();
    await store.ctx.db
      .updateTable('credential_locks')
      .set({ status: 'removed' })
      .where('credential_id', '=', g.id)
      .execute();
    expect((await store.status(later)).counts['guest-departure']).toBe(0);
    await rejects(store.setAssignmentStatus(g.id, 'lock_nope', 'set'), 'NOT_FOUND');
    await rejects(store.setAssignmentStatus(g.id, lock.id, 'gone' as never), 'BAD_INPUT');
  });

  it('rotates a code in one change: the new one checked against the old, the old one revoked', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    const p = await store.addPerson({ name: 'Ann' });
    const old = await store.addCredential({ name: 'Ann', personId: p.id, code: '4821', lockIds: [lock.id] });
    await rejects(store.rotateCredential(old.id, '48219'), 'BAD_INPUT');
    clock = T0 + 400 * DAY;
    const fresh = await store.rotateCredential(old.id, '5932');
    expect(fresh).toMatchObject({ name: 'Ann', personId: p.id, codeSetAt: clock });
    expect(fresh.locks.map((l) => l.slot)).toEqual([2]);
    expect((await store.getCredential(old.id)).revokedAt).toBe(clock);
    expect((await store.getCredential(fresh.id, { reveal: true })).code).toBe('5932');
    expect((await store.status(clock)).counts.rotation).toBe(0);
    await rejects(store.rotateCredential(old.id, '6043'), 'BAD_INPUT');
  });

  it('stores API tokens only as SHA-256 hashes and finds a token by its value', async () => {
    const store = await h.fresh(dialect, opts);
    const { id, token } = await store.createApiToken({ name: 'home assistant', role: 'manager' });
    expect(token).toMatch(/^kw_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await store.dump())).not.toContain(token.slice(3));
    expect(await store.findApiToken(token)).toEqual({ id, role: 'manager' });
    expect(await store.findApiToken(`${token}x`)).toBeNull();
    await rejects(store.createApiToken({ name: 'x', role: 'root' as never }), 'BAD_INPUT');
  });

  it('keeps an audit row for every change and verifies the chain', async () => {
    const store = await h.fresh(dialect, opts);
    const { lock } = await frontDoor(store);
    await store.addCredential({ name: 'Ann', code: '4821', lockIds: [lock.id] });
    const report = await store.verifyAudit();
    expect(report).toEqual({ ok: true, rows: 3, problems: [] });
    const rows = await store.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['site.add', 'lock.add', 'credential.add']);
    expect(JSON.stringify(rows)).not.toContain('4821');
  });

  describe('audit tampering', () => {
    async function logged() {
      const store = await h.fresh(dialect, opts);
      const { site } = await frontDoor(store);
      for (const n of ['Ann', 'Bob', 'Cy', 'Di']) await store.addPerson({ name: n, siteId: site.id });
      return store; // rows 1..6
    }

    it('names a changed row', async () => {
      const store = await logged();
      await store.ctx.db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 4).execute();
      const r = await store.verifyAudit();
      expect(r.ok).toBe(false);
      expect(r.problems).toEqual([{ seq: 4, problem: 'changed', message: expect.stringContaining('row 4') }]);
    });

    it('names a removed row, in the middle or at the end', async () => {
      const store = await logged();
      await store.ctx.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
      expect((await store.verifyAudit()).problems).toMatchObject([{ seq: 3, problem: 'removed' }]);
      await store.ctx.db.deleteFrom('audit_log').where('seq', '=', 6).execute();
      expect((await store.verifyAudit()).problems).toMatchObject([
        { seq: 3, problem: 'removed' },
        { seq: 6, problem: 'removed' },
      ]);
    });

    it('names reordered rows', async () => {
      const store = await logged();
      const db = store.ctx.db;
      await db.updateTable('audit_log').set({ seq: 100 }).where('seq', '=', 4).execute();
      await db.updateTable('audit_log').set({ seq: 4 }).where('seq', '=', 5).execute();
      await db.updateTable('audit_log').set({ seq: 5 }).where('seq', '=', 100).execute();
      const r = await store.verifyAudit();
      expect(r.problems.map((p) => [p.seq, p.problem])).toEqual([
        [4, 'reordered'],
        [5, 'reordered'],
      ]);
    });
  });

  it('round-trips a backup into an empty register, codes and audit chain included', async () => {
    const store = await h.fresh(dialect, opts);
    const { site, lock } = await frontDoor(store);
    const c = await store.addCredential({ name: 'Annabelle Lee', code: '4821', lockIds: [lock.id] });
    await syncRowsFor(store, lock.id, site.id);
    const text = await store.backup();
    expect(text).not.toContain('Annabelle');
    const target = await h.fresh(dialect, opts);
    await target.restore(text);
    const restored = await target.dump();
    expect(restored).toEqual(await store.dump());
    // the reconciler's state comes back with the register: suspensions, intents, guide sessions
    expect(restored.sync_slots).toMatchObject([{ slot: 3, suspended: 1, last_error: 'timeout' }]);
    expect(restored.sync_ops).toHaveLength(1);
    expect(restored.manual_sessions).toMatchObject([{ id: 'ms_1', status: 'paused', step: 2 }]);
    // leases belong to the old database's processes
    expect(await target.ctx.db.selectFrom('sync_leases').selectAll().execute()).toEqual([]);
    expect((await target.getCredential(c.id, { reveal: true })).code).toBe('4821');
    expect((await target.verifyAudit()).ok).toBe(true);
    await rejects(target.restore(text), 'BAD_INPUT');
    const other = await h.fresh(dialect, { ...opts, secretKey: Buffer.alloc(32, 1) });
    await rejects(other.restore(text), 'WRONG_SECRET_KEY');
  });
});

describe.skipIf(!DIALECTS.includes('postgres'))('backup across dialects', () => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  for (const [from, to] of [
    ['sqlite', 'postgres'],
    ['postgres', 'sqlite'],
  ] as const) {
    it(`restores a ${from} backup into ${to} with every row equal`, async () => {
      const source = await h.fresh(from);
      const { site, lock } = await frontDoor(source);
      const p = await source.addPerson({ name: 'Ann' });
      const c = await source.addCredential({
        name: 'Ann',
        personId: p.id,
        code: '4821',
        lockIds: [lock.id],
        windows: [{ days: [1, 2], startMinute: 60, endMinute: 120 }],
        useLimit: 3,
      });
      await source.recordBattery(lock.id, 1.35);
      await syncRowsFor(source, lock.id, site.id);
      const target = await h.fresh(to);
      await target.restore(await source.backup());
      expect(await target.dump()).toEqual(await source.dump());
      expect((await target.getCredential(c.id, { reveal: true })).code).toBe('4821');
      expect((await target.verifyAudit()).ok).toBe(true);
      // the restored register keeps working: the chain continues in the new dialect
      await target.addPerson({ name: 'Bob' });
      expect((await target.verifyAudit()).ok).toBe(true);
    });
  }
});
