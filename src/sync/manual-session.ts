import { getModel } from '../core/catalog/index.js';
import type { Signal } from '../core/catalog/types.js';
import type { LockState } from '../core/codes/lock-state.js';
import type { Diagnosis, Symptom } from '../core/diagnose/index.js';
import { KeywardError } from '../core/errors.js';
import { buildGuide } from '../core/guide/index.js';
import { change, newId, type Trx } from '../store/context.js';
import type { Store } from '../store/index.js';
import {
  insertSession,
  openSessionId,
  type SessionPatch,
  type SessionStatus,
  sessionRow,
  slotOccupant,
  updateSession,
} from '../store/manual-sessions.js';
import { applySyncWritesIn, type LockSyncPicture, type SyncWrite } from '../store/sync-state.js';
import type { LockPlan } from './lock-plan.js';
import {
  type Body,
  diagnoseOp,
  errorOf,
  locate,
  type ManualOp,
  type SessionOp,
  type SessionView,
  symptomOf,
  totalSteps,
  viewOf,
} from './manual-steps.js';

export type { SessionOp, SessionStatus, SessionView };
export { symptomOf };

/**
 * Changes to a lock without a radio become a guide session: every op of the plan as the guide's
 * proven steps, worked through by a person at the door. Sessions live in the store (sealed, as
 * they hold codes), so they survive restarts and can be paused for days. The register moves only
 * when the person confirms an op's last step; a different signal opens the troubleshooting
 * assistant instead and leaves the reported state as it was.
 */
