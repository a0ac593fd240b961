import type { ModelProfile, Signal } from '../catalog/types.js';
import { KeywardError } from '../errors.js';
import { isDigits, prefixKey, prefixText, samePresses } from './keypad.js';
import type { LockState } from './lock-state.js';

export type RuleId =
  | 'length'
  | 'digits'
  | 'capacity'
  | 'slot'
  | 'prefix'
  | 'deleted-prefix'
  | 'programming-code'
  | 'battery'
  | 'programming-disabled';

export interface Reason {
  rule: RuleId;
  message: string;
  conflictsWith?: number | 'programming';
}

export interface Feedback {
  led: 'green' | 'red' | 'amber' | 'none';
  flashes: number;
  beeps: number;
  /** The exact signals, in the twin's vocabulary. */
  signals: Signal[];
}

export interface Verdict {
  accepted: boolean;
  reasons: Reason[];
  feedback: Feedback;
  /** The slot the code would go into (user codes), or null. */
  slot: number | null;
}

export type CodeKind = 'user' | 'programming';

export interface Candidate {
  code: string;
  kind?: CodeKind;
  /** Target slot for a user code; the first free slot when absent. */
  slot?: number;
}

type Owner = { slot: number; code: string } | { programming: string } | { deleted: string };

/**
 * Every code the lock compares a new one against, by prefix. Built once per lock state, so a
 * check is one integer lookup however many codes the lock holds.
 */
export interface LockIndex {
  model: ModelProfile;
  state: LockState;
  owners: Map<number, Owner[]>;
  occupied: Set<number>;
  firstFree: number | null;
}

const INDEX_CACHE = new WeakMap<LockState, LockIndex>();

export function indexLock(state: LockState, model: ModelProfile): LockIndex {
  const cached = INDEX_CACHE.get(state);
  if (cached && cached.model === model) return cached;
  const owners = new Map<number, Owner[]>();
  const add = (code: string, owner: Owner) => {
    const key = prefixKey(code, model);
    const list = owners.get(key);
    if (list) list.push(owner);
    else owners.set(key, [owner]);
  };
  const occupied = new Set<number>();
  for (const [slotText, code] of Object.entries(state.slots)) {
    const slot = Number(slotText);
    occupied.add(slot);
    add(code, { slot, code });
  }
  if (state.programmingCode) add(state.programmingCode, { programming: state.programmingCode });
  // Stryker disable next-line ObjectLiteral: equivalent, a deleted code's owner is told apart by having neither a slot nor the programming code; its digits are never read
  if (model.quirks.deletedCodeMemory) for (const code of state.deleted) add(code, { deleted: code });
  let firstFree: number | null = null;
  for (let s = 1; s <= model.slots; s++) {
    if (!occupied.has(s)) {
      firstFree = s;
      break;
    }
  }
  const index = { model, state, owners, occupied, firstFree };
  INDEX_CACHE.set(state, index);
  return index;
}

function feedbackOf(signals: Signal[]): Feedback {
  let led: Feedback['led'] = 'none';
  let flashes = 0;
  let beeps = 0;
  for (const s of signals) {
    if ('led' in s) {
      if (led === 'none') led = s.led;
      flashes += s.count;
    } else beeps += s.count;
  }
  return { led, flashes, beeps, signals };
}

/** The battery level at which the lock stops answering or stops taking new codes. */
export function batteryCondition(state: LockState, model: ModelProfile): 'ok' | 'weak' | 'dead' {
  if (state.voltsPerCell < model.battery.deadBelow) return 'dead';
  if (state.voltsPerCell <= model.battery.programmingFailsAtOrBelow) return 'weak';
  return 'ok';
}

/**
 * Would the lock take this code, and if not, every reason why? The lock itself answers only
 * with a red flash and three beeps; this names the rule and the slot it collides with.
 */
export function checkCode(state: LockState, model: ModelProfile, candidate: Candidate): Verdict {
  return checkIndexed(indexLock(state, model), candidate);
}

