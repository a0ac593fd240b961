import type { Key, ModelProfile, Signal } from '../catalog/types.js';
import { pressSequence } from '../codes/keypad.js';
import type { LockState } from '../codes/lock-state.js';
import { batteryCondition, checkCode, type Reason } from '../codes/rules.js';
import { KeywardError } from '../errors.js';
import { slotOpenedBy } from '../twin/acceptance.js';
import { DELETE_ALL_HOLD_MS, RESET_HOLD_MS } from '../twin/step.js';
import type { Input } from '../twin/types.js';
import { fixFor } from './fixes.js';
import type { Guide, GuideRequest, GuideResult, GuideStep } from './types.js';
import { describeSignals, keyName, spaced } from './words.js';

/** The guide's safety set-up, before any procedure. */
export const SAFETY = [
  'Door fully open and unlocked: never program with the door closed.',
  'Your physical key within arm’s reach: it is the way back in if a code is refused.',
  'Fresh alkaline batteries: weak power makes programming fail half-way.',
  'Clear space around the door to test the code at once.',
];

const press = (key: Key): Input => ({ press: key });
const digits = (code: string): Input[] => code.split('').map((d) => press(d as Key));
const repeat = (signals: readonly Signal[], n: number): Signal[] =>
  Array.from({ length: n }, () => signals).flat();

const SYMPTOM_HELP = {
  save: 'Red flash and 3 beeps: the lock refused the code (keyward diagnose --symptom red-3-beeps). Red flashes only: weak batteries (--symptom red-flashes). Nothing at all: dead batteries (--symptom no-response).',
  key: 'A red flash or 3 beeps instead: the lock left programming (a key came too late or out of order); start again from step 1 (keyward diagnose --symptom red-3-beeps).',
  unlock:
    'Red flash and 3 beeps, or the bolt stays out: the code is not on the lock (keyward diagnose --symptom code-does-not-unlock).',
};

class Steps {
  readonly list: GuideStep[] = [];
  add(instruction: string, inputs: Input[], expect: readonly Signal[], extra: Partial<GuideStep> = {}): void {
    this.list.push({ n: this.list.length + 1, instruction, inputs, expect: [...expect], ...extra });
  }
}

function refuse(model: ModelProfile, req: GuideRequest, reasons: Reason[], state: LockState): GuideResult {
  return {
    ok: false,
    model: model.id,
    op: req.op,
    reasons,
    fixes: reasons.map((r) => fixFor(r, model, state, req)),
  };
}

function need<T>(value: T | undefined, what: string, op: string): T {
  if (value === undefined) throw new KeywardError('BAD_INPUT', `--op ${op} needs ${what}`);
  return value;
}

function unsupported(model: ModelProfile, what: string): never {
  throw new KeywardError('UNSUPPORTED', `model ${model.id} ${what}`);
}

function batteryReasons(state: LockState, model: ModelProfile): Reason[] {
  const condition = batteryCondition(state, model);
  if (condition === 'ok') return [];
  return [
    {
      rule: 'battery',
      message:
        condition === 'dead'
          ? `the batteries are dead (${state.voltsPerCell} V per cell): the lock will not answer`
          : `the batteries are weak (${state.voltsPerCell} V per cell): programming would fail with red flashes`,
    },
  ];
}

/** Every model with an interior switch needs it on before any programming. */
function switchOn(steps: Steps, state: LockState, model: ModelProfile): LockState {
  if (!model.quirks.programmingSwitch || state.programmingSwitch) return state;
  steps.add('Turn the interior programming switch ON.', [{ switch: 'programming', on: true }], []);
  return { ...state, programmingSwitch: true };
}

function selectSlot(steps: Steps, model: ModelProfile, slot: number): void {
  const within = { withinMs: model.programmingTimeoutMs, ifDifferent: SYMPTOM_HELP.key };
  if (model.programmingCode?.style === 'menu') {
    steps.add(
      `Press ${keyName('program', model)} once: expect ${describeSignals(model.signals.menuOpened)} (programming mode).`,
      [press('program')],
      model.signals.menuOpened,
      within,
    );
    steps.add(
      `Press 1 (add or clear a user code): expect ${describeSignals(model.signals.slotSelected)}.`,
      [press('1')],
      model.signals.slotSelected,
      within,
    );
  }
  steps.add(
    `Press ${keyName('program', model)} ${slot} time${slot === 1 ? '' : 's'} for slot ${slot}: the LED flashes green once per press.`,
    Array.from({ length: slot }, () => press('program')),
    repeat(model.signals.slotSelected, slot),
    within,
  );
}

function testStep(steps: Steps, model: ModelProfile, code: string): void {
  steps.add(
    `With the door still open, test it: enter ${spaced(code)} and press ${keyName(model.confirmKey, model)}: expect ${describeSignals(model.signals.unlocked)} and the bolt retracts.`,
    [...digits(code), press(model.confirmKey)],
    model.signals.unlocked,
    { ifDifferent: SYMPTOM_HELP.unlock },
  );
}

