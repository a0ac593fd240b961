import type { ModelProfile } from '../catalog/types.js';
import { isDigits, prefixKey, prefixText, samePresses } from '../codes/keypad.js';
import type { LockState } from '../codes/lock-state.js';
import { KeywardError } from '../errors.js';

export type PlanOp =
  | { op: 'delete'; slot: number }
  | { op: 'add'; slot: number; code: string }
  | { op: 'set-programming'; code: string };

export interface DesiredState {
  /** Slot number to code; slots absent here must end empty. */
  slots: Record<string, string>;
  /** The programming code to end with; absent keeps the current one. */
  programming?: string;
}

export interface PlanReason {
  rule: 'deleted-prefix' | 'moved-prefix';
  message: string;
  slot?: number;
}

export interface Plan {
  ops: PlanOp[];
  /** The ops only work after a factory reset, which erases every code and the deleted memory. */
  requiresFactoryReset: boolean;
  reasons: PlanReason[];
  /** Without a reset: the slots whose desired code must change, and why. */
  alternatives: { slot: number; message: string }[];
  /** The ops a naive manager would send (clear and rewrite every slot), for comparison. */
  naiveOps: number;
}

function bad(message: string): never {
  throw new KeywardError('BAD_INPUT', `desired state: ${message}`);
}

/** A desired state that no lock could hold is bad input, not a plan. */
export function validateDesired(desired: DesiredState, model: ModelProfile): void {
  const seen = new Map<number, number>();
  for (const [slotText, code] of Object.entries(desired.slots)) {
    const slot = Number(slotText);
    if (!Number.isInteger(slot) || slot < 1 || slot > model.slots) {
      bad(`slot ${slotText} is out of range: model ${model.id} has slots 1-${model.slots}`);
    }
    if (!isDigits(code)) bad(`slot ${slot} must be digits 0-9 only`);
    const { min, max } = model.userCodeLength;
    if (code.length < min || code.length > max)
      bad(`slot ${slot} has ${code.length} digits; model ${model.id} takes ${min}-${max}`);
    const key = prefixKey(code, model);
    const other = seen.get(key);
    if (other !== undefined) bad(`slots ${other} and ${slot} share the first four digits ${prefixText(key)}`);
    seen.set(key, slot);
  }
  if (desired.programming !== undefined) {
    const profile = model.programmingCode;
    if (!profile) bad(`model ${model.id} has no programming code`);
    const pc = desired.programming;
    if (!isDigits(pc)) bad('the programming code must be digits 0-9 only');
    if (pc.length < profile.length.min || pc.length > profile.length.max) {
      bad(
        `the programming code has ${pc.length} digits; model ${model.id} takes ${profile.length.min}-${profile.length.max}`,
      );
    }
    const other = seen.get(prefixKey(pc, model));
    if (other !== undefined && !profile.mayShareUserPrefix) {
      bad(`the programming code shares its first four digits with slot ${other}`);
    }
  }
}

const PROGRAMMING = 0;

/**
 * The fewest operations that take a lock from its current codes to the desired ones, ordered so
 * that the lock accepts every one: deletes first, then each change once the code holding its
 * prefix has gone. Each change is blocked by at most one current code (current prefixes are
 * unique), so the blocking graph is a set of simple cycles and chains; breaking each cycle with
 * one delete is optimal.
 */
