import { type FormEvent, useEffect, useState } from 'react';
import type { Signal } from '../../src/core/catalog/types.js';
import { describeSignals } from '../../src/core/guide/index.js';
import { api, type ManualSession, type OpenSession, type Role } from './api.js';
import { Causes } from './Causes.js';
import { useApi } from './hooks.js';
import { href } from './route.js';
import { busyProps, Choices, errorText, type Note, Notice } from './ui.js';

/** What a person can say they saw instead, as the signals the troubleshooting assistant reads. */
const OTHER: { id: string; label: string; seen: Signal[] }[] = [
  { id: 'nothing', label: 'Nothing at all: no light, no sound', seen: [] },
  {
    id: 'red-3',
    label: 'A red flash and 3 beeps',
    seen: [
      { led: 'red', count: 1 },
      { beep: 'short', count: 3 },
    ],
  },
  { id: 'red', label: 'Red flashes without beeps', seen: [{ led: 'red', count: 3 }] },
  {
    id: 'no-unlock',
    label: 'Something else, and the bolt did not move (when testing a code)',
    seen: [{ led: 'red', count: 1 }],
  },
];

const SYMPTOM_WORDS: Record<string, string> = {
  'no-response': 'no response at all',
  'red-3-beeps': 'a red flash and 3 beeps',
  'red-flashes': 'red flashes',
  'code-does-not-unlock': 'a code that does not open the lock',
};

function opTitle(op: ManualSession['ops'][number]): string {
  const who = op.name ? `"${op.name}"` : 'a code';
  return op.op === 'add' ? `Add ${who} to slot ${op.slot}` : `Clear slot ${op.slot} (${who})`;
}

/**
 * A manual lock's guide session: the steps of the change being made, one "Done" per step, and a
 * way out to the troubleshooting assistant when the lock shows something else. The register
 * moves only on confirmation, so the slots above update as each change's last step is confirmed.
 */
