import { getModel } from '../core/catalog/index.js';
import type { Signal } from '../core/catalog/types.js';
import type { LockState } from '../core/codes/lock-state.js';
import { type Diagnosis, diagnose, type Symptom } from '../core/diagnose/index.js';
import { KeywardError } from '../core/errors.js';
import { buildGuide, type GuideStep } from '../core/guide/index.js';
import { newId, type Trx } from '../store/context.js';
import type { Store } from '../store/index.js';
import {
  type LockSyncPicture,
  setAssignment,
  syncChange,
  syncDb,
  syncTrx,
  writeReported,
} from '../store/sync-state.js';
import type { AccessCodeError } from './driver.js';
import type { LockPlan } from './lock-plan.js';

export type SessionStatus = 'active' | 'paused' | 'needs-help' | 'done' | 'abandoned';
const OPEN: SessionStatus[] = ['active', 'paused', 'needs-help'];

interface ManualOp {
  op: 'add' | 'delete';
  slot: number;
  /** Who goes into the slot (add) or comes out of it (delete), when Keyward put them there. */
  credentialId: string | null;
  code?: string;
  /** The lock as it should be just before this op, for the troubleshooting assistant. */
  before: LockState;
  steps: GuideStep[];
}

interface Body {
  ops: ManualOp[];
}

export interface SessionView {
  id: string;
  lockId: string;
  status: SessionStatus;
  /** 1-based position across every op of the session. */
  stepNumber: number;
  totalSteps: number;
  op: { op: 'add' | 'delete'; slot: number; index: number; count: number } | null;
  /** The step to do now (its instruction may show a code: it is for the person at the door). */
  step: GuideStep | null;
  /** What was reported instead, while the session needs help. */
  symptom: Symptom | null;
}

export interface SessionOp {
  op: 'add' | 'delete';
  slot: number;
  credentialId: string | null;
  steps: GuideStep[];
}

