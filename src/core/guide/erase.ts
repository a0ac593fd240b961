import type { LockState } from '../codes/lock-state.js';
import { DELETE_ALL_HOLD_MS, RESET_HOLD_MS } from '../twin/step.js';
import {
  type Procedure,
  press,
  type Refusal,
  SYMPTOM_HELP,
  switchOn,
  unsupported,
  withoutSlot,
} from './steps.js';
import { describeSignals, keyName } from './words.js';

/** Procedures that erase: every user code at once, or the whole lock. */

/** Hold Program until the lock arms, then Lock: every user code deleted. */
export function deleteAll(p: Procedure): LockState | Refusal {
  const { steps, model } = p;
  let state = p.state;
  if (!model.quirks.deleteAllCodes)
    unsupported(model, 'has no delete-all procedure at the keypad; delete codes by slot or factory reset');
  state = switchOn(steps, state, model);
  steps.add(
    `Press and hold ${keyName('program', model)} for ${DELETE_ALL_HOLD_MS / 1000} seconds: expect ${describeSignals(model.signals.deleteAllArmed)}.`,
    [{ down: 'program' }, { wait: DELETE_ALL_HOLD_MS }],
    model.signals.deleteAllArmed,
  );
  steps.add('Release the Program button.', [{ up: 'program' }], []);
  steps.add(
    `Press ${keyName('lock', model)}: expect ${describeSignals(model.signals.saved)} (every user code deleted).`,
    [press('lock')],
    model.signals.saved,
    { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.save },
  );
  const final = Object.keys(state.slots).reduce((s, slot) => withoutSlot(s, model, Number(slot)), state);
  return final;
}

/** Batteries out, hold Program, batteries in, hold 30 s, press Program: every code and the deleted-code memory erased. */
export function factoryReset(p: Procedure): LockState | Refusal {
  const { steps, notes, model } = p;
  const state = p.state;
  steps.add('Slide out the battery pack (4 AA).', [{ batteries: 'remove' }], []);
  steps.add(`Press and hold ${keyName('program', model)}.`, [{ down: 'program' }], []);
  steps.add('Still holding it, reinsert the battery pack.', [{ batteries: 'insert' }], []);
  steps.add(
    `Keep holding for ${RESET_HOLD_MS / 1000} seconds, until the LED flashes red: expect ${describeSignals(model.signals.resetArmed)}.`,
    [{ wait: RESET_HOLD_MS }],
    model.signals.resetArmed,
  );
  steps.add('Release the Program button.', [{ up: 'program' }], []);
  steps.add(
    `Press ${keyName('program', model)} once more: expect ${describeSignals(model.signals.resetDone)}. Silence means the batteries are dead.`,
    [press('program')],
    model.signals.resetDone,
    {
      ifDifferent:
        'Silence: dead batteries (keyward diagnose --symptom no-response). Anything else: start again from step 1.',
    },
  );
  const final = { ...state, slots: {}, deleted: [], programmingCode: model.programmingCode?.default ?? null };
  notes.push(
    'This erases every code and the deleted-code memory; reprogramming takes 15+ minutes, so have every code ready.',
  );
  return final;
}
