import type { LockRisk } from './api.js';

/** Hours as a host says them: "about 3 years", never "26280 hours". */
export function roughly(h: number): string {
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} minutes`;
  if (h < 48) return `${Math.round(h)} hours`;
  if (h < 24 * 60) return `${Math.round(h / 24)} days`;
  if (h < 24 * 365 * 2) return `${Math.round(h / (24 * 30))} months`;
  return `${Math.round(h / (24 * 365)).toLocaleString()} years`;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * How safe the lock is from someone guessing at the keypad, in one sentence a host can act on,
 * and what the deleted-code memory holds back. The figures stay for whoever wants them.
 */
export function ExposureSection({ risk }: { risk: LockRisk | null }) {
  return (
    <section aria-labelledby="risk-h" className="panel">
      <h2 id="risk-h">Safe from guessing?</h2>
      {risk ? (
        <>
          <p>
            {risk.exposure
              ? `Someone trying random codes at this keypad would need about ${roughly(risk.exposure.expectedHours)} to hit ${risk.codesOnLock === 1 ? 'its only code' : `one of its ${count(risk.codesOnLock, 'code', 'codes')}`}: after a few wrong tries the keypad locks itself for a while, which slows them down.`
              : 'No codes on the lock yet, so there is nothing to guess.'}
            {risk.exposure && risk.exposure.expectedHours < 24 * 30 && (
              <strong> That is short: longer codes, or fewer of them, make it much longer.</strong>
            )}
          </p>
          {risk.exposure && (
            <p className="hint">
              {risk.exposure.length}-digit codes, about{' '}
              {Math.round(risk.exposure.guessesExpected).toLocaleString()} guesses on average at{' '}
              {Math.round(risk.exposure.triesPerHour)} tries an hour.
            </p>
          )}
          <p>
            {risk.deletedCodes.length === 0
              ? 'No deleted codes hold back any first four digits.'
              : `${count(risk.deletedCodes.length, 'deleted code still holds', 'deleted codes still hold')} back its first four digits until a factory reset: a new code cannot start the same way.`}
          </p>
        </>
      ) : (
        <p className="loading">Loading…</p>
      )}
    </section>
  );
}
