import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './index.js';
import { loadLockPicture } from './sync-state.js';
import { applySyncWrites, type SyncWrite } from './sync-writes.js';

let store: Store;
let lockId: string;
let credId: string;
const NOW = Date.UTC(2026, 10, 27);

beforeEach(async () => {
  store = await openStore({
    db: ':memory:',
    secretKey: Buffer.alloc(32, 7),
    dataDir: '/nonexistent',
    env: {},
    now: () => NOW,
  });
  const site = await store.addSite({ name: 'Site' });
  lockId = (await store.addLock({ siteId: site.id, name: 'Door', model: '913', driver: 'manual' })).id;
  credId = (await store.addCredential({ name: 'Ada', code: '2947561', lockIds: [lockId] })).id;
});
afterEach(async () => {
  await store.close();
});

const audit = async () =>
  (
    await store.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'sync.%')
      .orderBy('seq')
      .execute()
  ).map((r) => r.action);

describe('applying sync writes', () => {
  it('reads as if applied one after another: the last write to a slot wins, patches merge in order', async () => {
    const writes: SyncWrite[] = [
      {
        kind: 'slot-reported',
        lockId,
        model: '913',
        slot: 1,
        code: '1111222',
        credentialId: null,
        unmanaged: true,
      },
      {
        kind: 'slot-reported',
        lockId,
        model: '913',
        slot: 1,
        code: '2947561',
        credentialId: credId,
        unmanaged: false,
        remember: '1111222',
      },
      {
        kind: 'assignment',
        credentialId: credId,
        lockId,
        patch: { status: 'setting', error: 'unconfirmed' },
      },
      { kind: 'assignment', credentialId: credId, lockId, patch: { status: 'set' } },
      {
        kind: 'slot-health',
        lockId,
        slot: 1,
        health: { failures: 2, nextAttemptAt: 5, suspended: false, lastError: 'x' },
      },
      {
        kind: 'slot-health',
        lockId,
        slot: 2,
        health: { failures: 1, nextAttemptAt: 5, suspended: false, lastError: 'x' },
      },
      { kind: 'slot-health', lockId, slot: 1, health: null },
      { kind: 'lock-sync-state', lockId, patch: { read_at: 7, checksum: 'abc' } },
      { kind: 'lock-sync-state', lockId, patch: { checksum: null } },
      {
        kind: 'intent-added',
        lockId,
        intent: { id: 'op_x', slot: 3, kind: 'verify', credentialId: null, startedAt: 1 },
      },
    ];
    await applySyncWrites(store.ctx, writes, [
      { action: 'sync.test', subjectType: 'lock', subjectId: lockId },
    ]);
    const p = (await loadLockPicture(store.ctx, lockId))!;
    expect(p.reported.get(1)).toEqual({
      slot: 1,
      code: '2947561',
      credentialId: credId,
      unmanaged: false,
      error: null,
    });
    expect(p.deleted).toEqual(['1111222']);
    expect(p.assignments[0]).toMatchObject({ status: 'set', error: 'unconfirmed' });
    expect([...p.health.keys()]).toEqual([2]);
    expect(p).toMatchObject({ readAt: 7, checksum: null });
    expect(p.intents.map((i) => i.id)).toEqual(['op_x']);
    expect(await audit()).toEqual(['sync.test']);
  });

  it('never puts an assignment a revocation removed back to waiting (a pass that read the register before it)', async () => {
    await store.revokeCredential(credId);
    const status = async () =>
      (
        await store.ctx.db
          .selectFrom('credential_locks')
          .select('status')
          .where('credential_id', '=', credId)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await status()).toBe('removed');
    for (const s of ['setting', 'unset'] as const) {
      await applySyncWrites(store.ctx, [
        { kind: 'assignment', credentialId: credId, lockId, patch: { status: s, error: null } },
      ]);
      expect(await status()).toBe('removed');
    }
    // The code did reach the lock after all: that is the truth, and the next pass takes it off.
    await applySyncWrites(store.ctx, [
      { kind: 'assignment', credentialId: credId, lockId, patch: { status: 'set' } },
    ]);
    expect(await status()).toBe('set');
  });

  it('writes nothing, audit rows included, when one write fails', async () => {
    const intent = { id: 'op_same', slot: 3, kind: 'verify' as const, credentialId: null, startedAt: 1 };
    await expect(
      applySyncWrites(
        store.ctx,
        [
          {
            kind: 'slot-reported',
            lockId,
            model: '913',
            slot: 4,
            code: '8163402',
            credentialId: null,
            unmanaged: true,
          },
          { kind: 'intent-added', lockId, intent },
          { kind: 'intent-added', lockId, intent },
        ],
        [{ action: 'sync.test', subjectType: 'lock', subjectId: lockId }],
      ),
    ).rejects.toThrow();
    const p = (await loadLockPicture(store.ctx, lockId))!;
    expect(p.reported.size).toBe(0);
    expect(p.intents).toEqual([]);
    expect(await audit()).toEqual([]);
  });

  it('adopts a code as a credential of its own, reported in its slot, and moves and clears as told', async () => {
    const { adopted } = await applySyncWrites(store.ctx, [
      { kind: 'credential-adopted', lockId, model: '913', slot: 5, code: '5550193', name: 'Found in slot 5' },
      { kind: 'assignment-moved', credentialId: credId, lockId, slot: 9 },
      { kind: 'slot-used', lockId, slot: 5, at: 42 },
    ]);
    expect(adopted).toHaveLength(1);
    const p = (await loadLockPicture(store.ctx, lockId))!;
    expect(p.reported.get(5)).toMatchObject({ code: '5550193', credentialId: adopted[0], unmanaged: false });
    expect(p.assignments.find((a) => a.credentialId === credId)).toMatchObject({ slot: 9, status: 'unset' });
    expect(p.lastUsed.get(5)).toBe(42);
    const rows = await store.ctx.db
      .selectFrom('credentials')
      .select('name')
      .where('id', '=', adopted[0]!)
      .execute();
    expect(rows).toEqual([{ name: 'Found in slot 5' }]);
  });
});
