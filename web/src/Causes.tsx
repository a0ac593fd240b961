import type { Cause } from './api.js';

const TITLES: Record<string, string> = {
  'prefix-conflict': 'Two codes share their first four digits',
  'duplicate-code': 'The code is already on the lock',
  'same-presses': 'Same buttons as another code',
  'deleted-code-memory': 'A deleted code still blocks it',
  'programming-code-equals-user': 'It clashes with the programming code',
  'programming-disabled': 'The programming switch is off',
  'wrong-code-lockout': 'Keypad locked after wrong codes',
  'programming-code-never-unlocks': 'The programming code never unlocks',
};

/** "entry-timeout" -> "Entry timeout" where no better title is written above. */
export const titleOf = (id: string) =>
  TITLES[id] ?? id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' ');

/** The troubleshooting assistant's answer: each cause, how likely, and what to do at the door. */
export function Causes({ causes }: { causes: readonly Cause[] }) {
  return (
    <ol className="causes">
      {causes.map((c) => (
        <li key={c.id} className="card">
          <h3>
            {titleOf(c.id)} <span className="tag">{Math.round(c.likelihood * 100)}% likely</span>
          </h3>
          <p>{c.explanation}</p>
          <ol>
            {c.fix.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}
