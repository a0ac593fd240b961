import type { ModelProfile } from '../catalog/types.js';
import type { LockState } from '../codes/lock-state.js';
import { batteryCondition, type Reason } from '../codes/rules.js';
import { deleteAll, factoryReset } from './erase.js';
import { programmingSwitch, setProgrammingCode } from './programming.js';
import { type Procedure, type Refusal, refuse, Steps } from './steps.js';
import type { Guide, GuideOp, GuideRequest, GuideResult } from './types.js';
import { addUser, deleteUser, deleteUserByCode, testCode } from './user-codes.js';
import { describeSignals } from './words.js';

/** The guide's safety set-up, before any procedure. */
export const SAFETY = [
  'Door fully open and unlocked: never program with the door closed.',
  'Your physical key within arm’s reach: it is the way back in if a code is refused.',
  'Fresh alkaline batteries: weak power makes programming fail half-way.',
  'Clear space around the door to test the code at once.',
];

const PROCEDURES: Record<GuideOp, (p: Procedure) => LockState | Refusal> = {
  'add-user': addUser,
  'delete-user': deleteUser,
  'delete-user-by-code': deleteUserByCode,
  'set-programming-code': setProgrammingCode,
  'delete-all': deleteAll,
  'factory-reset': factoryReset,
  'test-code': testCode,
  'programming-switch': programmingSwitch,
};

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

function preconditionsFor(model: ModelProfile, req: GuideRequest): string[] {
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
  return preconditions;
}

function titleOf(req: GuideRequest): string {
  const titles: Record<GuideOp, string> = {
    'add-user': `Add a user code to slot ${req.slot}`,
    'delete-user': `Delete the user code in slot ${req.slot}`,
    'delete-user-by-code': 'Delete a user code by its digits (no programming code needed)',
    'set-programming-code': 'Set the programming code',
    'delete-all': 'Delete every user code',
    'factory-reset': 'Factory reset',
    'test-code': 'Test a code',
    'programming-switch': `Turn programming ${req.on === false ? 'off' : 'on'}`,
  };
  return titles[req.op];
}

/**
 * The exact keypresses for one operation on one lock, with the signal after each step. It
 * refuses (ok: false) when the known state says the lock would refuse, naming why and the fix.
 */
export function buildGuide(start: LockState, model: ModelProfile, req: GuideRequest): GuideResult {
  const preconditions = preconditionsFor(model, req);
  const batteries = batteryReasons(start, model);
  if (batteries.length > 0 && req.op !== 'programming-switch') return refuse(model, req, batteries, start);

  const steps = new Steps();
  const notes: string[] = [];
  const final = PROCEDURES[req.op]({ steps, notes, state: start, model, req });
  if ('ok' in final) return final;
  const guide: Guide = {
    model: model.id,
    op: req.op,
    title: `${model.name}: ${titleOf(req)}`,
    preconditions,
    steps: steps.list,
    final,
    notes,
  };
  return { ok: true, guide };
}
