import type { ModelProfile, Signal } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';
import { createTwin, step } from './step.js';
import type { Input, TwinState } from './types.js';

export interface TraceLine {
  at: number;
  input: Input;
  signals: Signal[];
  mode: string;
}

export interface Trace {
  lines: TraceLine[];
  state: TwinState;
}

export function modeName(state: TwinState): string {
  return state.mode.kind;
}

/** Replays inputs from a lock state; the trace is what `keyward twin run` prints. */
export function runInputs(
  lock: LockState,
  inputs: readonly Input[],
  model: ModelProfile,
  from?: TwinState,
): Trace {
  let state = from ?? createTwin(lock);
  const lines: TraceLine[] = [];
  for (const input of inputs) {
    const result = step(state, input, model);
    state = result.state;
    lines.push({ at: state.at, input, signals: [...result.signals], mode: modeName(state) });
  }
  return { lines, state };
}

/** The lock state exactly as `--state` takes it (slots in slot order), so a run can go on from it. */
export function finalState(state: TwinState): LockState {
  const slots: Record<string, string> = {};
  for (const slot of Object.keys(state.lock.slots).sort((a, b) => Number(a) - Number(b))) {
    slots[slot] = state.lock.slots[slot]!;
  }
  return { ...state.lock, slots };
}

/**
 * The last line of a run: the final lock state, and beside it (never inside, where `--state`
 * would refuse them) what only the twin knows: the bolt, the keypad's mode and the time.
 */
export function runEnd(state: TwinState) {
  return { final: finalState(state), bolt: state.bolt, mode: modeName(state), at: state.at };
}
