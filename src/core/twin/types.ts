import type { Key, Signal } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';

/** The twin inputs of docs/contracts.md. Time passes only through `wait`. */
export type Input =
  | { press: Key }
  | { down: Key }
  | { up: Key }
  | { wait: number }
  | { batteries: 'remove' | 'insert' }
  | { volts: number }
  | { switch: 'programming'; on: boolean };

/**
 * Where the keypad is in its dialogue. Each programming mode ends on a commit, a sequence error
 * or a time-out after the model's programming time-out without a key.
 */
export type Mode =
  | { kind: 'idle' }
  /** Program pressed `slot` times (0 on the 955 until the first press after function 1). */
  | { kind: 'slot-select'; slot: number }
  | { kind: 'code-entry'; slot: number }
  /** 955: Program opened the menu; 1 add, 2 delete by code, 3 programming code. */
  | { kind: 'menu' }
  | { kind: 'programming-code'; first: string | null }
  | { kind: 'delete-by-code'; step: 'kwikset' | 'first' | 'confirm'; first: string | null }
  /** Keypad-style models: programming code and confirm taken, waiting for a function digit. */
  | { kind: 'function' }
  | { kind: 'function-4' }
  | { kind: 'new-programming-code' }
  | { kind: 'program-held'; since: number; armed: boolean }
  | { kind: 'delete-all-armed' }
  | { kind: 'lockout'; until: number }
  | { kind: 'off' }
  | { kind: 'reset-held'; since: number; armed: boolean }
  | { kind: 'reset-armed' };

export interface TwinState {
  lock: LockState;
  /** Milliseconds since the twin started. */
  at: number;
  mode: Mode;
  /** Digits typed in the current entry. */
  buffer: string;
  /** When the last key went down; programming modes and entries time out from here. */
  lastKeyAt: number;
  /** Times of recent wrong codes, for the lockout. */
  wrong: readonly number[];
  bolt: 'locked' | 'unlocked';
  programDown: boolean;
}

export interface StepResult {
  state: TwinState;
  signals: readonly Signal[];
}

export const NO_SIGNALS: readonly Signal[] = Object.freeze([]);
