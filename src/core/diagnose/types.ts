import type { ModelProfile } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';
import type { CodeKind, RuleId } from '../codes/rules.js';

/** What the person at the door saw or heard (`keyward diagnose`, docs/contracts.md). */
export const SYMPTOMS = ['red-3-beeps', 'no-response', 'red-flashes', 'code-does-not-unlock'] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export function isSymptom(text: string): text is Symptom {
  return (SYMPTOMS as readonly string[]).includes(text);
}

/**
 * Stable cause ids. The first group is the guide's diagnostic tree and quick-fix protocol, the
 * rest are field causes (docs/lock-rules.md, beyond the guide) and the lock rules checkCode names.
 */
export type CauseId =
  | 'prefix-conflict'
  | 'duplicate-code'
  | 'same-presses'
  | 'deleted-code-memory'
  | 'programming-code-equals-user'
  | 'weak-batteries'
  | 'programming-disabled'
  | 'corrupted-memory'
  | 'dead-batteries'
  | 'bad-contact'
  | 'program-button-contact'
  | 'wrong-code-lockout'
  | 'programming-timeout'
  | 'entry-timeout'
  | 'lock-full'
  | 'sequence-error'
  | 'code-length'
  | 'not-digits'
  | 'slot-out-of-range'
  | 'programming-code-never-unlocks'
  | 'code-not-on-lock'
  | 'code-deleted'
  | 'incomplete-code'
  | 'mistyped-code'
  | 'bolt-binding';

export interface Cause {
  id: CauseId;
  /** 0..1; causes are listed from the most likely down, and ties keep the guide's order. */
  likelihood: number;
  explanation: string;
  /** What to do, in order, at the door. */
  fix: string[];
  /** `confirmed`: the known lock state shows it; `possible`: consistent with what is known. */
  basis: 'confirmed' | 'possible';
  /** Where the cause comes from: the guide's tree and protocol, or field reports. */
  source: 'guide' | 'field';
  /** The lock rule behind it, when it is one (the rule ids of `keyward check`). */
  rule?: RuleId;
  /** The slot whose code collides or matches, or the programming code. */
  conflictsWith?: number | 'programming';
}

/** Lock-state fields the caller did not know, so the factory defaults in `state` are guesses. */
export type StateField = 'slots' | 'deleted' | 'programmingCode' | 'voltsPerCell' | 'programmingSwitch';

export interface DiagnoseContext {
  /** What the person was doing when the symptom came: adding or changing a code, or opening. */
  doing?: 'programming' | 'unlocking';
  /** Wrong codes entered within the minute before. */
  wrongAttempts?: number;
  /** How many red flashes the lock showed (15 is the lockout, 3 low batteries, 1 a time-out). */
  redFlashes?: number;
  /** New batteries are already in and the symptom persists (the quick-fix protocol's step 2). */
  batteriesReplaced?: boolean;
  unknown?: readonly StateField[];
}

export interface DiagnoseInput {
  symptom: Symptom;
  state: LockState;
  model: ModelProfile;
  attemptedCode?: string;
  attemptedKind?: CodeKind;
  attemptedSlot?: number;
  context?: DiagnoseContext;
}

export interface Diagnosis {
  symptom: Symptom;
  model: string;
  causes: Cause[];
  /** The guide's quick-fix protocol for this symptom, worded for this lock. */
  quickFix: string[];
}