export function ManualGuide({
  lockId,
  model,
  role,
  waiting,
  onChanged,
}: {
  lockId: string;
  model: string;
  role: Role;
  /** Changes are pending on the lock: a session is on its way if none is open yet. */
  waiting: boolean;
  onChanged: () => void;
}) {
  const path = `/api/v1/locks/${encodeURIComponent(lockId)}/session`;
  const polled = useApi<OpenSession>(path, 3000);
  // The answer to an action is shown until the poll it triggers comes back.
  const [latest, setLatest] = useState<ManualSession | null>(null);
  // The steps of a session never change, so its codes are fetched (and audited) once.
  const [open, setOpen] = useState<ManualSession | null>(null);
  const [other, setOther] = useState(false);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const canAct = role !== 'viewer';

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new poll result supersedes the answer
  useEffect(() => setLatest(null), [polled.data]);
  const current = latest ?? polled.data?.session ?? null;
  const s = current && current.status !== 'done' && current.status !== 'abandoned' ? current : null;
  const shown = s && open?.id === s.id ? open : null;

  async function act(action: string, body?: unknown, done?: string) {
    if (!s || busy) return;
    setBusy(true);
    setNote(null);
    try {
      const next = await api<ManualSession>('POST', `/api/v1/manual-sessions/${s.id}/${action}`, body);
      setLatest(next);
      setOther(false);
      setChoice('');
      if (next.status === 'done')
        setNote({ ok: true, text: 'Every change is confirmed: the lock holds what the register says.' });
      else if (done) setNote({ ok: true, text: done });
      onChanged();
      polled.reload();
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
      polled.reload();
    } finally {
      setBusy(false);
    }
  }

  async function reveal() {
    try {
      const r = await api<OpenSession>('GET', `${path}?reveal=true`);
      setOpen(r.session);
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    }
  }

  function report(e: FormEvent) {
    e.preventDefault();
    const picked = OTHER.find((o) => o.id === choice);
    if (!s || !picked) return;
    void act('report', { step: s.stepNumber, seen: picked.seen });
  }

  const op = s?.op ? s.ops[s.op.index] : null;
  const shownOp = op && shown ? shown.ops[s!.op!.index] : op;
  const step = s?.step ? (shownOp?.steps[s.stepNumber - shownOp.firstStep] ?? s.step) : null;

  return (
    <section aria-labelledby="keypad-h" className="panel manual">
      <h2 id="keypad-h">At the keypad</h2>
      <Notice note={note} />
      {polled.error && (
        <p role="alert" className="error">
          {polled.error.message}
        </p>
      )}
      {!s && !polled.error && !note?.ok && (
        <p className="muted">
          {waiting
            ? 'Changes are waiting for this lock: the keypad steps appear here in a few seconds.'
            : 'Nothing to do at the keypad: the register and the lock agree.'}
        </p>
      )}
      {s && op && shownOp && (
        <>
          <p className="change">
            Change {s.op!.index + 1} of {s.op!.count}: <strong>{opTitle(op)}</strong>
          </p>
          <p className="progress-line">
            <progress max={s.totalSteps} value={s.stepNumber - 1} aria-labelledby="progress-text" />{' '}
            <span id="progress-text">
              Step {s.stepNumber} of {s.totalSteps}
            </span>
          </p>
          <ol className="steps" aria-label={`Steps for: ${opTitle(op)}`}>
            {shownOp.steps.map((st, i) => {
              const n = shownOp.firstStep + i;
              const state = n < s.stepNumber ? 'done' : n === s.stepNumber ? 'now' : '';
              return (
                <li key={st.n} className={state} aria-current={state === 'now' ? 'step' : undefined}>
                  {st.instruction}
                  {state === 'done' && <span className="sr-only"> (done)</span>}
                </li>
              );
            })}
          </ol>
          {canAct && !shown && s.ops.some((o) => o.op === 'add') && (
            <p>
              <button type="button" className="small" onClick={reveal}>
                Show the codes in these steps
              </button>{' '}
              <span className="hint">Each look is written to the audit log.</span>
            </p>
          )}
          {s.status === 'active' && step && (
            <div className="now-step" aria-live="polite">
              <p>
                <strong>Now:</strong> {step.instruction}
              </p>
              <p className="muted">
                The lock should answer with {describeSignals(step.expect)}
                {step.expect.length === 0 ? ' (nothing to see yet: go on to the next step).' : '.'}
              </p>
              {canAct && (
                <p className="actions">
                  <button
                    type="button"
                    className="primary"
                    {...busyProps(busy)}
                    onClick={() => act('confirm', { step: s.stepNumber })}
                  >
                    {step.expect.length === 0 ? 'Done' : `Done, I saw ${describeSignals(step.expect)}`}
                  </button>
                  <button
                    type="button"
                    {...busyProps(busy)}
                    aria-expanded={other}
                    onClick={() => setOther(!other)}
                  >
                    I saw something else
                  </button>
                  <button
                    type="button"
                    className="small"
                    {...busyProps(busy)}
                    onClick={() => act('pause', undefined, 'Paused. Resume when you are back at the door.')}
                  >
                    Pause
                  </button>
                </p>
              )}
              {other && (
                <form onSubmit={report} className="other">
                  <fieldset>
                    <legend>What did the lock do?</legend>
                    <Choices
                      name="seen"
                      options={OTHER.map((o) => [o.id, o.label] as const)}
                      value={choice}
                      onChange={setChoice}
                    />
                  </fieldset>
                  <button type="submit" disabled={!choice} {...busyProps(busy)}>
                    Find the cause
                  </button>
                </form>
              )}
            </div>
          )}
          {s.status === 'paused' && (
            <div>
              <p>Paused. Resuming starts this change again from its first step: the keypad has timed out.</p>
              {canAct && (
                <button type="button" className="primary" {...busyProps(busy)} onClick={() => act('resume')}>
                  Resume
                </button>
              )}
            </div>
          )}
          {s.status === 'needs-help' && (
            <div role="alert" className="help">
              <p>
                The lock showed {SYMPTOM_WORDS[s.symptom ?? ''] ?? 'something else'} instead. The register has
                not changed. Most likely first:
              </p>
              {s.diagnosis && (
                <Causes causes={s.diagnosis.causes.slice(0, 4)} model={model} symptom={s.diagnosis.symptom} />
              )}
              {canAct && (
                <p className="actions">
                  <button type="button" className="primary" {...busyProps(busy)} onClick={() => act('retry')}>
                    I fixed it: start this change again
                  </button>
                  <button
                    type="button"
                    className="danger"
                    {...busyProps(busy)}
                    onClick={() =>
                      act('abandon', undefined, 'Session given up: the changes wait and new steps follow.')
                    }
                  >
                    Give up these steps
                  </button>
                </p>
              )}
            </div>
          )}
        </>
      )}
      <p>
        <a href={href('practise', model)}>Practise on a virtual {model} keypad</a> before you go to the door.
      </p>
    </section>
  );
}
