import type { Key, ModelProfile, Signal } from '../../src/core/catalog/types.js';
import { describeSignals, keyName } from '../../src/core/guide/index.js';
import type { Input, TwinState } from '../../src/core/twin/index.js';

/** The lock sees buttons: on a 5-button pad 1 and 2 are one press. */
export function sameInput(a: Input, b: Input, model: ModelProfile): boolean {
  const norm = (i: Input): string => {
    const k = (key: Key) => {
      const aliased = model.aliases[key] ?? key;
      const button = model.buttons.findIndex((digits) => digits.includes(aliased as never));
      return button >= 0 ? `button${button}` : aliased;
    };
    if ('press' in i) return `press:${k(i.press)}`;
    if ('down' in i) return `down:${k(i.down)}`;
    if ('up' in i) return `up:${k(i.up)}`;
    return JSON.stringify(i);
  };
  return norm(a) === norm(b);
}

export function describeInput(i: Input, model: ModelProfile): string {
  if ('press' in i) return `press ${keyName(i.press, model)}`;
  if ('down' in i) return `hold ${keyName(i.down, model)}`;
  if ('up' in i) return `release ${keyName(i.up, model)}`;
  if ('wait' in i) return `wait ${Math.round(i.wait / 100) / 10} s`;
  if ('batteries' in i) return i.batteries === 'remove' ? 'remove the batteries' : 'insert the batteries';
  if ('switch' in i) return `turn the programming switch ${i.on ? 'on' : 'off'}`;
  return `set the batteries to ${i.volts} V`;
}

/**
 * The lock is part-way through something that it drops after its time-out: programming, or
 * digits typed without the confirm key.
 */
export function waiting(t: TwinState): boolean {
  switch (t.mode.kind) {
    case 'idle':
      return t.buffer !== '';
    case 'lockout':
    case 'off':
    case 'program-held':
    case 'reset-held':
      return false;
    default:
      return true;
  }
}

/** The signals end with the model's time-out answer. */
export function timedOut(signals: readonly Signal[], model: ModelProfile): boolean {
  const t = model.signals.timeout;
  return t.length > 0 && describeSignals(signals.slice(-t.length)) === describeSignals(t);
}

/**
 * What the guide says after a mistake, in a host's words: what happened, and where to start
 * again (the lock has dropped what was entered, so that is always step 1). Short: it sits above
 * the keys on a phone.
 */
export function mistakeWords(
  kind: 'wrong-key' | 'timeout',
  model: ModelProfile,
  answer: string | null,
): string {
  const wait = `${model.programmingTimeoutMs / 1000} seconds`;
  if (kind === 'timeout')
    return `The lock timed out (more than ${wait} between two keys): start again from step 1.`;
  return answer === null
    ? `That was not the expected key. Let the lock time out (${wait}, or press Wait), then start again from step 1.`
    : 'That was not the expected key: start again from step 1.';
}
