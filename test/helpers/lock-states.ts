import { getModel } from '../../src/core/catalog/index.js';
import { factoryState, type LockState } from '../../src/core/codes/lock-state.js';
import type { Verdict } from '../../src/core/codes/rules.js';

/** A model's lock as it leaves the factory, with the given changes. */
export function lock(id: string, over: Partial<LockState> = {}): LockState {
  return { ...factoryState(getModel(id)), ...over };
}

/** The rules a verdict names, in its order. */
export function rules(v: Verdict): string[] {
  return v.reasons.map((r) => r.rule);
}