/** Which guide symptom matches what the person saw instead of the expected signals. */
export function symptomOf(seen: Signal[], expected: Signal[], isTest: boolean): Symptom {
  if (seen.length === 0) return 'no-response';
  if (isTest) return 'code-does-not-unlock';
  const red = seen.some((s) => 'led' in s && s.led === 'red');
  const beeps = seen.filter((s) => 'beep' in s).reduce((n, s) => n + s.count, 0);
  if (red && beeps >= 3) return 'red-3-beeps';
  if (red) return 'red-flashes';
  return expected.length === 0 ? 'red-3-beeps' : 'red-flashes';
}

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
    const db = syncDb(this.#ctx);
    const existing = await db
      .selectFrom('manual_sessions')
      .select('id')
      .where('lock_id', '=', p.lockId)
      .where('status', 'in', OPEN)
      .executeTakeFirst();
    if (existing) return null;
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
    await syncChange(this.#ctx, async (trx, audit) => {
      const now = this.#ctx.now();
      await (trx as unknown as typeof db)
        .insertInto('manual_sessions')
        .values({
          id,
          lock_id: p.lockId,
          status: 'active',
          body_enc: this.#ctx.sealer.seal(JSON.stringify({ ops } satisfies Body), `manual:${id}`),
          step: 0,
          note: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (const op of ops) {
        if (!op.credentialId) continue;
        if (op.op === 'add')
          await setAssignment(this.#ctx, trx, op.credentialId, p.lockId, { status: 'setting', error: null });
        else if (lp.leaving.has(op.credentialId))
          await setAssignment(this.#ctx, trx, op.credentialId, p.lockId, { status: 'removing' });
      }
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
    const row = await syncDb(this.#ctx)
      .selectFrom('manual_sessions')
      .select('id')
      .where('lock_id', '=', lockId)
      .where('status', 'in', OPEN)
      .executeTakeFirst();
    return row ? this.view(row.id) : null;
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
    await syncChange(this.#ctx, async (trx, audit) => {
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
        const leaving = before !== undefined ? await this.#occupant(row.lock_id, op.slot) : null;
        await writeReported(
          this.#ctx,
          trx,
          row.lock_id,
          {
            slot: op.slot,
            code: op.op === 'add' ? op.code : undefined,
            credentialId: op.op === 'add' ? op.credentialId : null,
            unmanaged: false,
          },
          { remember: before ?? null },
        );
        if (op.op === 'add' && op.credentialId)
          await setAssignment(this.#ctx, trx, op.credentialId, row.lock_id, { status: 'set', error: null });
        if (leaving && leaving !== op.credentialId)
          await setAssignment(this.#ctx, trx, leaving, row.lock_id, { status: 'removed', error: null });
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
    await syncChange(this.#ctx, async (trx, audit) => {
      await this.#write(trx, id, { status: 'needs-help', note: symptom });
      if (op.credentialId) await setAssignment(this.#ctx, trx, op.credentialId, row.lock_id, { error });
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
    await this.#set(id, row.lock_id, { status: 'active', step: first, note: null }, 'manual.retry', (trx) =>
      op.credentialId
        ? setAssignment(this.#ctx, trx, op.credentialId, row.lock_id, { error: null })
        : Promise.resolve(),
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
    await syncChange(this.#ctx, async (trx, audit) => {
      for (const op of body.ops.slice(index)) {
        if (op.op === 'add' && op.credentialId)
          await setAssignment(this.#ctx, trx, op.credentialId, row.lock_id, { status: 'unset' });
      }
      await this.#write(trx, id, { status: 'abandoned' });
      await audit({
        action: 'manual.abandon',
        subjectType: 'lock',
        subjectId: row.lock_id,
        detail: { sessionId: id },
      });
    });
  }

  async #occupant(lockId: string, slot: number): Promise<string | null> {
    const r = await this.#ctx.db
      .selectFrom('lock_slots')
      .select('credential_id')
      .where('lock_id', '=', lockId)
      .where('slot', '=', slot)
      .executeTakeFirst();
    return r?.credential_id ?? null;
  }

  async #set(
    id: string,
    lockId: string,
    patch: { status: SessionStatus; step?: number; note?: string | null },
    action: string,
    also?: (trx: Trx) => Promise<void>,
  ): Promise<void> {
    await syncChange(this.#ctx, async (trx, audit) => {
      await this.#write(trx, id, patch);
      await also?.(trx);
      await audit({ action, subjectType: 'lock', subjectId: lockId, detail: { sessionId: id } });
    });
  }

  /** One session row's change, inside the caller's transaction. */
  async #write(
    trx: Trx,
    id: string,
    patch: { status?: SessionStatus; step?: number; note?: string | null },
  ): Promise<void> {
    await syncTrx(trx)
      .updateTable('manual_sessions')
      .set({ ...patch, updated_at: this.#ctx.now() })
      .where('id', '=', id)
      .execute();
  }

  async #load(id: string) {
    const row = await syncDb(this.#ctx)
      .selectFrom('manual_sessions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new KeywardError('NOT_FOUND', `no manual session with id ${id}`);
    const body = JSON.parse(this.#ctx.sealer.open(row.body_enc, `manual:${id}`)) as Body;
    return { row: { ...row, status: row.status as SessionStatus }, body };
  }
}

function totalSteps(body: Body): number {
  return body.ops.reduce((n, o) => n + o.steps.length, 0);
}

/** Where a global step number falls: its op, the op's first step, whether it ends the op. */
function locate(body: Body, step: number) {
  let first = 0;
  for (const [index, op] of body.ops.entries()) {
    if (step < first + op.steps.length) {
      const within = step - first;
      return {
        op,
        index,
        first,
        step: op.steps[within]!,
        last: within === op.steps.length - 1,
        // add-user guides end with the test at the door (the code must unlock).
        isTest: op.op === 'add' && within === op.steps.length - 1,
      };
    }
    first += op.steps.length;
  }
  throw new KeywardError('BAD_INPUT', 'the session has no step left');
}

function diagnoseOp(op: ManualOp, symptom: Symptom, isTest: boolean): Diagnosis {
  return diagnose({
    symptom,
    state: op.before,
    model: getModel(op.before.model),
    ...(op.code ? { attemptedCode: op.code, attemptedKind: 'user' as const, attemptedSlot: op.slot } : {}),
    // Without a radio, codes added at the keypad never reach the register: its slots may be
    // incomplete, and the deleted-code memory with them.
    context: { doing: isTest ? 'unlocking' : 'programming', unknown: ['slots', 'deleted'] },
  });
}

function errorOf(d: Diagnosis, op: 'add' | 'delete'): AccessCodeError {
  const top = d.causes[0]?.id;
  if (top === 'prefix-conflict' || top === 'duplicate-code' || top === 'same-presses')
    return 'duplicate_on_device';
  if (top === 'deleted-code-memory') return 'prefix_reserved';
  if (top === 'lock-full') return 'no_free_slot';
  return op === 'add' ? 'failed_to_set' : 'failed_to_remove';
}

function viewOf(
  row: { id: string; lock_id: string; status: SessionStatus; step: number; note: string | null },
  body: Body,
): SessionView {
  const total = totalSteps(body);
  const open = row.status !== 'done' && row.status !== 'abandoned' && row.step < total;
  const at = open ? locate(body, row.step) : null;
  return {
    id: row.id,
    lockId: row.lock_id,
    status: row.status,
    stepNumber: Math.min(row.step + 1, total),
    totalSteps: total,
    op: at ? { op: at.op.op, slot: at.op.slot, index: at.index, count: body.ops.length } : null,
    step: at ? at.step : null,
    symptom: row.status === 'needs-help' ? (row.note as Symptom) : null,
  };
}
