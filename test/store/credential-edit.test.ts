import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, Harness } from './dialects.js';

const T0 = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;

describe.each(DIALECTS)('a stay changed in place, on %s', (dialect) => {
  const h = new Harness();
  afterEach(() => h.cleanup());

  async function world() {
    const store = await h.fresh(dialect, { now: () => T0 });
    const site = await store.addSite({ name: 'Home' });
    const front = await store.addLock({ siteId: site.id, name: 'Front door', model: '264' });
    const back = await store.addLock({ siteId: site.id, name: 'Back door', model: '264' });
    const cabin = await store.addLock({ siteId: site.id, name: 'Cabin', model: '910' });
    return { store, site, front, back, cabin };
  }

  async function auditRows(store: Awaited<ReturnType<typeof world>>['store']) {
    return store.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'detail'])
      .where('action', '=', 'credential.edit')
      .execute();
  }

  it('keeps the digits and the slot when a guest extends, and records the edit without the digits', async () => {
    const { store, front } = await world();
    const c = await store.addCredential({
      name: 'Smith family',
      code: '482913',
      kind: 'guest',
      lockIds: [front.id],
      startsAt: T0 + DAY,
      endsAt: T0 + 3 * DAY,
    });
    await store.setAssignmentStatus(c.id, front.id, 'set');
    const edited = await store.editCredential(c.id, {
      name: 'Smith family (extended)',
      endsAt: T0 + 5 * DAY,
      windows: [{ days: [1, 2], startMinute: 600, endMinute: 900 }],
      maxUses: 3,
    });
    expect(edited).toMatchObject({
      id: c.id,
      name: 'Smith family (extended)',
      startsAt: T0 + DAY,
      endsAt: T0 + 5 * DAY,
      windows: [{ days: [1, 2], startMinute: 600, endMinute: 900 }],
      useLimit: 3,
      version: c.version + 1,
      locks: [{ lockId: front.id, slot: c.locks[0]!.slot, status: 'set' }],
    });
    expect((await store.getCredential(c.id, { reveal: true })).code).toBe('482913');
    const rows = await auditRows(store);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject_id).toBe(c.id);
    expect(rows[0]!.detail).not.toContain('482913');
    expect(JSON.parse(rows[0]!.detail)).toMatchObject({ changed: ['name', 'endsAt', 'windows', 'maxUses'] });
    expect((await store.verifyAudit()).problems).toEqual([]);
  });

  it('places the code on a lock added and takes it off a lock dropped, keeping the slot it stays in', async () => {
    const { store, front, back, cabin } = await world();
    await store.addCredential({ name: 'Filler', code: '135792', lockIds: [back.id] });
    const c = await store.addCredential({ name: 'Cleaner', code: '246801', lockIds: [front.id, cabin.id] });
    await store.setAssignmentStatus(c.id, front.id, 'set');
    const frontSlot = c.locks.find((l) => l.lockId === front.id)!.slot;
    const edited = await store.editCredential(c.id, { lockIds: [front.id, back.id] });
    const byLock = Object.fromEntries(edited.locks.map((l) => [l.lockId, l]));
    expect(byLock[front.id]).toMatchObject({ slot: frontSlot, status: 'set' });
    expect(byLock[back.id]).toMatchObject({ slot: 2, status: 'unset' });
    // Never programmed on the cabin: simply dropped.
    expect(byLock[cabin.id]).toMatchObject({ status: 'removed' });

    const again = await store.editCredential(c.id, { lockIds: [back.id] });
    expect(again.locks.find((l) => l.lockId === front.id)).toMatchObject({
      slot: frontSlot,
      status: 'removing',
    });
    const detail = JSON.parse((await auditRows(store))[1]!.detail);
    expect(detail).toMatchObject({ added: [], removed: [front.id] });
  });

  it('gives a lock back its slot when the code returns to it before it came off', async () => {
    const { store, front, back } = await world();
    const c = await store.addCredential({ name: 'Ana', code: '918273', lockIds: [front.id, back.id] });
    await store.setAssignmentStatus(c.id, front.id, 'set');
    const slot = c.locks.find((l) => l.lockId === front.id)!.slot;
    await store.editCredential(c.id, { lockIds: [back.id] });
    const back2 = await store.editCredential(c.id, { lockIds: [back.id, front.id] });
    expect(back2.locks.find((l) => l.lockId === front.id)).toMatchObject({ slot, status: 'unset' });
  });

  it('brings back the locks of a stay that had ended when its departure moves later', async () => {
    let now = T0;
    const later = await h.fresh(dialect, { now: () => now });
    const site = await later.addSite({ name: 'Home' });
    const door = await later.addLock({ siteId: site.id, name: 'Front door', model: '264' });
    const c = await later.addCredential({
      name: 'Guest',
      code: '556677',
      kind: 'guest',
      lockIds: [door.id],
      endsAt: T0 + DAY,
    });
    await later.setAssignmentStatus(c.id, door.id, 'set');
    await later.setAssignmentStatus(c.id, door.id, 'removed');
    now = T0 + 2 * DAY;
    const back = await later.editCredential(c.id, { endsAt: T0 + 4 * DAY });
    expect(back.locks).toEqual([expect.objectContaining({ lockId: door.id, status: 'unset' })]);
  });

  it('keeps a lock the code is off for a closed weekly window, and takes it off when dropped', async () => {
    const { store, front, back } = await world();
    const c = await store.addCredential({
      name: 'Cleaner',
      code: '135799',
      lockIds: [front.id, back.id],
      windows: [{ days: [1], startMinute: 600, endMinute: 720 }],
    });
    await store.setAssignmentStatus(c.id, front.id, 'removing');
    const renamed = await store.editCredential(c.id, { name: 'Cleaner (Mon)' });
    expect(renamed.locks.find((l) => l.lockId === front.id)).toMatchObject({ status: 'removing' });
    const dropped = await store.editCredential(c.id, { lockIds: [back.id] });
    expect(dropped.locks.find((l) => l.lockId === front.id)).toMatchObject({ status: 'removing' });
    const row = await store.ctx.db
      .selectFrom('credential_locks')
      .select('dropped_at')
      .where('credential_id', '=', c.id)
      .where('lock_id', '=', front.id)
      .executeTakeFirstOrThrow();
    expect(row.dropped_at).toBe(T0);
  });

  it('refuses a lock that would refuse the code, with the reason, and changes nothing', async () => {
    const { store, front, back } = await world();
    await store.addCredential({ name: 'Owner', code: '482977', lockIds: [back.id] });
    const c = await store.addCredential({
      name: 'Guest',
      code: '482913',
      kind: 'guest',
      lockIds: [front.id],
      endsAt: T0 + DAY,
    });
    const error = await store
      .editCredential(c.id, { name: 'Renamed', endsAt: T0 + 2 * DAY, lockIds: [front.id, back.id] })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'BAD_INPUT' });
    expect(error.message).toMatch(
      /^Back door \(264\) would refuse this change: it clashes with the code of "Owner": .*first four digits/,
    );
    expect(error.message).not.toMatch(/4829|lock_/);
    const after = await store.getCredential(c.id);
    expect(after).toEqual(c);
    expect(await auditRows(store)).toEqual([]);
  });

  it('names whose code a new one clashes with, never a lock id', async () => {
    const { store, front } = await world();
    await store.addCredential({ name: 'Owner', code: '482977', lockIds: [front.id] });
    const error = await store
      .addCredential({ name: 'Guest', code: '482913', lockIds: [front.id] })
      .catch((e) => e);
    expect(error.message).toMatch(
      /^lock "Front door" \(model 264\) would refuse this code: it clashes with the code of "Owner": /,
    );
    expect(error.message).not.toMatch(/lock_|4829/);
  });

  it('refuses a code the 5-button keypad would read as one already there', async () => {
    const { store, front, cabin } = await world();
    await store.addCredential({ name: 'Owner', code: '2468', lockIds: [cabin.id] });
    const c = await store.addCredential({ name: 'Guest', code: '1468', lockIds: [front.id] });
    await expect(store.editCredential(c.id, { lockIds: [front.id, cabin.id] })).rejects.toThrow(
      /Cabin \(910\) would refuse/,
    );
  });

  it('refuses dates that would take a slot another code is promised, since the slot is kept', async () => {
    const { store, front } = await world();
    const a = await store.addCredential({
      name: 'First guest',
      code: '111222',
      kind: 'guest',
      lockIds: [front.id],
      startsAt: T0,
      endsAt: T0 + 2 * DAY,
    });
    const b = await store.addCredential({
      name: 'Next guest',
      code: '333444',
      kind: 'guest',
      lockIds: [front.id],
      startsAt: T0 + 2 * DAY,
      endsAt: T0 + 4 * DAY,
    });
    // The next guest shares the slot after the first guest leaves (as a full lock would have it).
    await store.ctx.db
      .updateTable('credential_locks')
      .set({ slot: a.locks[0]!.slot })
      .where('credential_id', '=', b.id)
      .execute();
    await expect(store.editCredential(a.id, { endsAt: T0 + 3 * DAY })).rejects.toThrow(
      /slot \d+ is promised to "Next guest"/,
    );
    expect((await store.getCredential(a.id)).endsAt).toBe(T0 + 2 * DAY);
    const ok = await store.editCredential(a.id, { endsAt: T0 + 2 * DAY - 3_600_000 });
    expect(ok.endsAt).toBe(T0 + 2 * DAY - 3_600_000);
  });

  it('refuses an edit of a removed code, an empty lock list, a guest without departure, and a stale version', async () => {
    const { store, front } = await world();
    const c = await store.addCredential({
      name: 'Guest',
      code: '556677',
      kind: 'guest',
      lockIds: [front.id],
      endsAt: T0 + DAY,
    });
    await expect(store.editCredential(c.id, { lockIds: [] })).rejects.toThrow(/at least one lock/);
    await expect(store.editCredential(c.id, { endsAt: null })).rejects.toThrow(/needs an end/);
    await expect(store.editCredential(c.id, { endsAt: T0 - 1 })).rejects.toThrow(/in the past/);
    await expect(store.editCredential(c.id, { maxUses: 0 })).rejects.toThrow(/use limit/);
    await expect(store.editCredential(c.id, { name: 'x' }, c.version + 5)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(store.editCredential('cred_nope', { name: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(store.editCredential(c.id, { lockIds: ['lock_nope'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await store.revokeCredential(c.id);
    await expect(store.editCredential(c.id, { name: 'x' })).rejects.toThrow(/was removed/);
  });

  it('keeps each site check-in and check-out time, 16:00 and 11:00 unless changed', async () => {
    const { store, site } = await world();
    expect(site).toMatchObject({ checkInTime: '16:00', checkOutTime: '11:00' });
    const changed = await store.setSiteCheckTimes(site.id, { checkOutTime: '10:30' });
    expect(changed).toMatchObject({ checkInTime: '16:00', checkOutTime: '10:30', version: site.version + 1 });
    expect(await store.getSite(site.id)).toEqual(changed);
    await expect(store.setSiteCheckTimes(site.id, { checkInTime: '4pm' })).rejects.toThrow(/HH:MM/);
  });
});