export class ManualSessions {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  get #ctx() {
    return this.#store.ctx;
  }

  /** The reconciler's hook for a lock without a radio: one open session per lock at a time. */
  async open(p: LockSyncPicture, lp: LockPlan): Promise<string | null> {
    if (await openSessionId(this.#ctx, p.lockId)) return null;
    const model = getModel(p.model);
    let state: LockState = lp.current;
    const ops: ManualOp[] = [];
    for (const op of lp.plan.ops) {
      if (op.op === 'set-programming') continue;
      const req =
        op.op === 'add'
          ? { op: 'add-user' as const, slot: op.slot, code: op.code }
          : { op: 'delete-user' as const, slot: op.slot };
      const built = buildGuide(state, model, req);
      if (!built.ok) break; // The plan is valid, so only the batteries can stop it: fix those first.
      const credentialId =
        op.op === 'add'
          ? (lp.wanted.get(op.slot)?.credentialId ?? null)
          : (p.reported.get(op.slot)?.credentialId ?? null);
      ops.push({
        op: op.op,
        slot: op.slot,
        credentialId,
        ...(op.op === 'add' ? { code: op.code } : {}),
        before: state,
        steps: built.guide.steps,
      });
      state = built.guide.final;
    }
    if (ops.length === 0) return null;
    const id = newId('manual');
    await change(this.#ctx, async (trx, audit) => {
      const now = this.#ctx.now();
      await insertSession(trx, {
        id,
        lock_id: p.lockId,
        body_enc: this.#ctx.sealer.seal(JSON.stringify({ ops } satisfies Body), `manual:${id}`),
        created_at: now,
        updated_at: now,
      });
      const writes: SyncWrite[] = [];
      for (const op of ops) {
        if (!op.credentialId) continue;
        if (op.op === 'add')
          writes.push(assignment(op.credentialId, p.lockId, { status: 'setting', error: null }));
        else if (lp.leaving.has(op.credentialId))
          writes.push(assignment(op.credentialId, p.lockId, { status: 'removing' }));
      }
      await applySyncWritesIn(this.#ctx, trx, writes);
      await audit({
        action: 'manual.open',
        subjectType: 'lock',
        subjectId: p.lockId,
        detail: {
          sessionId: id,
          ops: ops.map((o) => ({ op: o.op, slot: o.slot, credentialId: o.credentialId })),
        },
      });
    });
    return id;
  }

  async forLock(lockId: string): Promise<SessionView | null> {
    const id = await openSessionId(this.#ctx, lockId);
    return id ? this.view(id) : null;
  }

  async view(id: string): Promise<SessionView> {
    const { row, body } = await this.#load(id);
    return viewOf(row, body);
  }

  /** The view with every op's steps, for a person who wants to see the whole way (steps may show codes). */
  async outline(id: string): Promise<SessionView & { ops: SessionOp[] }> {
    const { row, body } = await this.#load(id);
    return {
      ...viewOf(row, body),
      ops: body.ops.map((o) => ({ op: o.op, slot: o.slot, credentialId: o.credentialId, steps: o.steps })),
    };
  }

  /** The person saw exactly the expected signals: on to the next step. */
  async confirm(id: string): Promise<SessionView> {
    const { row, body } = await this.#load(id);
    if (row.status !== 'active')
      throw new KeywardError('BAD_INPUT', `session ${id} is ${row.status}, not active`);
    const { op, index, last } = locate(body, row.step);
    await change(this.#ctx, async (trx, audit) => {
      const next = row.step + 1;
      const done = next >= totalSteps(body);
      await this.#write(trx, id, { step: next, status: done ? 'done' : 'active', note: null });
      await audit({
        action: 'manual.step',
        subjectType: 'lock',
        subjectId: row.lock_id,
        detail: { sessionId: id, step: next },
      });
      if (last) {
        // The op is done at the lock: only now does the register believe it.
        const before = op.before.slots[String(op.slot)];
        const leaving = before !== undefined ? await slotOccupant(this.#ctx, row.lock_id, op.slot) : null;
        const where = {
          lockId: row.lock_id,
          model: op.before.model,
          slot: op.slot,
          remember: before ?? null,
        };
        const writes: SyncWrite[] = [
          op.op === 'add' && op.code !== undefined
            ? {
                kind: 'slot-reported',
                ...where,
                code: op.code,
                credentialId: op.credentialId,
                unmanaged: false,
              }
            : { kind: 'slot-cleared', ...where },
        ];
        if (op.op === 'add' && op.credentialId)
          writes.push(assignment(op.credentialId, row.lock_id, { status: 'set', error: null }));
        if (leaving && leaving !== op.credentialId)
          writes.push(assignment(leaving, row.lock_id, { status: 'removed', error: null }));
        await applySyncWritesIn(this.#ctx, trx, writes);
        await audit({
          action: 'manual.confirmed',
          subjectType: 'lock',
          subjectId: row.lock_id,
          detail: { sessionId: id, op: op.op, slot: op.slot, index, confirmedBy: 'person' },
        });
      }
      if (done)
        await audit({
          action: 'manual.done',
          subjectType: 'lock',
          subjectId: row.lock_id,
          detail: { sessionId: id },
        });
    });
    return this.view(id);
  }

  /**
   * The person saw something else. The troubleshooting assistant names the likely causes from
   * what the register knows of the lock; the register is left as it was.
   */
  async report(id: string, seen: Signal[]): Promise<{ view: SessionView; diagnosis: Diagnosis }> {
    const { row, body } = await this.#load(id);
    if (row.status !== 'active')
      throw new KeywardError('BAD_INPUT', `session ${id} is ${row.status}, not active`);
    const { op, step, isTest } = locate(body, row.step);
    const symptom = symptomOf(seen, step.expect, isTest);
    const diagnosis = diagnoseOp(op, symptom, isTest);
    const error = errorOf(diagnosis, op.op);
    await change(this.#ctx, async (trx, audit) => {
      await this.#write(trx, id, { status: 'needs-help', note: symptom });
      if (op.credentialId)
        await applySyncWritesIn(this.#ctx, trx, [assignment(op.credentialId, row.lock_id, { error })]);
      await audit({
        action: 'manual.problem',
        subjectType: 'lock',
        subjectId: row.lock_id,
        detail: {
          sessionId: id,
          step: row.step + 1,
          symptom,
          causes: diagnosis.causes.map((c) => c.id),
          error,
        },
      });
    });
    return { view: await this.view(id), diagnosis };
  }

  /** The causes again for a session that needs help (a page reloaded after the report). */
  async diagnosis(id: string): Promise<Diagnosis | null> {
    const { row, body } = await this.#load(id);
    if (row.status !== 'needs-help' || !row.note) return null;
    const { op, isTest } = locate(body, row.step);
    return diagnoseOp(op, row.note as Symptom, isTest);
  }

  /** After fixing the cause: start the current op again from its first step. */
  async retry(id: string): Promise<SessionView> {
    const { row, body } = await this.#load(id);
    if (row.status !== 'needs-help')
      throw new KeywardError('BAD_INPUT', `session ${id} is ${row.status}, not needing help`);
    const { first, op } = locate(body, row.step);
    // The error came from what the person saw last time; once they retry, showing it until the
    // op's last step is confirmed would report a problem they believe fixed. The status stays
    // setting/removing: the register still moves only on confirmation.
    await this.#set(
      id,
      row.lock_id,
      { status: 'active', step: first, note: null },
      'manual.retry',
      op.credentialId ? [assignment(op.credentialId, row.lock_id, { error: null })] : [],
    );
    return this.view(id);
  }

  async pause(id: string): Promise<SessionView> {
    const { row } = await this.#load(id);
    if (row.status !== 'active')
      throw new KeywardError('BAD_INPUT', `session ${id} is ${row.status}, not active`);
    await this.#set(id, row.lock_id, { status: 'paused' }, 'manual.pause');
    return this.view(id);
  }

  /** Resuming starts the current op from its first step: the keypad timed out long ago. */
  async resume(id: string): Promise<SessionView> {
    const { row, body } = await this.#load(id);
    if (row.status !== 'paused')
      throw new KeywardError('BAD_INPUT', `session ${id} is ${row.status}, not paused`);
    await this.#set(
      id,
      row.lock_id,
      { status: 'active', step: locate(body, row.step).first },
      'manual.resume',
    );
    return this.view(id);
  }

  /** Gives up: codes not yet confirmed wait again, and the reconciler opens a fresh session. */
  async abandon(id: string): Promise<void> {
    const { row, body } = await this.#load(id);
    const { index } = locate(body, Math.min(row.step, totalSteps(body) - 1));
    await change(this.#ctx, async (trx, audit) => {
      await applySyncWritesIn(
        this.#ctx,
        trx,
        body.ops
          .slice(index)
          .flatMap((op) =>
            op.op === 'add' && op.credentialId
              ? [assignment(op.credentialId, row.lock_id, { status: 'unset' })]
              : [],
          ),
      );
      await this.#write(trx, id, { status: 'abandoned' });
      await audit({
        action: 'manual.abandon',
        subjectType: 'lock',
        subjectId: row.lock_id,
        detail: { sessionId: id },
      });
    });
  }

  async #set(
    id: string,
    lockId: string,
    patch: SessionPatch & { status: SessionStatus },
    action: string,
    writes: readonly SyncWrite[] = [],
  ): Promise<void> {
    await change(this.#ctx, async (trx, audit) => {
      await this.#write(trx, id, patch);
      await applySyncWritesIn(this.#ctx, trx, writes);
      await audit({ action, subjectType: 'lock', subjectId: lockId, detail: { sessionId: id } });
    });
  }

  /** One session row's change, inside the caller's transaction. */
  #write(trx: Trx, id: string, patch: SessionPatch): Promise<void> {
    return updateSession(trx, id, patch, this.#ctx.now());
  }

  async #load(id: string) {
    const row = await sessionRow(this.#ctx, id);
    if (!row) throw new KeywardError('NOT_FOUND', `no manual session with id ${id}`);
    const body = JSON.parse(this.#ctx.sealer.open(row.body_enc, `manual:${id}`)) as Body;
    return { row, body };
  }
}

/** One assignment's status or error, as the one write function takes it. */
function assignment(
  credentialId: string,
  lockId: string,
  patch: Extract<SyncWrite, { kind: 'assignment' }>['patch'],
): SyncWrite {
  return { kind: 'assignment', credentialId, lockId, patch };
}
