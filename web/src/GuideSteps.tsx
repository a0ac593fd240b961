import type { Guide } from '../../src/core/guide/index.js';
import { describeSignals } from '../../src/core/guide/index.js';

/** A guide as an ordered list: the instruction and what the lock answers after each step. */
export function GuideSteps({ guide, current }: { guide: Guide; current?: number }) {
  return (
    <>
      <h3>{guide.title}</h3>
      {guide.preconditions.length > 0 && (
        <ul className="pre">
          {guide.preconditions.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <ol className="steps">
        {guide.steps.map((s, i) => (
          <li
            key={s.n}
            aria-current={current === i ? 'step' : undefined}
            className={current === undefined ? '' : i < current ? 'done' : i === current ? 'now' : ''}
          >
            {s.instruction}
            {s.expect.length > 0 && (
              <span className="expect"> → the lock answers: {describeSignals(s.expect)}</span>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
