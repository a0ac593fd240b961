import { prefixKey, prefixText, samePresses } from '../codes/keypad.js';
import type { Reason } from '../codes/rules.js';
import { fixFor } from '../guide/fixes.js';
import type { GuideRequest } from '../guide/types.js';
import type { Attempt, Evidence } from './evidence.js';
import type { Cause } from './types.js';
import { L, TEST_OPEN } from './words.js';

const FIVE_BUTTON_NOTE = 'on this 5-button keypad 1|2, 3|4, 5|6, 7|8 and 9|0 are one button each';

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function request(attempt: Attempt): GuideRequest {
  return attempt.kind === 'programming'
    ? { op: 'set-programming-code', code: attempt.code }
    : { op: 'add-user', code: attempt.code, ...(attempt.slot !== undefined ? { slot: attempt.slot } : {}) };
}

function slotConflict(ev: Evidence, attempt: Attempt, reason: Reason, likelihood: number): Cause {
  const { model, state } = ev;
  const slot = reason.conflictsWith as number;
  const held = state.slots[String(slot)] ?? '';
  const code = attempt.code;
  const fix = [cap(fixFor(reason, model, state, request(attempt))), TEST_OPEN];
  const base = { likelihood, fix, basis: 'confirmed' as const, rule: reason.rule, conflictsWith: slot };
  if (held === code) {
    return {
      id: 'duplicate-code',
      ...base,
      source: 'guide',
      explanation: `Slot ${slot} already holds ${code}: the lock refuses the same code twice.`,
    };
  }
  const fiveButton = model.keypad === '5-button';
  const digitPrefixDiffers = held.slice(0, 4) !== code.slice(0, 4);
  if (fiveButton && (samePresses(held, code, model) || digitPrefixDiffers)) {
    const whole = samePresses(held, code, model);
    return {
      id: 'same-presses',
      ...base,
      source: 'field',
      explanation: whole
        ? `Slot ${slot} holds ${held}, which is the same button presses as ${code} (${FIVE_BUTTON_NOTE}): the lock sees one code twice.`
        : `Slot ${slot} holds ${held}, whose first four presses are the same buttons as ${code}'s (${FIVE_BUTTON_NOTE}): the first four presses of every code must differ.`,
    };
  }
  const prefix = prefixText(prefixKey(code, model));
  return {
    id: 'prefix-conflict',
    ...base,
    source: 'guide',
    explanation: `Slot ${slot} holds ${held}, which starts with the same four digits ${prefix} as ${code}: the first four digits of every code on the lock must differ (the guide's 29475 and 29476 cannot share a lock).`,
  };
}

/**
 * The refusals checkCode proves from the known state, as causes. The first conflict gets
 * `first`; further refusals of the same code follow just behind it.
 */
export function ruleCauses(ev: Evidence, first: number): Cause[] {
  const attempt = ev.attempt;
  if (!attempt) return [];
  const { model, state } = ev;
  const causes: Cause[] = [];
  const req = request(attempt);
  let next = first;
  const take = () => {
    const l = next;
    next = Math.min(next, L.alsoConfirmed);
    return l;
  };
  // Conflicts first: the guide's tree starts there, and they name the slot to act on.
  const order = ['prefix', 'programming-code', 'deleted-prefix', 'capacity', 'length', 'digits', 'slot'];
  const reasons = [...attempt.verdict.reasons].sort((a, b) => order.indexOf(a.rule) - order.indexOf(b.rule));
  for (const reason of reasons) {
    const fix = [cap(fixFor(reason, model, state, req)), TEST_OPEN];
    const common = { basis: 'confirmed' as const, rule: reason.rule };
    switch (reason.rule) {
      case 'prefix':
        causes.push(slotConflict(ev, attempt, reason, take()));
        break;
      case 'programming-code':
        causes.push({
          id: 'programming-code-equals-user',
          likelihood: take(),
          explanation: `${cap(reason.message)} (the guide: "programming code = user code: impossible").`,
          fix,
          source: 'guide',
          ...common,
          ...(reason.conflictsWith !== undefined ? { conflictsWith: reason.conflictsWith } : {}),
        });
        break;
      case 'deleted-prefix':
        causes.push({
          id: 'deleted-code-memory',
          likelihood: take(),
          explanation: `A deleted code starting ${prefixText(prefixKey(attempt.code, model))} still occupies the ${model.id}'s memory (the guide: "even deleted ones occupy memory"), so the lock refuses ${attempt.code} until a factory reset.`,
          fix,
          source: 'guide',
          ...common,
        });
        break;
      case 'capacity':
        causes.push({
          id: 'lock-full',
          likelihood: take(),
          explanation: `All ${model.slots} slots hold a code: the lock refuses a ${model.slots + 1}st (the guide: "exceeding 30 codes crashes the system").`,
          fix,
          source: 'guide',
          ...common,
        });
        break;
      case 'length':
        causes.push({
          id: 'code-length',
          likelihood: take(),
          explanation: `${attempt.code}: ${reason.message}.`,
          fix,
          source: 'guide',
          ...common,
        });
        break;
      case 'digits':
        causes.push({
          id: 'not-digits',
          likelihood: take(),
          explanation: 'A code is digits 0-9 only.',
          fix,
          source: 'guide',
          ...common,
        });
        break;
      case 'slot':
        causes.push({
          id: 'slot-out-of-range',
          likelihood: take(),
          explanation: `${cap(reason.message)}; a Program press past slot ${model.slots} is refused.`,
          fix,
          source: 'guide',
          ...common,
        });
        break;
      // Batteries and the 955 switch are judged from what is known of them, not from defaults.
      case 'battery':
      case 'programming-disabled':
        break;
    }
  }
  return causes;
}

/** The refusal rules that mean the code itself collides with or cannot go on this lock. */
export function hasCodeRefusal(ev: Evidence): boolean {
  return (ev.attempt?.verdict.reasons ?? []).some(
    (r) => r.rule !== 'battery' && r.rule !== 'programming-disabled',
  );
}
