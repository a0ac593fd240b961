import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.js';
import { MODEL_CHOICES } from '../models.js';

const SYMPTOMS = [
  ['red-3-beeps', 'Red flash and 3 beeps'],
  ['red-flashes', 'Red flashes (no beeps, or many)'],
  ['no-response', 'No light, no sound'],
  ['code-does-not-unlock', 'A code does not unlock'],
] as const;

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

interface Cause {
  id: string;
  likelihood: number;
  explanation: string;
  fix: string[];
  basis: 'confirmed' | 'possible';
}

interface Diagnosis {
  causes: Cause[];
  quickFix: string[];
}

/** Three short questions, then the likely causes with what to do at the door. */
export function TroubleshootPage() {
  const [stage, setStage] = useState(0);
  const [model, setModel] = useState('264');
  const [symptom, setSymptom] = useState<string>('red-3-beeps');
  const [doing, setDoing] = useState<'programming' | 'unlocking'>('programming');
  const [code, setCode] = useState('');
  const [replaced, setReplaced] = useState(false);
  const [result, setResult] = useState<Diagnosis | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<Diagnosis>('POST', '/api/v1/diagnose', {
        symptom,
        state: { model },
        ...(code ? { attemptedCode: code } : {}),
        context: {
          doing,
          batteriesReplaced: replaced,
          unknown: ['slots', 'deleted', 'programmingCode', 'voltsPerCell'],
        },
      });
      setResult(r);
      setStage(3);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <>
      <h1>Troubleshooting</h1>
      <p className="muted">Step {Math.min(stage + 1, 4)} of 4</p>
      <form onSubmit={submit} className="wizard">
        {stage === 0 && (
          <fieldset>
            <legend>Which lock?</legend>
            <label>
              Model
              <select value={model} onChange={(e) => setModel(e.target.value)}>
                {MODEL_CHOICES.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id} — {m.name}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
        )}
        {stage === 1 && (
          <fieldset>
            <legend>What did the lock do?</legend>
            {SYMPTOMS.map(([id, label]) => (
              <label key={id} className="inline block">
                <input type="radio" name="symptom" checked={symptom === id} onChange={() => setSymptom(id)} />{' '}
                {label}
              </label>
            ))}
          </fieldset>
        )}
        {stage === 2 && (
          <fieldset>
            <legend>What were you doing?</legend>
            <label className="inline block">
              <input
                type="radio"
                name="doing"
                checked={doing === 'programming'}
                onChange={() => setDoing('programming')}
              />{' '}
              Adding or changing a code
            </label>
            <label className="inline block">
              <input
                type="radio"
                name="doing"
                checked={doing === 'unlocking'}
                onChange={() => setDoing('unlocking')}
              />{' '}
              Opening the door with a code
            </label>
            <label>
              The code you typed (optional, stays in this browser and the server's memory only)
              <input
                inputMode="numeric"
                autoComplete="off"
                value={code}
                maxLength={10}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              />
            </label>
            <label className="inline block">
              <input type="checkbox" checked={replaced} onChange={(e) => setReplaced(e.target.checked)} /> I
              already put in fresh batteries
            </label>
          </fieldset>
        )}
        <p className="actions">
          {stage > 0 && (
            <button type="button" onClick={() => setStage(stage === 3 ? 0 : stage - 1)}>
              {stage === 3 ? 'Start over' : 'Back'}
            </button>
          )}
          {stage < 2 && (
            <button type="button" className="primary" onClick={() => setStage(stage + 1)}>
              Next
            </button>
          )}
          {stage === 2 && (
            <button type="submit" className="primary">
              Find the cause
            </button>
          )}
        </p>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {stage === 3 && result && (
        <section aria-labelledby="causes-h" aria-live="polite">
          <h2 id="causes-h">Likely causes</h2>
          <ol className="causes">
            {result.causes.map((c) => (
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
          {result.quickFix.length > 0 && (
            <>
              <h2>Quick fix</h2>
              <ol>
                {result.quickFix.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ol>
            </>
          )}
        </section>
      )}
    </>
  );
}
