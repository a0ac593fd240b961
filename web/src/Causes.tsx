import { fixStep, practiseFor } from '../../src/core/diagnose/fix-steps.js';
import type { CauseId, Symptom } from '../../src/core/diagnose/types.js';
import type { Cause } from './api.js';
import { opLabel, practiseHref } from './guide-ops.js';

const TITLES: Record<string, string> = {
  'prefix-conflict': 'Two codes share their first four digits',
  'duplicate-code': 'The code is already on the lock',
  'same-presses': 'Same buttons as another code',
  'deleted-code-memory': 'A deleted code still blocks it',
  'programming-code-equals-user': 'It clashes with the programming code',
  'programming-disabled': 'The programming switch is off',
  'wrong-code-lockout': 'Keypad locked after wrong codes',
  'programming-code-never-unlocks': 'The programming code never unlocks',
  'weak-batteries': 'The batteries are weak',
  'dead-batteries': 'The batteries are dead',
  'bad-contact': 'A loose battery pack or contact',
  'corrupted-memory': 'The lock’s memory is corrupted',
  'programming-timeout': 'Too long between two keys',
  'entry-timeout': 'A pause while typing the code',
  'sequence-error': 'A key out of order',
  'lock-full': 'Every slot is taken',
  'code-length': 'The code is too short or too long',
  'code-not-on-lock': 'That code is not on the lock',
  'code-deleted': 'That code was deleted',
  'incomplete-code': 'Digits left out or added',
  'mistyped-code': 'A digit mistyped',
  'bolt-binding': 'The bolt is binding',
};

/** "entry-timeout" -> "Entry timeout" where no better title is written above. */
export const titleOf = (id: string) =>
  TITLES[id] ?? id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' ');

/** Shares of 100% read as words first: a host acts on "most likely", the number backs it. */
export function likelihoodWords(likelihood: number, first: boolean): string {
  const pct = Math.round(likelihood * 100);
  const word = first ? 'Most likely' : pct >= 25 ? 'Likely' : pct >= 8 ? 'Possible' : 'Less likely';
  return `${word} (${pct}%)`;
}

/**
 * The troubleshooting assistant's answer: each cause, how likely, and what to do at the door,
 * each step the app can show as a button to its guide or the practice keypad.
 */
export function Causes({
  causes,
  model,
  symptom,
}: {
  causes: readonly Cause[];
  model: string;
  symptom: Symptom;
}) {
  return (
    <ol className="causes">
      {causes.map((c, i) => {
        const practise = practiseFor(c.id as CauseId, symptom);
        const steps = c.fix.map(fixStep);
        const guided = steps.some((s) => s.guide?.op === practise);
        return (
          <li key={`${c.id}-${c.explanation}`} className="card">
            <h3>
              {titleOf(c.id)} <span className="tag">{likelihoodWords(c.likelihood, i === 0)}</span>
            </h3>
            <p>{c.explanation}</p>
            <ol className="fix">
              {steps.map((s) => (
                <li key={s.text}>
                  {s.text}
                  {s.guide && (
                    <>
                      {' '}
                      <a className="button small" href={practiseHref(model, s.guide.op, s.guide.slot)}>
                        Open the guide: {opLabel(s.guide.op)}
                      </a>
                    </>
                  )}
                </li>
              ))}
            </ol>
            {practise && !guided && (
              <p>
                <a className="button small" href={practiseHref(model, practise)}>
                  Practise on the {model} keypad: {opLabel(practise)}
                </a>
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The guide's quick-fix protocol, each step with its button where the app can show how. */
export function QuickFix({ steps, model }: { steps: readonly string[]; model: string }) {
  return (
    <ol className="fix">
      {steps.map(fixStep).map((s) => (
        <li key={s.text}>
          {s.text}
          {s.guide && (
            <>
              {' '}
              <a className="button small" href={practiseHref(model, s.guide.op, s.guide.slot)}>
                Open the guide: {opLabel(s.guide.op)}
              </a>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}