function withoutSlot(state: LockState, model: ModelProfile, slot: number): LockState {
  const slots = { ...state.slots };
  const old = slots[String(slot)];
  delete slots[String(slot)];
  const deleted =
    old !== undefined && model.quirks.deletedCodeMemory ? [...state.deleted, old] : state.deleted;
  return { ...state, slots, deleted };
}

/**
 * The exact keypresses for one operation on one lock, with the signal after each step. It
 * refuses (ok: false) when the known state says the lock would refuse, naming why and the fix.
 */
export function buildGuide(start: LockState, model: ModelProfile, req: GuideRequest): GuideResult {
  const steps = new Steps();
  const notes: string[] = [];
  const preconditions = [...SAFETY];
  const usesProgramButton =
    !['test-code', 'programming-switch'].includes(req.op) &&
    !(req.op === 'set-programming-code' && model.programmingCode?.style === 'keypad');
  if (usesProgramButton) {
    preconditions.push(
      model.programmingCode?.style === 'menu'
        ? 'Interior cover off (security bit), so you can reach the Program button with the SmartKey tool or a straightened paperclip.'
        : 'Battery cover off, so you can reach the Program button.',
    );
  }
  const timed = ['add-user', 'delete-user', 'delete-user-by-code', 'set-programming-code', 'delete-all'];
  if (timed.includes(req.op)) {
    preconditions.push(
      `Each key within ${model.programmingTimeoutMs / 1000} seconds of the last, or the lock gives up (${describeSignals(model.signals.timeout)}).`,
    );
  }
  const batteries = batteryReasons(start, model);
  if (batteries.length > 0 && req.op !== 'programming-switch') return refuse(model, req, batteries, start);

  let state = start;
  let final: LockState;
  switch (req.op) {
    case 'add-user': {
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
      final = { ...cleared, slots: { ...cleared.slots, [String(slot)]: code } };
      testStep(steps, model, code);
      if (state.slots[String(slot)] !== undefined) notes.push(`This replaces the code in slot ${slot}.`);
      break;
    }
    case 'delete-user': {
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
      final = withoutSlot(state, model, slot);
      if (model.quirks.deletedCodeMemory) {
        notes.push(
          `The ${model.id} keeps the deleted code's first four digits reserved until a factory reset.`,
        );
      }
      break;
    }
    case 'delete-user-by-code': {
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
      final = withoutSlot(state, model, Number(slotEntry[0]));
      notes.push(
        'This works without the programming code (guide: use it when the programming code is forgotten).',
      );
      break;
    }
    case 'set-programming-code': {
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
        steps.add(
          `Enter ${spaced(code)} and press Kwikset.`,
          [...digits(code), press('kwikset')],
          [],
          within,
        );
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
      final = { ...state, programmingCode: code };
      notes.push('The programming code never unlocks the door: it only manages settings.');
      break;
    }
    case 'delete-all': {
      if (!model.quirks.deleteAllCodes)
        unsupported(
          model,
          'has no delete-all procedure at the keypad; delete codes by slot or factory reset',
        );
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
      final = Object.keys(state.slots).reduce((s, slot) => withoutSlot(s, model, Number(slot)), state);
      break;
    }
    case 'factory-reset': {
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
      final = { ...state, slots: {}, deleted: [], programmingCode: model.programmingCode?.default ?? null };
      notes.push(
        'This erases every code and the deleted-code memory; reprogramming takes 15+ minutes, so have every code ready.',
      );
      break;
    }
    case 'test-code': {
      const code = need(req.code, '--code C', req.op);
      const presses = pressSequence(code, model);
      const held = Object.values(state.slots).some(
        (c) => c.length === code.length && pressSequence(c, model) === presses,
      );
      if (!held) {
        const isPc =
          state.programmingCode !== null && pressSequence(state.programmingCode, model) === presses;
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
      final = state;
      break;
    }
    case 'programming-switch': {
      if (!model.quirks.programmingSwitch) unsupported(model, 'has no programming switch');
      const on = req.on ?? true;
      steps.add(
        `Turn the interior programming switch ${on ? 'ON' : 'OFF'}.`,
        [{ switch: 'programming', on }],
        [],
      );
      final = { ...state, programmingSwitch: on };
      if (!on) notes.push('With the switch off the lock refuses all programming (red flash and 3 beeps).');
      break;
    }
  }
  const titles: Record<GuideRequest['op'], string> = {
    'add-user': `Add a user code to slot ${req.slot}`,
    'delete-user': `Delete the user code in slot ${req.slot}`,
    'delete-user-by-code': 'Delete a user code by its digits (no programming code needed)',
    'set-programming-code': 'Set the programming code',
    'delete-all': 'Delete every user code',
    'factory-reset': 'Factory reset',
    'test-code': 'Test a code',
    'programming-switch': `Turn programming ${req.on === false ? 'off' : 'on'}`,
  };
  const guide: Guide = {
    model: model.id,
    op: req.op,
    title: `${model.name}: ${titles[req.op]}`,
    preconditions,
    steps: steps.list,
    final,
    notes,
  };
  return { ok: true, guide };
}
