import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { batteryWords } from '../../../src/core/battery-percent.js';
import { getModel } from '../../../src/core/catalog/index.js';
import { api, type Diagnosis, type LockList } from '../api.js';
import { Causes, QuickFix } from '../Causes.js';
import { useApi } from '../hooks.js';
import { busyProps, Choices, ModelSelect, Notice, useAction } from '../ui.js';

const SYMPTOMS = [
  ['red-3-beeps', 'Red flash and 3 beeps'],
  ['red-flashes', 'Red flashes (no beeps, or many)'],
  ['no-response', 'No light, no sound'],
  ['code-does-not-unlock', 'A code does not unlock'],
] as const;
type SymptomId = (typeof SYMPTOMS)[number][0];

const DOING = [
  ['programming', 'Adding or changing a code'],
  ['unlocking', 'Opening the door with a code'],
] as const;

/** The choice for a lock not in the register: then, and only then, the model is asked. */
const OTHER = 'other';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What Keyward knew of the lock, in a sentence, so the host sees what the causes rest on. */
function knownWords(b: NonNullable<Diagnosis['basedOn']>): string {
  const parts = [
    b.unknown.includes('slots')
      ? `${plural(b.codes, 'code', 'codes')} Keyward set (codes typed in at the keypad are not known)`
      : plural(b.codes, 'code', 'codes'),
  ];
  if (b.deleted > 0) parts.push(`${plural(b.deleted, 'deleted code', 'deleted codes')} it still remembers`);
  parts.push(
    b.voltsPerCell === null ? 'no battery reading yet' : `the battery at ${batteryWords(b.voltsPerCell)}`,
  );
  const pc =
    b.programmingCode === 'known'
      ? ' Keyward knows its programming code.'
      : b.programmingCode === 'unknown'
        ? ' Keyward does not know its programming code, so it may still be the factory one.'
        : '';
  return `What Keyward knows of ${b.lockName}: ${parts.join(', ')}.${pc}`;
}

/** Which door, what it did, what you were doing; then the likely causes with what to do. */
export function TroubleshootPage() {
  const locks = useApi<LockList>('/api/v1/locks');
  const [stage, setStage] = useState(0);
  const [door, setDoor] = useState('');
  const [model, setModel] = useState('264');
  const [symptom, setSymptom] = useState<SymptomId>('red-3-beeps');
  const [doing, setDoing] = useState<'programming' | 'unlocking'>('programming');
  const [code, setCode] = useState('');
  const [codeNote, setCodeNote] = useState('');
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

  const list = locks.data?.locks ?? [];
  // The first door is chosen to start with; with no lock in the register the only door is one
  // Keyward does not know.
  const chosen = door || list[0]?.id || (locks.data ? OTHER : '');
  const lock = list.find((l) => l.id === chosen) ?? null;
  const modelId = lock?.model ?? model;

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const r = await api<Diagnosis>('POST', '/api/v1/diagnose', {
        symptom,
        ...(lock ? { lockId: lock.id } : { state: { model } }),
        ...(code ? { attemptedCode: code } : {}),
        context: {
          doing,
          batteriesReplaced: replaced,
          ...(lock ? {} : { unknown: ['slots', 'deleted', 'programmingCode', 'voltsPerCell'] }),
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
      <p className="muted">
        {stage < 3 ? `Question ${stage + 1} of 3` : `What to do${lock ? ` at ${lock.name}` : ''}`}
      </p>
      {stage < 3 && (
        <form onSubmit={submit} className="wizard">
          {stage === 0 && (
            <fieldset ref={step as RefObject<HTMLFieldSetElement>} tabIndex={-1}>
              <legend>Which door?</legend>
              {locks.error && <p className="error">{locks.error.message}</p>}
              {!locks.data && !locks.error && <p className="muted">Loading your locks…</p>}
              <Choices
                name="door"
                options={[
                  ...list.map((l) => [l.id, `${l.name} (${getModel(l.model).name})`] as const),
                  [OTHER, 'A lock Keyward does not know'] as const,
                ]}
                value={chosen}
                onChange={setDoor}
              />
              {chosen === OTHER && <ModelSelect value={model} onChange={setModel} />}
            </fieldset>
          )}
          {stage === 1 && (
            <fieldset ref={step as RefObject<HTMLFieldSetElement>} tabIndex={-1}>
              <legend>What did {lock ? lock.name : 'the lock'} do?</legend>
              <Choices name="symptom" options={SYMPTOMS} value={symptom} onChange={setSymptom} />
            </fieldset>
          )}
          {stage === 2 && (
            <fieldset ref={step as RefObject<HTMLFieldSetElement>} tabIndex={-1}>
              <legend>What were you doing?</legend>
              <Choices name="doing" options={DOING} value={doing} onChange={setDoing} />
              <label>
                The code you typed (optional)
                <input
                  inputMode="numeric"
                  autoComplete="off"
                  value={code}
                  maxLength={10}
                  aria-describedby="code-note"
                  onChange={(e) => {
                    const v = e.target.value;
                    // Refused, not stripped: a letter typed is a mistake to show, not to hide.
                    setCodeNote(/^[0-9]*$/.test(v) ? '' : 'A code is digits 0-9 only.');
                    setCode(v.replace(/[^0-9]/g, ''));
                  }}
                />
                <span id="code-note" className={codeNote ? 'hint error' : 'hint'}>
                  {codeNote ||
                    (lock
                      ? `Compared with the codes on ${lock.name}; it is not stored, and the answer never shows their digits.`
                      : 'Used for this answer only; it is not stored.')}
                </span>
              </label>
              <label className="inline block">
                <input type="checkbox" checked={replaced} onChange={(e) => setReplaced(e.target.checked)} /> I
                already put in fresh batteries
              </label>
            </fieldset>
          )}
          <p className="actions">
            {stage > 0 && (
              <button type="button" onClick={() => setStage(stage - 1)}>
                Back
              </button>
            )}
            {stage < 2 && (
              <button
                type="button"
                className="primary"
                {...busyProps(stage === 0 && !chosen)}
                onClick={() => chosen && setStage(stage + 1)}
              >
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
      )}
      <Notice note={action.note} />
      {stage === 3 && result && (
        <section aria-labelledby="causes-h" aria-live="polite">
          <h2 id="causes-h" ref={step as RefObject<HTMLHeadingElement>} tabIndex={-1}>
            Likely causes
          </h2>
          {result.basedOn && <p>{knownWords(result.basedOn)}</p>}
          {result.causes.length === 0 ? (
            <p>Nothing Keyward knows explains this. Follow the quick fix below.</p>
          ) : (
            <Causes causes={result.causes} model={modelId} symptom={result.symptom} />
          )}
          {result.quickFix.length > 0 && (
            <>
              <h2>Quick fix</h2>
              <QuickFix steps={result.quickFix} model={modelId} />
            </>
          )}
          <p className="actions">
            <button type="button" onClick={() => setStage(0)}>
              Start over
            </button>
          </p>
        </section>
      )}
    </>
  );
}
