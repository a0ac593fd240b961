import { afterEach, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import type { Signal } from '../src/core/catalog/types.js';
import { factoryState, type LockState } from '../src/core/codes/lock-state.js';
import { createTwin, step } from '../src/core/twin/index.js';
import type { TwinState } from '../src/core/twin/types.js';
import { ManualSessions, type SessionView } from '../src/sync/manual-session.js';
import { DIALECTS, type DialectName } from './store/dialects.js';
import { SyncWorld } from './sync-harness.js';

let world: SyncWorld;
afterEach(async () => {
  await world?.close();
});

/** The person at the door: presses a step's keys on the real lock and says what it showed. */
function press(
  twin: TwinState,
  inputs: readonly object[],
  modelId: string,
): { twin: TwinState; seen: Signal[] } {
  const model = getModel(modelId);
  const seen: Signal[] = [];
  let t = twin;
  for (const input of inputs) {
    const r = step(t, input as never, model);
    t = r.state;
    seen.push(...r.signals);
  }
  return { twin: t, seen };
}

/**
 * Follows the guide on a lock that already holds 29470, a code the register never heard of with
 * the same first four digits as 29475: steps whose signals match are confirmed, and the first
 * that differs is reported, as the person at the door would.
 */
async function walkIntoRefusal(sessions: ManualSessions, start: SessionView) {
  let view = start;
  let lock = createTwin({ ...factoryState(getModel('264')), slots: { '7': '29470' } });
  for (;;) {
    const r = press(lock, view.step!.inputs, '264');
    lock = r.twin;
    if (JSON.stringify(r.seen) !== JSON.stringify(view.step!.expect)) return sessions.report(view.id, r.seen);
    view = await sessions.confirm(view.id);
  }
}

async function manualWorld(dialect: DialectName): Promise<{ sessions: ManualSessions; lockId: string }> {
  let sessions: ManualSessions | null = null;
  world = await SyncWorld.create({
    dialect,
    reconciler: { onManual: (p, lp) => sessions!.open(p, lp).then(() => {}) },
  });
  sessions = new ManualSessions(world.store);
  const lock = await world.store.addLock({
    siteId: world.siteId,
    name: 'Back door',
    model: '264',
    driver: 'manual',
  });
  return { sessions, lockId: lock.id };
}

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('a lock without a radio', () => {
    it('gets its codes through a guide session that moves the register only on confirmation, and survives a pause and a restart', async () => {
      const { sessions, lockId } = await manualWorld(dialect);
      const a = await world.store.addCredential({ name: 'Ana', code: '29475', lockIds: [lockId] });
      const b = await world.store.addCredential({ name: 'Ben', code: '81634', lockIds: [lockId] });
      await world.reconciler.syncLock(lockId);
      let view = (await sessions.forLock(lockId))!;
      expect(view).toMatchObject({ status: 'active', stepNumber: 1, op: { op: 'add', count: 2 } });
      expect((await world.statuses(a.id))[0]!.status).toBe('setting');

      let lock = createTwin(factoryState(getModel('264')) as LockState);
      // First code: until its last step is confirmed, the register has not moved.
      while (view.op!.index === 0) {
        const r = press(lock, view.step!.inputs, '264');
        lock = r.twin;
        expect(r.seen).toEqual(view.step!.expect);
        expect((await world.statuses(a.id))[0]!.status).toBe('setting');
        view = await sessions.confirm(view.id);
      }
      expect((await world.statuses(a.id))[0]).toMatchObject({ status: 'set', error: null });
      expect((await world.statuses(b.id))[0]!.status).toBe('setting');

      // A break at the door, then a restart of the whole service.
      await sessions.pause(view.id);
      const afterRestart = new ManualSessions(world.store);
      view = await afterRestart.resume((await afterRestart.forLock(lockId))!.id);
      while (view.status === 'active') {
        const r = press(lock, view.step!.inputs, '264');
        lock = r.twin;
        expect(r.seen).toEqual(view.step!.expect);
        view = await afterRestart.confirm(view.id);
      }
      expect(view.status).toBe('done');
      expect(Object.values(lock.lock.slots).sort()).toEqual(['29475', '81634']);
      expect((await world.statuses(b.id))[0]).toMatchObject({ status: 'set', error: null });
      const pass = await world.reconciler.syncLock(lockId);
      expect(pass.converged).toBe(true);
      expect(await sessions.forLock(lockId)).toBeNull();
      const actions = (await world.audit()).map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'manual.open',
          'manual.pause',
          'manual.resume',
          'manual.confirmed',
          'manual.done',
        ]),
      );
    });

    it('turns a refusal seen at the door into a diagnosis and leaves the reported state alone', async () => {
      const { sessions, lockId } = await manualWorld(dialect);
      const cred = await world.store.addCredential({ name: 'Ana', code: '29475', lockIds: [lockId] });
      await world.reconciler.syncLock(lockId);
      const { view: after, diagnosis } = await walkIntoRefusal(sessions, (await sessions.forLock(lockId))!);
      expect(after).toMatchObject({ status: 'needs-help', symptom: 'red-3-beeps' });
      expect(diagnosis.causes.map((c) => c.id)).toContain('prefix-conflict');
      expect((await world.statuses(cred.id))[0]).toMatchObject({
        status: 'setting',
        error: 'duplicate_on_device',
      });
      const reported = await world.store.ctx.db
        .selectFrom('lock_slots')
        .selectAll()
        .where('lock_id', '=', lockId)
        .execute();
      expect(reported).toEqual([]);
      const problem = (await world.audit()).find((r) => r.action === 'manual.problem');
      expect(problem?.detail).toMatchObject({ symptom: 'red-3-beeps', error: 'duplicate_on_device' });
      expect(JSON.stringify(problem)).not.toContain('2947');
    });
    it('clears the error a refusal left on the change once the person retries, and keeps it setting until confirmed', async () => {
      const { sessions, lockId } = await manualWorld(dialect);
      const cred = await world.store.addCredential({ name: 'Ana', code: '29475', lockIds: [lockId] });
      await world.reconciler.syncLock(lockId);
      let { view } = await walkIntoRefusal(sessions, (await sessions.forLock(lockId))!);
      expect((await world.statuses(cred.id))[0]).toMatchObject({ error: 'duplicate_on_device' });

      // The person clears slot 7 at the lock and retries: the change is shown pending, not failed.
      view = await sessions.retry(view.id);
      expect(view).toMatchObject({ status: 'active', symptom: null });
      expect((await world.statuses(cred.id))[0]).toMatchObject({ status: 'setting', error: null });
      const slot = (await world.store.lockView(lockId)).slots.find((s) => s.credentialId === cred.id);
      expect(slot).toMatchObject({ status: 'setting', error: null });
      expect((await world.audit()).map((r) => r.action)).toContain('manual.retry');

      // The retried op goes through this time, and only its confirmation sets the code.
      let lock = createTwin(factoryState(getModel('264')) as LockState);
      while (view.status === 'active') {
        const r = press(lock, view.step!.inputs, '264');
        lock = r.twin;
        expect(r.seen).toEqual(view.step!.expect);
        view = await sessions.confirm(view.id);
      }
      expect((await world.statuses(cred.id))[0]).toMatchObject({ status: 'set', error: null });
    });
  });
});
