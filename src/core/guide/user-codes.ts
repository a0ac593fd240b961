import { pressSequence } from '../codes/keypad.js';
import type { LockState } from '../codes/lock-state.js';
import { checkCode } from '../codes/rules.js';
import {
  digits,
  need,
  type Procedure,
  press,
  type Refusal,
  refuse,
  SYMPTOM_HELP,
  selectSlot,
  switchOn,
  testStep,
  unsupported,
  withoutSlot,
} from './steps.js';
import { describeSignals, keyName, spaced } from './words.js';

/** The user-code procedures: add one to a slot, delete one by slot or by its digits, test one. */

/** Select the slot with the Program button, enter the code, save with Lock, test it. */
export function addUser(p: Procedure): LockState | Refusal {
  const { steps, notes, model, req } = p;
  let state = p.state;
  const code = need(req.code, '--code C', req.op);
  const slot = need(req.slot, '--slot N', req.op);
  state = switchOn(steps, state, model);
  const verdict = checkCode(state, model, { code, kind: 'user', slot });
  if (!verdict.accepted) return refuse(model, req, verdict.reasons, state);
  selectSlot(steps, model, slot);
  steps.add(`Enter ${spaced(code)}.`, digits(code), [], { withinMs: model.programmingTimeoutMs });
  steps.add(
    `Press ${keyName('lock', model)} to save: expect ${describeSignals(model.signals.saved)}.`,
    [press('lock')],
    model.signals.saved,
    { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.save },
  );
  const cleared = withoutSlot(state, model, slot);
  const final = { ...cleared, slots: { ...cleared.slots, [String(slot)]: code } };
  testStep(steps, model, code);
  if (state.slots[String(slot)] !== undefined) notes.push(`This replaces the code in slot ${slot}.`);
  return final;
}

/** Select the slot and save it empty. */
export function deleteUser(p: Procedure): LockState | Refusal {
  const { steps, notes, model, req } = p;
  let state = p.state;
  const slot = need(req.slot, '--slot N', req.op);
  if (state.slots[String(slot)] === undefined) {
    return refuse(
      model,
      req,
      [{ rule: 'slot', message: `slot ${slot} is empty: there is nothing to delete` }],
      state,
    );
  }
  state = switchOn(steps, state, model);
  selectSlot(steps, model, slot);
  steps.add(
    `Press ${keyName('lock', model)} without entering a code: expect ${describeSignals(model.signals.saved)} (slot ${slot} cleared).`,
    [press('lock')],
    model.signals.saved,
    { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.save },
  );
  const final = withoutSlot(state, model, slot);
  if (model.quirks.deletedCodeMemory) {
    notes.push(`The ${model.id} keeps the deleted code's first four digits reserved until a factory reset.`);
  }
  return final;
}

/** The 955 menu deletes a code by its digits, without the programming code. */
export function deleteUserByCode(p: Procedure): LockState | Refusal {
  const { steps, notes, model, req } = p;
  let state = p.state;
  if (model.programmingCode?.style !== 'menu')
    unsupported(model, 'cannot delete a code by its digits at the keypad; delete it by slot');
  const code = need(req.code, '--code C', req.op);
  const presses = pressSequence(code, model);
  const slotEntry = Object.entries(state.slots).find(
    ([, c]) => c.length === code.length && pressSequence(c, model) === presses,
  );
  if (!slotEntry) {
    return refuse(
      model,
      req,
      [{ rule: 'slot', message: 'no slot holds this code: there is nothing to delete' }],
      state,
    );
  }
  state = switchOn(steps, state, model);
  const within = { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.key };
  steps.add(
    `Press ${keyName('program', model)} once: expect ${describeSignals(model.signals.menuOpened)}.`,
    [press('program')],
    model.signals.menuOpened,
    within,
  );
  steps.add(
    `Press 2: expect ${describeSignals(model.signals.slotSelected)}.`,
    [press('2')],
    model.signals.slotSelected,
    within,
  );
  steps.add(
    `Press Kwikset, enter ${spaced(code)}, press Kwikset.`,
    [press('kwikset'), ...digits(code), press('kwikset')],
    [],
    within,
  );
  steps.add(
    `Enter ${spaced(code)} again and press Kwikset: expect ${describeSignals(model.signals.deletedByCode)} (deleted).`,
    [...digits(code), press('kwikset')],
    model.signals.deletedByCode,
    { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.save },
  );
  const final = withoutSlot(state, model, Number(slotEntry[0]));
  notes.push(
    'This works without the programming code (guide: use it when the programming code is forgotten).',
  );
  return final;
}

/** Enter a code held by the lock and its confirm key, door open. */
export function testCode(p: Procedure): LockState | Refusal {
  const { steps, model, req } = p;
  const state = p.state;
  const code = need(req.code, '--code C', req.op);
  const presses = pressSequence(code, model);
  const held = Object.values(state.slots).some(
    (c) => c.length === code.length && pressSequence(c, model) === presses,
  );
  if (!held) {
    const isPc = state.programmingCode !== null && pressSequence(state.programmingCode, model) === presses;
    return refuse(
      model,
      req,
      [
        {
          rule: isPc ? 'programming-code' : 'slot',
          message: isPc
            ? 'this is the programming code: it never unlocks the door'
            : 'no slot holds this code, so it will not unlock',
          ...(isPc ? { conflictsWith: 'programming' as const } : {}),
        },
      ],
      state,
    );
  }
  testStep(steps, model, code);
  const final = state;
  return final;
}
