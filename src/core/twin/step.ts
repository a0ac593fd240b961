import type { Key, ModelProfile, Signal } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';
import { acceptsProgrammingCode, acceptsUserCode, isProgrammingCode, slotOpenedBy } from './acceptance.js';
import { type Input, type Mode, NO_SIGNALS, type StepResult, type TwinState } from './types.js';

const IDLE: Mode = Object.freeze({ kind: 'idle' });
const OFF: Mode = Object.freeze({ kind: 'off' });
/** Holding Program this long while idle arms "delete all user codes" (field models). */
export const DELETE_ALL_HOLD_MS = 3_000;
/** Guide: keep holding Program 30 s after reinserting the batteries until the LED flashes red. */
export const RESET_HOLD_MS = 30_000;
/** Longer entries are a sequence error: no model takes more than 10 digits. */
const MAX_BUFFER = 16;

export function createTwin(lock: LockState): TwinState {
  return {
    lock,
    at: 0,
    mode: IDLE,
    buffer: '',
    lastKeyAt: 0,
    wrong: [],
    bolt: 'locked',
    programDown: false,
  };
}

function out(state: TwinState, signals: readonly Signal[] = NO_SIGNALS): StepResult {
  return { state, signals };
}

function toIdle(state: TwinState, signals: readonly Signal[], lock: LockState = state.lock): StepResult {
  return out({ ...state, lock, mode: IDLE, buffer: '' }, signals);
}

function isDead(state: TwinState, model: ModelProfile): boolean {
  return state.lock.voltsPerCell < model.battery.deadBelow;
}

function isWeak(state: TwinState, model: ModelProfile): boolean {
  return state.lock.voltsPerCell <= model.battery.programmingFailsAtOrBelow;
}

/**
 * One input, one answer. Pure: the same state and input always give the same next state and
 * signals, and time moves only through `wait`.
 */
export function step(state: TwinState, input: Input, model: ModelProfile): StepResult {
  if ('wait' in input) return advance(state, input.wait, model);
  if ('press' in input) {
    const key = normalize(input.press, model);
    if (key === 'program') {
      const down = programDown(state, model);
      const up = programUp(down.state, model);
      return out(up.state, concat(down.signals, up.signals));
    }
    return keyDown(state, key, model);
  }
  if ('down' in input) {
    const key = normalize(input.down, model);
    return key === 'program' ? programDown(state, model) : keyDown(state, key, model);
  }
  if ('up' in input) {
    return normalize(input.up, model) === 'program' ? programUp(state, model) : out(state);
  }
  if ('batteries' in input)
    return input.batteries === 'remove' ? removeBatteries(state) : insertBatteries(state, model);
  if ('volts' in input) return out({ ...state, lock: { ...state.lock, voltsPerCell: input.volts } });
  return out({ ...state, lock: { ...state.lock, programmingSwitch: input.on } });
}

function concat(a: readonly Signal[], b: readonly Signal[]): readonly Signal[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return [...a, ...b];
}

function normalize(key: Key, model: ModelProfile): Key {
  return model.aliases[key] ?? key;
}

// ---- time ------------------------------------------------------------------------------------

/** When the current mode next changes by itself, or Infinity. */
function deadline(state: TwinState, model: ModelProfile): number {
  const mode = state.mode;
  switch (mode.kind) {
    case 'idle':
      return state.buffer ? state.lastKeyAt + model.programmingTimeoutMs : Number.POSITIVE_INFINITY;
    case 'lockout':
      return mode.until;
    case 'program-held':
      return mode.armed ? Number.POSITIVE_INFINITY : mode.since + DELETE_ALL_HOLD_MS;
    case 'reset-held':
      return mode.armed ? Number.POSITIVE_INFINITY : mode.since + RESET_HOLD_MS;
    case 'off':
      return Number.POSITIVE_INFINITY;
    default:
      return state.lastKeyAt + model.programmingTimeoutMs;
  }
}