export function planLock(current: LockState, desired: DesiredState, model: ModelProfile): Plan {
  validateDesired(desired, model);
  const slotCount = Object.keys(current.slots).length;
  const naiveOps =
    slotCount + Object.keys(desired.slots).length + (desired.programming !== undefined ? 1 : 0);

  const unchanged = (slot: string) => {
    const now = current.slots[slot];
    const want = desired.slots[slot];
    return now !== undefined && want !== undefined && samePresses(now, want, model);
  };
  const wantsProgramming =
    desired.programming !== undefined &&
    !(current.programmingCode !== null && samePresses(current.programmingCode, desired.programming, model));

  if (model.quirks.deletedCodeMemory) {
    const blocked = memoryConflicts(current, desired, model, unchanged, wantsProgramming);
    if (blocked.reasons.length > 0) return resetPlan(current, desired, model, blocked, naiveOps);
  }
  if (!wantsProgramming && current.programmingCode !== null && !model.programmingCode?.mayShareUserPrefix) {
    const key = prefixKey(current.programmingCode, model);
    for (const [slot, code] of Object.entries(desired.slots)) {
      if (prefixKey(code, model) === key)
        bad(`slot ${slot} shares its first four digits with the programming code`);
    }
  }

  // Live view of the lock while the plan is applied: slot -> code, plus the programming code.
  const live = new Map<number, string>();
  for (const [slot, code] of Object.entries(current.slots)) live.set(Number(slot), code);
  let livePc = current.programmingCode;
  const shares = model.programmingCode?.mayShareUserPrefix ?? false;
  const ops: PlanOp[] = [];

  for (const slot of Object.keys(current.slots)) {
    if (desired.slots[slot] === undefined) {
      ops.push({ op: 'delete', slot: Number(slot) });
      live.delete(Number(slot));
    }
  }

  const pending = new Map<number, string>();
  for (const [slot, code] of Object.entries(desired.slots))
    if (!unchanged(slot)) pending.set(Number(slot), code);
  if (wantsProgramming) pending.set(PROGRAMMING, desired.programming!);

  /** The live code that would make the lock refuse this change, as a slot (0 = programming). */
  const blocker = (target: number, code: string): number | null => {
    const key = prefixKey(code, model);
    for (const [slot, held] of live) {
      if (target === PROGRAMMING && shares) break;
      if (prefixKey(held, model) === key) return slot;
    }
    if (target !== PROGRAMMING && livePc !== null && !shares && prefixKey(livePc, model) === key)
      return PROGRAMMING;
    return null;
  };

  while (pending.size > 0) {
    let progressed = false;
    for (const [target, code] of pending) {
      if (blocker(target, code) !== null) continue;
      if (target === PROGRAMMING) {
        ops.push({ op: 'set-programming', code });
        livePc = code;
      } else {
        ops.push({ op: 'add', slot: target, code });
        live.set(target, code);
      }
      pending.delete(target);
      progressed = true;
    }
    if (progressed) continue;
    // Every pending change waits on another: a cycle. Free one prefix by deleting a user slot in it.
    const [target, code] = pending.entries().next().value as [number, string];
    let victim = blocker(target, code)!;
    if (victim === PROGRAMMING) victim = blocker(PROGRAMMING, pending.get(PROGRAMMING)!)!;
    ops.push({ op: 'delete', slot: victim });
    live.delete(victim);
  }
  return { ops, requiresFactoryReset: false, reasons: [], alternatives: [], naiveOps };
}

interface Blocked {
  reasons: PlanReason[];
  alternatives: { slot: number; message: string }[];
}

/**
 * On models that remember deleted codes, a prefix leaves the lock only through a factory reset:
 * any desired new code whose prefix is in memory, or belongs to a code that will be removed or
 * overwritten, can never be added.
 */
function memoryConflicts(
  current: LockState,
  desired: DesiredState,
  model: ModelProfile,
  unchanged: (slot: string) => boolean,
  wantsProgramming: boolean,
): Blocked {
  const gone = new Map<number, string>();
  for (const code of current.deleted) gone.set(prefixKey(code, model), 'a deleted code still in memory');
  for (const [slot, code] of Object.entries(current.slots)) {
    if (!unchanged(slot))
      gone.set(prefixKey(code, model), `the code now in slot ${slot}, which must leave that slot`);
  }
  const reasons: PlanReason[] = [];
  const alternatives: { slot: number; message: string }[] = [];
  for (const [slotText, code] of Object.entries(desired.slots)) {
    if (unchanged(slotText)) continue;
    const key = prefixKey(code, model);
    const why = gone.get(key);
    if (why === undefined) continue;
    const slot = Number(slotText);
    const rule = why.startsWith('a deleted') ? 'deleted-prefix' : 'moved-prefix';
    reasons.push({
      rule,
      slot,
      message: `slot ${slot}: its first four digits ${prefixText(key)} belong to ${why}; the ${model.id} keeps them reserved until a factory reset`,
    });
    alternatives.push({
      slot,
      message: `choose a code for slot ${slot} whose first four digits are not ${prefixText(key)}`,
    });
  }
  if (wantsProgramming) {
    const why = gone.get(prefixKey(desired.programming!, model));
    if (why !== undefined) {
      reasons.push({
        rule: why.startsWith('a deleted') ? 'deleted-prefix' : 'moved-prefix',
        message: `the programming code's first four digits belong to ${why}; the ${model.id} keeps them reserved until a factory reset`,
      });
    }
  }
  return { reasons, alternatives };
}

function resetPlan(
  current: LockState,
  desired: DesiredState,
  model: ModelProfile,
  blocked: Blocked,
  naiveOps: number,
): Plan {
  const ops: PlanOp[] = [];
  // The reset brings back the default programming code; put the wanted one back first.
  const defaultPc = model.programmingCode?.default ?? null;
  const wantedPc = desired.programming ?? current.programmingCode;
  if (wantedPc !== null && wantedPc !== defaultPc) ops.push({ op: 'set-programming', code: wantedPc });
  const slots = Object.keys(desired.slots)
    .map(Number)
    .sort((a, b) => a - b);
  for (const slot of slots) ops.push({ op: 'add', slot, code: desired.slots[String(slot)]! });
  return {
    ops,
    requiresFactoryReset: true,
    reasons: blocked.reasons,
    alternatives: blocked.alternatives,
    naiveOps,
  };
}
