import { type Evidence, gatherEvidence } from './evidence.js';
import { BY_SYMPTOM } from './symptoms.js';
import type { Cause, CauseId, DiagnoseInput, Diagnosis } from './types.js';
import { BATTERY_FIX, confirmName, freshSlot, seconds, USE_KEY } from './words.js';

/**
 * Ties keep this order: the guide's diagnostic tree first (it says 90% of failures are there),
 * then its quick-fix protocol, then field causes.
 */
const TREE_ORDER: readonly CauseId[] = [
  'prefix-conflict',
  'duplicate-code',
  'same-presses',
  'deleted-code-memory',
  'programming-code-equals-user',
  'weak-batteries',
  'programming-disabled',
  'dead-batteries',
  'bad-contact',
  'programming-code-never-unlocks',
  'code-deleted',
  'incomplete-code',
  'mistyped-code',
  'code-not-on-lock',
  'wrong-code-lockout',
  'lock-full',
  'code-length',
  'not-digits',
  'slot-out-of-range',
  'sequence-error',
  'programming-timeout',
  'entry-timeout',
  'program-button-contact',
  'bolt-binding',
  'corrupted-memory',
];

/** Fields in reading order, so the JSON reads like the text: what, how likely, why, what to do. */
function tidy(c: Cause): Cause {
  const { id, likelihood, explanation, fix, basis, source, rule, conflictsWith } = c;
  return {
    id,
    likelihood: Math.round(Math.min(1, Math.max(0, likelihood)) * 100) / 100,
    explanation,
    fix,
    basis,
    source,
    ...(rule !== undefined ? { rule } : {}),
    ...(conflictsWith !== undefined ? { conflictsWith } : {}),
  };
}

function rank(causes: Cause[]): Cause[] {
  const sorted = causes
    .map(tidy)
    .sort((a, b) => b.likelihood - a.likelihood || TREE_ORDER.indexOf(a.id) - TREE_ORDER.indexOf(b.id));
  // Two branches can reach the same cause; the person needs it once, at its best rank.
  const seen = new Set<string>();
  const once = sorted.filter((c) => {
    const key = `${c.id}:${c.conflictsWith ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const pct = shares(once.map((c) => c.likelihood));
  return once.map((c, i) => ({ ...c, likelihood: pct[i]! / 100 }));
}

/**
 * The scores above are each cause's weight on its own, and together they pass 100%: read as
 * "how likely this is, if the causes above it are ruled out", each takes its score's share of
 * what the causes above left, in whole percent. So a cause the lock's state confirms keeps its
 * 95%, the shares never add up to more than 100% (the rest is "something else"), the order is
 * kept, and every listed cause keeps at least 1%.
 */
export function shares(scores: readonly number[]): number[] {
  const out: number[] = [];
  let left = 100;
  for (const [i, s] of scores.entries()) {
    const after = scores.length - i - 1;
    // With more than 100 causes the last ones would get nothing: never below 0.
    const most = Math.max(0, left - after);
    const p = Math.min(Math.max(1, Math.round(s * left)), most);
    out.push(p);
    left -= p;
  }
  return out;
}

/** The guide's quick-fix protocol, worded for this lock and symptom. */
function quickFix(ev: Evidence): string[] {
  const { model } = ev;
  switch (ev.symptom) {
    case 'no-response':
      return [
        USE_KEY,
        'Reseat the battery pack (guide: "reseat batteries immediately").',
        'Fit four new alkaline AA cells.',
        'Still silent: check the cable between the keypad and the inside unit.',
      ];
    case 'code-does-not-unlock':
      return [
        USE_KEY,
        `If ${model.lockout.wrongAttempts} wrong codes went in within a minute, wait ${seconds(model.lockout.durationMs)}.`,
        `Enter the code without pausing, then press ${confirmName(model)}.`,
        'Test every working code with the door open.',
        BATTERY_FIX,
      ];
    default: {
      const slot = freshSlot(ev);
      return [
        'Test all working codes with the door open.',
        'Replace the batteries with new alkalines.',
        'Delete the newest code (conflicts often occur there).',
        `Re-add the code using a slot not previously used${slot ? ` (slot ${slot} is free)` : ''}.`,
        'If red flashes persist after new batteries, factory reset (keyward guide --op factory-reset): corrupted memory is likely.',
      ];
    }
  }
}

/**
 * Why did the lock answer this way? Causes from the guide's troubleshooting tree and the field,
 * most likely first, weighed by what is known of this lock: when the known codes show which slot
 * collides with the attempted code, that comes first and names the slot.
 */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const ev = gatherEvidence(input);
  const causes = BY_SYMPTOM[ev.symptom](ev).filter((c): c is Cause => c !== null);
  return { symptom: ev.symptom, model: ev.model.id, causes: rank(causes), quickFix: quickFix(ev) };
}