function fire(state: TwinState, model: ModelProfile): StepResult {
  const mode = state.mode;
  switch (mode.kind) {
    case 'idle':
      return out({ ...state, buffer: '' });
    case 'lockout':
      return out({ ...state, mode: IDLE });
    case 'program-held':
      return out({ ...state, mode: { ...mode, armed: true } }, model.signals.deleteAllArmed);
    case 'reset-held':
      return out({ ...state, mode: { ...mode, armed: true } }, model.signals.resetArmed);
    default:
      return toIdle(state, model.signals.timeout);
  }
}

function advance(state: TwinState, ms: number, model: ModelProfile): StepResult {
  const target = state.at + ms;
  let current = state;
  let signals: readonly Signal[] = NO_SIGNALS;
  for (;;) {
    const due = deadline(current, model);
    if (due > target) break;
    const fired = fire({ ...current, at: Math.max(current.at, due) }, model);
    current = fired.state;
    signals = concat(signals, fired.signals);
  }
  return out({ ...current, at: target }, signals);
}

// ---- power -----------------------------------------------------------------------------------

function removeBatteries(state: TwinState): StepResult {
  return out({ ...state, mode: OFF, buffer: '' });
}

function insertBatteries(state: TwinState, model: ModelProfile): StepResult {
  if (state.mode.kind !== 'off') return out(state);
  if (state.programDown && !isDead(state, model)) {
    return out({
      ...state,
      mode: { kind: 'reset-held', since: state.at, armed: false },
      lastKeyAt: state.at,
    });
  }
  return out({ ...state, mode: IDLE, buffer: '' });
}

function factoryReset(state: TwinState, model: ModelProfile): StepResult {
  const lock: LockState = {
    ...state.lock,
    programmingCode: model.programmingCode?.default ?? null,
    slots: {},
    deleted: [],
  };
  return out({ ...state, lock, mode: IDLE, buffer: '', wrong: [] }, model.signals.resetDone);
}

// ---- the Program button ------------------------------------------------------------------------

function programDown(state: TwinState, model: ModelProfile): StepResult {
  const next = { ...state, programDown: true };
  if (state.mode.kind === 'off' || isDead(state, model)) return out(next);
  if (state.mode.kind === 'idle' && state.buffer === '' && model.quirks.deleteAllCodes) {
    return out({
      ...next,
      mode: { kind: 'program-held', since: state.at, armed: false },
      lastKeyAt: state.at,
    });
  }
  return out(next);
}

function programUp(state: TwinState, model: ModelProfile): StepResult {
  const released = { ...state, programDown: false };
  const mode = state.mode;
  if (mode.kind === 'off' || isDead(state, model)) return out(released);
  if (mode.kind === 'reset-held') {
    return mode.armed
      ? out({ ...released, mode: { kind: 'reset-armed' }, lastKeyAt: state.at })
      : out({ ...released, mode: IDLE });
  }
  if (mode.kind === 'program-held') {
    if (mode.armed) return out({ ...released, mode: { kind: 'delete-all-armed' }, lastKeyAt: state.at });
    return programPress({ ...released, mode: IDLE }, model);
  }
  return programPress(released, model);
}

function programPress(state: TwinState, model: ModelProfile): StepResult {
  const mode = state.mode;
  const s = { ...state, lastKeyAt: state.at };
  switch (mode.kind) {
    case 'lockout':
      return out(state, model.signals.keypadDisabled);
    case 'reset-armed':
      return factoryReset(s, model);
    case 'idle':
      if (model.quirks.programmingSwitch && !state.lock.programmingSwitch)
        return toIdle(s, model.signals.failure);
      if (model.programmingCode?.style === 'menu')
        return out({ ...s, mode: { kind: 'menu' }, buffer: '' }, model.signals.menuOpened);
      return out({ ...s, mode: { kind: 'slot-select', slot: 1 }, buffer: '' }, model.signals.slotSelected);
    case 'slot-select':
      // The guide's "31st code" refusal: there is no 31st Program press to make.
      if (mode.slot >= model.slots) return toIdle(s, model.signals.failure);
      return out({ ...s, mode: { kind: 'slot-select', slot: mode.slot + 1 } }, model.signals.slotSelected);
    default:
      return toIdle(s, model.signals.failure);
  }
}

