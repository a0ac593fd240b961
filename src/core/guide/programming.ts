import type { LockState } from '../codes/lock-state.js';
import { checkCode } from '../codes/rules.js';
import { slotOpenedBy } from '../twin/acceptance.js';
import {
  digits,
  need,
  type Procedure,
  press,
  type Refusal,
  refuse,
  SYMPTOM_HELP,
  switchOn,
  unsupported,
} from './steps.js';
import { describeSignals, keyName, spaced } from './words.js';

/** The programming code and the interior programming switch. */

/** By the menu (955: Program, 3, code twice) or at the keypad (264, 275: current code, 4, new code). */
export function setProgrammingCode(p: Procedure): LockState | Refusal {
  const { steps, notes, model, req } = p;
  let state = p.state;
  const profile = model.programmingCode ?? unsupported(model, 'has no programming code');
  const code = need(req.code, '--code C', req.op);
  if (profile.style === 'keypad' && state.programmingCode === null) {
    return refuse(
      model,
      req,
      [
        {
          rule: 'programming-disabled',
          message: `no programming code is set on this ${model.id}, and the keypad can only change an existing one`,
        },
      ],
      state,
    );
  }
  if (profile.style === 'keypad' && slotOpenedBy(state, model, state.programmingCode!) !== null) {
    return refuse(
      model,
      req,
      [
        {
          rule: 'programming-code',
          message: `the current programming code is also a user code here, so entering it unlocks the door instead of starting programming`,
          conflictsWith: 'programming',
        },
      ],
      state,
    );
  }
  state = switchOn(steps, state, model);
  const verdict = checkCode(state, model, { code, kind: 'programming' });
  if (!verdict.accepted) return refuse(model, req, verdict.reasons, state);
  const within = { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.key };
  if (profile.style === 'menu') {
    steps.add(
      `Press ${keyName('program', model)} once: expect ${describeSignals(model.signals.menuOpened)}.`,
      [press('program')],
      model.signals.menuOpened,
      within,
    );
    steps.add(
      `Press 3: expect ${describeSignals(model.signals.stepTaken)} (programming-code set-up).`,
      [press('3')],
      model.signals.stepTaken,
      within,
    );
    steps.add(`Enter ${spaced(code)} and press Kwikset.`, [...digits(code), press('kwikset')], [], within);
    steps.add(
      `Enter ${spaced(code)} again and press Kwikset: expect ${describeSignals(model.signals.programmingCodeSaved)}.`,
      [...digits(code), press('kwikset')],
      model.signals.programmingCodeSaved,
      { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.save },
    );
  } else {
    const confirm = model.confirmKey;
    const current = state.programmingCode!;
    steps.add(
      `Enter the current programming code ${spaced(current)} and press ${keyName(confirm, model)}${model.signals.stepTaken.length ? `: expect ${describeSignals(model.signals.stepTaken)}` : ''}.`,
      [...digits(current), press(confirm)],
      model.signals.stepTaken,
      within,
    );
    steps.add(
      `Press 4, then ${keyName(confirm, model)}${model.signals.stepTaken.length ? `: expect ${describeSignals(model.signals.stepTaken)}` : ''}. Do it within ${model.programmingTimeoutMs / 1000} seconds.`,
      [press('4'), press(confirm)],
      model.signals.stepTaken,
      within,
    );
    steps.add(
      `Enter the new code ${spaced(code)} and press ${keyName(confirm, model)}: expect ${describeSignals(model.signals.programmingCodeSaved)}.`,
      [...digits(code), press(confirm)],
      model.signals.programmingCodeSaved,
      { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.save },
    );
    if (current === model.programmingCode?.default)
      notes.push(`The default ${current} stops working once the new code is taken.`);
  }
  const final = { ...state, programmingCode: code };
  notes.push('The programming code never unlocks the door: it only manages settings.');
  return final;
}

/** Turn the interior switch on or off. */
export function programmingSwitch(p: Procedure): LockState | Refusal {
  const { steps, notes, model, req } = p;
  const state = p.state;
  if (!model.quirks.programmingSwitch) unsupported(model, 'has no programming switch');
  const on = req.on ?? true;
  steps.add(
    `Turn the interior programming switch ${on ? 'ON' : 'OFF'}.`,
    [{ switch: 'programming', on }],
    [],
  );
  const final = { ...state, programmingSwitch: on };
  if (!on) notes.push('With the switch off the lock refuses all programming (red flash and 3 beeps).');
  return final;
}