export function checkIndexed(index: LockIndex, candidate: Candidate): Verdict {
  const { model, state } = index;
  const kind = candidate.kind ?? 'user';
  const code = candidate.code;
  const reasons: Reason[] = [];

  if (kind === 'programming' && !model.programmingCode) {
    throw new KeywardError('UNSUPPORTED', `model ${model.id} has no programming code`);
  }

  const battery = batteryCondition(state, model);
  if (battery === 'dead') {
    reasons.push({
      rule: 'battery',
      message: `the batteries are dead (${state.voltsPerCell} V per cell): the lock gives no response at all`,
    });
  } else if (battery === 'weak') {
    reasons.push({
      rule: 'battery',
      message: `the batteries are weak (${state.voltsPerCell} V per cell, at or below ${model.battery.programmingFailsAtOrBelow} V): programming fails with red flashes; fit four new alkaline AA cells`,
    });
  }
  if (model.quirks.programmingSwitch && !state.programmingSwitch) {
    reasons.push({
      rule: 'programming-disabled',
      message: `programming is disabled: turn on the interior programming switch of the ${model.id} first`,
    });
  }

  const digitsOk = isDigits(code);
  if (!digitsOk) {
    reasons.push({ rule: 'digits', message: 'a code is digits 0-9 only' });
  }
  const range = kind === 'programming' ? model.programmingCode!.length : model.userCodeLength;
  const tooShort = code.length < range.min;
  if (tooShort || code.length > range.max) {
    const what = kind === 'programming' ? 'a programming code' : 'a user code';
    reasons.push({
      rule: 'length',
      message: `${code.length} digits is too ${tooShort ? 'short' : 'long'}: model ${model.id} takes ${what} of ${range.min}-${range.max} digits`,
    });
  }

  let slot: number | null = null;
  if (kind === 'user') {
    if (candidate.slot !== undefined) {
      if (!Number.isInteger(candidate.slot) || candidate.slot < 1 || candidate.slot > model.slots) {
        reasons.push({
          rule: 'slot',
          message: `slot ${candidate.slot} does not exist: model ${model.id} has slots 1-${model.slots}`,
        });
      } else slot = candidate.slot;
    } else if (index.firstFree === null) {
      reasons.push({
        rule: 'capacity',
        message: `all ${model.slots} slots are full: the lock refuses a ${model.slots + 1}st code; delete one first`,
      });
    } else slot = index.firstFree;
  }

  if (digitsOk && code.length >= 4) collectConflicts(index, code, kind, reasons);

  const accepted = reasons.length === 0;
  let signals: Signal[];
  if (accepted) signals = kind === 'programming' ? model.signals.programmingCodeSaved : model.signals.saved;
  else if (battery === 'dead') signals = [];
  else if (battery === 'weak' && !reasons.some((r) => r.rule === 'programming-disabled')) {
    signals = model.signals.lowBattery;
  } else signals = model.signals.failure;
  return { accepted, reasons, feedback: feedbackOf(signals), slot };
}

function collectConflicts(index: LockIndex, code: string, kind: CodeKind, reasons: Reason[]): void {
  const { model } = index;
  const owners = index.owners.get(prefixKey(code, model));
  if (!owners) return;
  const prefix = prefixText(prefixKey(code, model));
  const sharesWithUsers = !model.programmingCode?.mayShareUserPrefix;
  for (const owner of owners) {
    if ('slot' in owner) {
      if (kind === 'programming') {
        if (!sharesWithUsers) continue;
        reasons.push({
          rule: 'programming-code',
          message: `slot ${owner.slot} holds a user code starting ${prefix}: the programming code must differ from every user code in its first four digits`,
          conflictsWith: owner.slot,
        });
      } else {
        const same = samePresses(code, owner.code, model);
        reasons.push({
          rule: 'prefix',
          message: same
            ? `slot ${owner.slot} already holds this code${model.keypad === '5-button' ? ' (the same buttons on this 5-button keypad)' : ''}`
            : `slot ${owner.slot} holds a code that also starts ${prefix}: the first four digits of every code must differ${model.keypad === '5-button' ? ' (on this 5-button keypad 1|2, 3|4, 5|6, 7|8, 9|0 are one button each)' : ''}`,
          conflictsWith: owner.slot,
        });
      }
    } else if ('programming' in owner) {
      if (kind === 'programming' || !sharesWithUsers) continue;
      reasons.push({
        rule: 'programming-code',
        message: samePresses(code, owner.programming, model)
          ? 'this is the programming code: it never unlocks the door and cannot also be a user code'
          : `the programming code also starts ${prefix}: a user code must differ from it in the first four digits`,
        conflictsWith: 'programming',
      });
    } else {
      reasons.push({
        rule: 'deleted-prefix',
        message: `a deleted code starting ${prefix} still occupies the lock's memory until a factory reset: choose a code with other first four digits`,
      });
    }
  }
}