// ---- the keypad --------------------------------------------------------------------------------

function keyDown(state: TwinState, key: Key, model: ModelProfile): StepResult {
  if (state.mode.kind === 'off' || isDead(state, model)) return out(state);
  if (state.mode.kind === 'lockout') return out(state, model.signals.keypadDisabled);
  const s = { ...state, lastKeyAt: state.at };
  const digit = key.length === 1;
  return digit ? digitDown(s, key, model) : commandDown(s, key, model);
}

function append(state: TwinState, key: Key, model: ModelProfile): StepResult {
  if (state.buffer.length >= MAX_BUFFER) return toIdle(state, model.signals.failure);
  return out({ ...state, buffer: state.buffer + key });
}

function digitDown(state: TwinState, key: Key, model: ModelProfile): StepResult {
  const mode = state.mode;
  switch (mode.kind) {
    case 'idle':
    case 'code-entry':
    case 'programming-code':
    case 'new-programming-code':
      return append(state, key, model);
    case 'slot-select':
      if (mode.slot === 0) return toIdle(state, model.signals.failure);
      return out({ ...state, mode: { kind: 'code-entry', slot: mode.slot }, buffer: key });
    case 'menu':
      if (key === '1')
        return out({ ...state, mode: { kind: 'slot-select', slot: 0 } }, model.signals.slotSelected);
      if (key === '2') {
        return out(
          { ...state, mode: { kind: 'delete-by-code', step: 'kwikset', first: null } },
          model.signals.slotSelected,
        );
      }
      if (key === '3')
        return out({ ...state, mode: { kind: 'programming-code', first: null } }, model.signals.stepTaken);
      return toIdle(state, model.signals.failure);
    case 'delete-by-code':
      return mode.step === 'kwikset' ? toIdle(state, model.signals.failure) : append(state, key, model);
    case 'function':
      return key === '4'
        ? out({ ...state, mode: { kind: 'function-4' } })
        : toIdle(state, model.signals.failure);
    case 'program-held':
      return out(state);
    default:
      return toIdle(state, model.signals.failure);
  }
}

function commandDown(state: TwinState, key: Key, model: ModelProfile): StepResult {
  const mode = state.mode;
  const confirm = key === model.confirmKey;
  const save = key === normalize('lock', model) || (confirm && model.confirmKey === 'enter');
  switch (mode.kind) {
    case 'idle':
      if (key === 'lock' && model.confirmKey === 'enter') return lockBolt(state, model);
      if (!confirm) return out(state);
      return state.buffer === '' ? lockBolt(state, model) : attempt(state, model);
    case 'slot-select':
      if (!save || mode.slot === 0) return toIdle(state, model.signals.failure);
      return clearSlot(state, mode.slot, model);
    case 'code-entry':
      return save ? saveUserCode(state, mode.slot, model) : toIdle(state, model.signals.failure);
    case 'programming-code':
      if (key !== 'kwikset' || state.buffer === '') return toIdle(state, model.signals.failure);
      if (mode.first === null)
        return out({ ...state, mode: { kind: 'programming-code', first: state.buffer }, buffer: '' });
      if (mode.first !== state.buffer) return toIdle(state, model.signals.failure);
      return saveProgrammingCode(state, model);
    case 'delete-by-code':
      return deleteByCodeStep(state, mode, key, model);
    case 'function-4':
      return confirm
        ? out({ ...state, mode: { kind: 'new-programming-code' }, buffer: '' }, model.signals.stepTaken)
        : toIdle(state, model.signals.failure);
    case 'new-programming-code':
      return confirm && state.buffer !== ''
        ? saveProgrammingCode(state, model)
        : toIdle(state, model.signals.failure);
    case 'delete-all-armed':
      return save ? deleteAll(state, model) : toIdle(state, model.signals.failure);
    case 'program-held':
      return out(state);
    default:
      return toIdle(state, model.signals.failure);
  }
}

function lockBolt(state: TwinState, model: ModelProfile): StepResult {
  return out({ ...state, bolt: 'locked', buffer: '' }, model.signals.locked);
}

