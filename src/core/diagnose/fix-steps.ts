import { GUIDE_OPS, type GuideOp } from '../guide/types.js';
import type { CauseId, Symptom } from './types.js';

/**
 * A fix as the web shows it: the words for a host, and where the app itself shows how (the
 * step-by-step guide on the practice keypad), instead of the `keyward` command the CLI prints.
 */
export interface FixStep {
  text: string;
  /** Open the guide for this operation (on the practice keypad of the lock's model). */
  guide?: { op: GuideOp; slot?: number };
}

const OP = /keyward guide --op ([a-z-]+)((?: --[a-z-]+(?: (?!--)\S+)?)*)/;

/** Fixes worded without a command that the guide still shows step by step. */
const WORDED: readonly [RegExp, GuideOp][] = [
  [/^delete (the newest|a) code/i, 'delete-user'],
  [/^re-add the code/i, 'add-user'],
];

function opOf(text: string): FixStep['guide'] {
  const m = OP.exec(text);
  if (!m) {
    const worded = WORDED.find(([re]) => re.test(text));
    if (!worded) return undefined;
    const free = /slot (\d+) is free/.exec(text);
    return { op: worded[1], ...(free ? { slot: Number(free[1]) } : {}) };
  }
  if (!(GUIDE_OPS as readonly string[]).includes(m[1]!)) return undefined;
  const slot = /--slot (\d+)/.exec(m[2] ?? '');
  return { op: m[1] as GuideOp, ...(slot ? { slot: Number(slot[1]) } : {}) };
}

/** The same fix without any command line: the app offers a button where the CLI names a command. */
export function fixStep(text: string): FixStep {
  const guide = opOf(text);
  const words = text
    // "(keyward guide --op delete-user --slot 3)": the button says it.
    .replace(/\s*\([^()]*keyward[^()]*\)/g, '')
    // "; keyward check CODE --slots ... tells before you press a key": the forms check as you type.
    .replace(/;\s*keyward check[^.;]*/g, '')
    .replace(/\bkeyward guide(?: --[a-z-]+(?: (?!--)[^\s.,;)]+)?)*/g, 'the guide')
    .replace(/\s+([.,;:])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
  const text2 = words.charAt(0).toUpperCase() + words.slice(1);
  return guide ? { text: text2, guide } : { text: text2 };
}

/**
 * Causes that come from how the keys were pressed: practising the sequence on the twin is the
 * fix, so the web offers the practice keypad with the operation that was going wrong.
 */
export function practiseFor(id: CauseId, symptom: Symptom): GuideOp | null {
  switch (id) {
    case 'sequence-error':
    case 'programming-timeout':
      return symptom === 'code-does-not-unlock' ? 'test-code' : 'add-user';
    case 'entry-timeout':
    case 'incomplete-code':
    case 'mistyped-code':
    case 'wrong-code-lockout':
    case 'code-not-on-lock':
      return 'test-code';
    case 'programming-code-never-unlocks':
      return 'add-user';
    default:
      return null;
  }
}
