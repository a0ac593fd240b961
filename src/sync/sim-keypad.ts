/**
 * How the simulated lock carries out a write: it presses the keys of the guide's procedure on the
 * digital twin and judges the outcome by the signals the twin gives, as a person at the door
 * would. The twin holds the lock's real memory, so its rules alone decide what the lock takes.
 */

import type { ModelProfile, Signal } from '../core/catalog/types.js';
import { prefixKey } from '../core/codes/keypad.js';
import { factoryState, type LockState } from '../core/codes/lock-state.js';
import { buildGuide, type GuideRequest } from '../core/guide/index.js';
import { step } from '../core/twin/index.js';
import type { TwinState } from '../core/twin/types.js';
import type { AccessCodeError } from './driver.js';

/** What the lock did with one request; `silent` when it gave no signal at all (dead batteries). */
export type KeypadOutcome =
  | { ok: true }
  | { ok: false; error: AccessCodeError; message: string; retryable: boolean; silent?: boolean };

const sameSignals = (a: readonly Signal[], b: readonly Signal[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The guide's keys depend only on the request, the model and the programming code (the lock it
 * is built for is permissive), and building one costs as much as pressing its keys: a thousand
 * simulated locks deleting slot 3 at 11:00 share one.
 */
const guides = new Map<string, ReturnType<typeof buildGuide>>();
function guideFor(
  permissive: LockState,
  model: ModelProfile,
  req: GuideRequest,
): ReturnType<typeof buildGuide> {
  const key = JSON.stringify([model.id, permissive.programmingCode, req]);
  let built = guides.get(key);
  if (!built) {
    built = buildGuide(permissive, model, req);
    if (guides.size >= 4_096) guides.delete(guides.keys().next().value!);
    guides.set(key, built);
  }
  return built;
}

/**
 * Presses the guide's keys for the request on the twin and judges by the signals. The guide is
 * built for a lock that would accept (so the keys are the ones a person would press); the twin,
 * holding the real memory, decides. Returns the twin after the presses.
 */
export function pressRequest(
  twin: TwinState,
  model: ModelProfile,
  req: GuideRequest,
): { twin: TwinState; outcome: KeypadOutcome } {
  const lock = twin.lock;
  const permissive: LockState = {
    ...factoryState(model),
    programmingCode: lock.programmingCode,
    slots: req.op === 'delete-user' ? { [String(req.slot)]: '9'.repeat(model.userCodeLength.min) } : {},
  };
  const built = guideFor(permissive, model, req);
  if (!built.ok) {
    return {
      twin,
      outcome: {
        ok: false,
        error: 'failed_to_set',
        message: built.reasons.map((r) => r.rule).join(', '),
        retryable: false,
      },
    };
  }
  const steps = req.op === 'add-user' ? built.guide.steps.slice(0, -1) : built.guide.steps;
  let now = twin;
  for (const [i, s] of steps.entries()) {
    const seen: Signal[] = [];
    for (const input of s.inputs) {
      const r = step(now, input, model);
      now = r.state;
      seen.push(...r.signals);
    }
    if (!sameSignals(seen, s.expect))
      return { twin: now, outcome: refusal(model, req, seen, i === steps.length - 1, lock) };
  }
  return { twin: now, outcome: { ok: true } };
}

/** What the signals of a refused request mean, as the lock's own notification would name it. */
function refusal(
  model: ModelProfile,
  req: GuideRequest,
  seen: Signal[],
  atCommit: boolean,
  before: LockState,
): KeypadOutcome {
  const failed = req.op === 'delete-user' ? 'failed_to_remove' : 'failed_to_set';
  if (seen.length === 0) {
    return {
      ok: false,
      error: 'unconfirmed',
      message: 'no response: batteries dead',
      retryable: true,
      silent: true,
    };
  }
  if (
    before.voltsPerCell <= model.battery.programmingFailsAtOrBelow &&
    sameSignals(seen, model.signals.lowBattery)
  ) {
    return {
      ok: false,
      error: failed,
      message: 'red flashes: batteries too weak to program',
      retryable: true,
    };
  }
  if (!atCommit || req.op === 'delete-user' || req.code === undefined) {
    return {
      ok: false,
      error: failed,
      message: 'the lock left programming mode (sequence error)',
      retryable: true,
    };
  }
  // The lock's own notification names the cause (0x0F duplicate); the twin's memory is that lock.
  const key = prefixKey(req.code, model);
  const live = Object.entries(before.slots).filter(([s]) => s !== String(req.slot));
  if (
    live.some(([, c]) => prefixKey(c, model) === key) ||
    (before.programmingCode && prefixKey(before.programmingCode, model) === key)
  ) {
    return {
      ok: false,
      error: 'duplicate_on_device',
      message: 'red flash and 3 beeps: another code on the lock starts with the same four digits',
      retryable: false,
    };
  }
  if (model.quirks.deletedCodeMemory && before.deleted.some((c) => prefixKey(c, model) === key)) {
    return {
      ok: false,
      error: 'prefix_reserved',
      message: 'red flash and 3 beeps: a deleted code still reserves these first four digits',
      retryable: false,
    };
  }
  return { ok: false, error: failed, message: 'red flash and 3 beeps', retryable: false };
}