function attempt(state: TwinState, model: ModelProfile): StepResult {
  const code = state.buffer;
  if (slotOpenedBy(state.lock, model, code) !== null) {
    return out({ ...state, bolt: 'unlocked', buffer: '', wrong: [] }, model.signals.unlocked);
  }
  if (model.programmingCode?.style === 'keypad' && isProgrammingCode(state.lock, model, code)) {
    return out({ ...state, mode: { kind: 'function' }, buffer: '' }, model.signals.stepTaken);
  }
  const { wrongAttempts, windowMs, durationMs } = model.lockout;
  const wrong = [...state.wrong.filter((t) => t > state.at - windowMs), state.at];
  if (wrong.length >= wrongAttempts) {
    return out(
      { ...state, mode: { kind: 'lockout', until: state.at + durationMs }, buffer: '', wrong: [] },
      model.signals.lockout,
    );
  }
  return out({ ...state, buffer: '', wrong }, model.signals.wrongCode);
}

function deleteByCodeStep(
  state: TwinState,
  mode: Extract<Mode, { kind: 'delete-by-code' }>,
  key: Key,
  model: ModelProfile,
): StepResult {
  if (key !== 'kwikset') return toIdle(state, model.signals.failure);
  if (mode.step === 'kwikset') return out({ ...state, mode: { ...mode, step: 'first' }, buffer: '' });
  if (state.buffer === '') return toIdle(state, model.signals.failure);
  if (mode.step === 'first')
    return out({ ...state, mode: { ...mode, step: 'confirm', first: state.buffer }, buffer: '' });
  const slot = mode.first === state.buffer ? slotOpenedBy(state.lock, model, state.buffer) : null;
  if (slot === null) return toIdle(state, model.signals.failure);
  if (isWeak(state, model)) return toIdle(state, model.signals.lowBattery);
  return toIdle(state, model.signals.deletedByCode, withoutSlots(state.lock, model, [slot]));
}

// ---- commits -----------------------------------------------------------------------------------

/** Removed codes go to the deleted-code memory on the models that keep one. */
function withoutSlots(lock: LockState, model: ModelProfile, slots: number[]): LockState {
  const kept: Record<string, string> = { ...lock.slots };
  const gone: string[] = [];
  for (const slot of slots) {
    const code = kept[String(slot)];
    if (code !== undefined) gone.push(code);
    delete kept[String(slot)];
  }
  const deleted =
    model.quirks.deletedCodeMemory && gone.length > 0 ? [...lock.deleted, ...gone] : lock.deleted;
  return { ...lock, slots: kept, deleted };
}

function saveUserCode(state: TwinState, slot: number, model: ModelProfile): StepResult {
  if (isWeak(state, model)) return toIdle(state, model.signals.lowBattery);
  const code = state.buffer;
  if (!acceptsUserCode(state.lock, model, code)) return toIdle(state, model.signals.failure);
  const cleared = withoutSlots(state.lock, model, [slot]);
  return toIdle(state, model.signals.saved, {
    ...cleared,
    slots: { ...cleared.slots, [String(slot)]: code },
  });
}

function clearSlot(state: TwinState, slot: number, model: ModelProfile): StepResult {
  if (isWeak(state, model)) return toIdle(state, model.signals.lowBattery);
  return toIdle(state, model.signals.saved, withoutSlots(state.lock, model, [slot]));
}

function saveProgrammingCode(state: TwinState, model: ModelProfile): StepResult {
  if (isWeak(state, model)) return toIdle(state, model.signals.lowBattery);
  const code = state.buffer;
  if (!acceptsProgrammingCode(state.lock, model, code)) return toIdle(state, model.signals.failure);
  return toIdle(state, model.signals.programmingCodeSaved, { ...state.lock, programmingCode: code });
}

function deleteAll(state: TwinState, model: ModelProfile): StepResult {
  if (isWeak(state, model)) return toIdle(state, model.signals.lowBattery);
  const slots = Object.keys(state.lock.slots).map(Number);
  return toIdle(state, model.signals.saved, withoutSlots(state.lock, model, slots));
}
