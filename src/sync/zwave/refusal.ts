import type { ModelProfile } from '../../core/catalog/types.js';
import { factoryState } from '../../core/codes/lock-state.js';
import { checkCode } from '../../core/codes/rules.js';
import type { WriteResult } from '../driver.js';
import { fail } from './write-result.js';

/**
 * A refusal, named by Keyward's own rules when the model and the lock's codes are known. The
 * message names the colliding slot, never digits: results end up in the audit log.
 */
export function namedRefusal(
  model: ModelProfile | undefined,
  known: ReadonlyMap<number, string | null>,
  slot: number,
  code: string,
  message: string,
): WriteResult {
  if (model && ![...known.values()].includes(null)) {
    const state = factoryState(model);
    state.programmingCode = null;
    for (const [s, c] of known) if (s !== slot && c !== null) state.slots[String(s)] = c;
    const verdict = checkCode(state, model, { code, kind: 'user', slot });
    const clash = verdict.reasons.find((r) => r.rule === 'prefix' && typeof r.conflictsWith === 'number');
    if (clash) {
      return fail(
        'duplicate_on_device',
        `${message}: slot ${clash.conflictsWith} holds the same code or one with the same first four digits`,
        false,
      );
    }
    if (verdict.reasons.some((r) => r.rule === 'deleted-prefix')) {
      return fail(
        'prefix_reserved',
        `${message}: a deleted code with the same first four digits still occupies the lock's memory`,
        false,
      );
    }
  }
  return fail(
    'duplicate_on_device',
    `${message}; a lock refuses a code that repeats the first four digits of another`,
    false,
  );
}
