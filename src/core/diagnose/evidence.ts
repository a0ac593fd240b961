import type { ModelProfile, Signal } from '../catalog/types.js';
import { pressSequence } from '../codes/keypad.js';
import type { LockState } from '../codes/lock-state.js';
import { batteryCondition, type CodeKind, checkCode, type Verdict } from '../codes/rules.js';
import { KeywardError } from '../errors.js';
import { isProgrammingCode, slotOpenedBy } from '../twin/acceptance.js';
import type { DiagnoseContext, DiagnoseInput, StateField, Symptom } from './types.js';

/**
 * `low` sits between the guide's replace-below threshold and the level at which programming
 * fails: the lock still works, but the guide already asks for new cells.
 */
export type BatteryKnown = 'dead' | 'weak' | 'low' | 'ok' | 'unknown';

export interface Attempt {
  code: string;
  kind: CodeKind;
  slot: number | undefined;
  /** What the lock would say to adding this code. */
  verdict: Verdict;
  /** The slot this code opens at the keypad, or null. */
  opens: number | null;
  isProgramming: boolean;
  /** The same presses as a deleted code. */
  wasDeleted: boolean;
}

/** Everything the diagnosis may rest on, computed once. */
export interface Evidence {
  symptom: Symptom;
  state: LockState;
  model: ModelProfile;
  ctx: DiagnoseContext;
  unknown: ReadonlySet<StateField>;
  battery: BatteryKnown;
  attempt: Attempt | null;
  /** The lock's red-flash count for each of its own red signals, to read `redFlashes` against. */
  redFlashesOf: { lowBattery: number; lockout: number; timeout: number; failure: number };
}

function redCount(signals: readonly Signal[]): number {
  let n = 0;
  for (const s of signals) if ('led' in s && s.led === 'red') n += s.count;
  return n;
}

function batteryKnown(state: LockState, model: ModelProfile, ctx: DiagnoseContext, unknown: Set<StateField>) {
  // Fresh cells make any earlier reading stale: the guide's step 2 is exactly this.
  if (ctx.batteriesReplaced) return 'ok';
  if (unknown.has('voltsPerCell')) return 'unknown';
  const condition = batteryCondition(state, model);
  if (condition !== 'ok') return condition;
  return state.voltsPerCell < model.battery.replaceBelow ? 'low' : 'ok';
}

export function gatherEvidence(input: DiagnoseInput): Evidence {
  const { symptom, state, model } = input;
  const ctx = input.context ?? {};
  const unknown = new Set<StateField>(ctx.unknown ?? []);
  let attempt: Attempt | null = null;
  if (input.attemptedCode !== undefined) {
    const code = input.attemptedCode;
    const kind = input.attemptedKind ?? 'user';
    if (kind === 'programming' && !model.programmingCode) {
      throw new KeywardError('UNSUPPORTED', `model ${model.id} has no programming code`);
    }
    const slot = input.attemptedSlot;
    const verdict = checkCode(state, model, { code, kind, ...(slot !== undefined ? { slot } : {}) });
    const digits = /^[0-9]+$/.test(code);
    const presses = digits ? pressSequence(code, model) : '';
    attempt = {
      code,
      kind,
      slot,
      verdict,
      opens: digits ? slotOpenedBy(state, model, code) : null,
      isProgramming: digits && isProgrammingCode(state, model, code),
      wasDeleted:
        digits && state.deleted.some((d) => d.length === code.length && pressSequence(d, model) === presses),
    };
  }
  return {
    symptom,
    state,
    model,
    ctx,
    unknown,
    battery: batteryKnown(state, model, ctx, unknown),
    attempt,
    redFlashesOf: {
      lowBattery: redCount(model.signals.lowBattery),
      lockout: redCount(model.signals.lockout),
      timeout: redCount(model.signals.timeout),
      failure: redCount(model.signals.failure),
    },
  };
}

/** The person was (or may have been) adding or changing a code. */
export function mayBeProgramming(ev: Evidence): boolean {
  return ev.ctx.doing !== 'unlocking';
}

/** The person was (or may have been) opening the door with a code. */
export function mayBeUnlocking(ev: Evidence): boolean {
  return ev.ctx.doing !== 'programming';
}

export function lockedOutLikely(ev: Evidence): boolean {
  return (ev.ctx.wrongAttempts ?? 0) >= ev.model.lockout.wrongAttempts;
}
