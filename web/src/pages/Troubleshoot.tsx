import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { api, type Diagnosis } from '../api.js';
import { Causes } from '../Causes.js';
import { busyProps, Choices, ModelSelect, Notice, useAction } from '../ui.js';

const SYMPTOMS = [
  ['red-3-beeps', 'Red flash and 3 beeps'],
  ['red-flashes', 'Red flashes (no beeps, or many)'],
  ['no-response', 'No light, no sound'],
  ['code-does-not-unlock', 'A code does not unlock'],
] as const;

const DOING = [
  ['programming', 'Adding or changing a code'],
  ['unlocking', 'Opening the door with a code'],
] as const;

/** Three short questions, then the likely causes with what to do at the door. */
export function TroubleshootPage() {
  const [stage, setStage] = useState(0);
  const [model, setModel] = useState('264');
  const [symptom, setSymptom] = useState<(typeof SYMPTOMS)[number][0]>('red-3-beeps');
  const [doing, setDoing] = useState<'programming' | 'unlocking'>('programming');
  const [code, setCode] = useState('');
  const [replaced, setReplaced] = useState(false);
  const [result, setResult] = useState<Diagnosis | null>(null);
  const action = useAction();
  // Each step replaces the one before, buttons included: the focus moves to the new question (or
  // to the answer), so the keyboard and a screen reader carry on from there and not from the top.
  const step = useRef<HTMLElement>(null);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the focus moves when the step changes
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    step.current?.focus();
  }, [stage]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
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
      return undefined;
    });
  }

  return (
    <>
      <h1>Troubleshooting</h1>
      <p className="muted">Step {Math.min(stage + 1, 4)} of 4</p>
      <form onSubmit={submit} className="wizard">
        {stage === 0 && (
          <fieldset ref={step as RefObject<HTMLFieldSetElement>} tabIndex={-1}>
            <legend>Which lock?</legend>
            <ModelSelect value={model} onChange={setModel} />
          </fieldset>
        )}
        {stage === 1 && (
          <fieldset ref={step as RefObject<HTMLFieldSetElement>} tabIndex={-1}>
            <legend>What did the lock do?</legend>
            <Choices name="symptom" options={SYMPTOMS} value={symptom} onChange={setSymptom} />
          </fieldset>
        )}
        {stage === 2 && (
          <fieldset ref={step as RefObject<HTMLFieldSetElement>} tabIndex={-1}>
            <legend>What were you doing?</legend>
            <Choices name="doing" options={DOING} value={doing} onChange={setDoing} />
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
            <button type="submit" className="primary" {...busyProps(action.busy)}>
              Find the cause
            </button>
          )}
        </p>
      </form>
      <Notice note={action.note} />
      {stage === 3 && result && (
        <section aria-labelledby="causes-h" aria-live="polite">
          <h2 id="causes-h" ref={step as RefObject<HTMLHeadingElement>} tabIndex={-1}>
            Likely causes
          </h2>
          <Causes causes={result.causes} />
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
