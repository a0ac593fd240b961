import type { AccessCodeError } from '../core/access/lifecycle.js';
import { getModel } from '../core/catalog/index.js';
import type { Signal } from '../core/catalog/types.js';
import type { LockState } from '../core/codes/lock-state.js';
import { type Diagnosis, diagnose, type Symptom } from '../core/diagnose/index.js';
import { KeywardError } from '../core/errors.js';
import type { GuideStep } from '../core/guide/index.js';
import type { SessionStatus } from '../store/manual-sessions.js';

/**
 * The pure side of a manual guide session: what it holds, where a step number falls, what the
 * person's report means. manual-session.ts keeps the session in the store and moves it along.
 */

export interface ManualOp {
  op: 'add' | 'delete';
  slot: number;
  /** Who goes into the slot (add) or comes out of it (delete), when Keyward put them there. */
  credentialId: string | null;
  code?: string;
  /** The lock as it should be just before this op, for the troubleshooting assistant. */
  before: LockState;
  steps: GuideStep[];
}

export interface Body {
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

export function totalSteps(body: Body): number {
  return body.ops.reduce((n, o) => n + o.steps.length, 0);
}

/** Where a global step number falls: its op, the op's first step, whether it ends the op. */
export function locate(body: Body, step: number) {
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

export function diagnoseOp(op: ManualOp, symptom: Symptom, isTest: boolean): Diagnosis {
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

export function errorOf(d: Diagnosis, op: 'add' | 'delete'): AccessCodeError {
  const top = d.causes[0]?.id;
  if (top === 'prefix-conflict' || top === 'duplicate-code' || top === 'same-presses')
    return 'duplicate_on_device';
  if (top === 'deleted-code-memory') return 'prefix_reserved';
  if (top === 'lock-full') return 'no_free_slot';
  return op === 'add' ? 'failed_to_set' : 'failed_to_remove';
}

export function viewOf(
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
