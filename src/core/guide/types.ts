import type { Signal } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';
import type { Reason } from '../codes/rules.js';
import type { Input } from '../twin/types.js';

export const GUIDE_OPS = [
  'set-programming-code',
  'add-user',
  'delete-user',
  'delete-user-by-code',
  'delete-all',
  'factory-reset',
  'test-code',
  'programming-switch',
] as const;

export type GuideOp = (typeof GUIDE_OPS)[number];

export interface GuideRequest {
  op: GuideOp;
  code?: string;
  slot?: number;
  /** programming-switch: turn it on (true) or off (false). */
  on?: boolean;
}

export interface GuideStep {
  n: number;
  instruction: string;
  inputs: Input[];
  /** Exactly the signals the twin shows for this step's inputs, in order. */
  expect: Signal[];
  /** The keys must follow one another within this many milliseconds. */
  withinMs?: number;
  /** What the signals mean when they differ, and where to turn. */
  ifDifferent?: string;
}

export interface Guide {
  model: string;
  op: GuideOp;
  title: string;
  preconditions: string[];
  steps: GuideStep[];
  /** The lock state once every step has shown its expected signals. */
  final: LockState;
  notes: string[];
}

export type GuideResult =
  | { ok: true; guide: Guide }
  | { ok: false; model: string; op: GuideOp; reasons: Reason[]; fixes: string[] };
