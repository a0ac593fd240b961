import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { getModel } from '../../../src/core/catalog/index.js';
import type { Key, ModelProfile, Signal } from '../../../src/core/catalog/types.js';
import { factoryState, type LockState } from '../../../src/core/codes/lock-state.js';
import { buildGuide, describeSignals, type GuideOp } from '../../../src/core/guide/index.js';
import { createTwin, type Input, step, type TwinState } from '../../../src/core/twin/index.js';
import { GuideSteps } from '../GuideSteps.js';
import { opsFor } from '../guide-ops.js';
import { InsideLock } from '../InsideLock.js';
import { MODEL_CHOICES } from '../models.js';
import { describeInput, mistakeWords, sameInput, timedOut, waiting } from '../practise-words.js';
import { href, useRoute } from '../route.js';
import { type Led, play } from '../signals.js';
import { ModelSelect } from '../ui.js';

interface LogLine {
  n: number;
  input: string;
  answer: string;
}

/**
 * The lock each practice starts from: factory-new, with the switch off when turning it on is the
 * lesson, and holding the practice code where deleting or testing one is (there must be one).
 */
function startOf(model: ModelProfile, op: GuideOp, slot: number, code: string): LockState {
  const state = factoryState(model);
  if (op === 'programming-switch') return { ...state, programmingSwitch: false };
  const { min, max } = model.userCodeLength;
  const held = (code.length >= min ? code : code.padEnd(min, '5')).slice(0, max);
  if (op === 'delete-user') return { ...state, slots: { [String(slot)]: held } };
  if (op === 'test-code') return { ...state, slots: { '1': held } };
  return state;
}

export function PractisePage({ model: modelId }: { model: string | undefined }) {
  const model = getModel(MODEL_CHOICES.some((m) => m.id === modelId) ? modelId! : '264');
  const route = useRoute();
  const ops = opsFor(model);
  const asked = ops.find((o) => o.op === route[2])?.op;
  const askedSlot = Number(route[3]) || 0;
  const [op, setOp] = useState<GuideOp>(asked ?? 'add-user');
  const [code, setCode] = useState('3817');
  const [slot, setSlot] = useState(askedSlot >= 1 && askedSlot <= model.slots ? askedSlot : 1);
  const [twin, setTwin] = useState<TwinState>(() => createTwin(factoryState(model)));
  const [led, setLed] = useState<Led>(null);
  const [sound, setSound] = useState(true);
  const [log, setLog] = useState<LogLine[]>([]);
  const [cursor, setCursor] = useState({ step: 0, input: 0 });
  const [stepSignals, setStepSignals] = useState<Signal[]>([]);
  const [hint, setHint] = useState<string | null>(null);
  const [held, setHeld] = useState(false);
  const counter = useRef(0);
  const lastInputAt = useRef(0);

  const spec = ops.find((o) => o.op === op) ?? ops[0]!;
  const start = useMemo(() => startOf(model, spec.op, slot, code), [model, spec.op, slot, code]);
  const result = useMemo(
    () =>
      buildGuide(start, model, {
        op: spec.op,
        // The code tested is the one the practice lock holds (padded to the model's length).
        ...(spec.needs.includes('code')
          ? { code: spec.op === 'test-code' ? (Object.values(start.slots)[0] ?? code) : code }
          : {}),
        ...(spec.needs.includes('slot') ? { slot } : {}),
        ...(spec.op === 'programming-switch' ? { on: true } : {}),
      }),
    [start, model, code, slot, spec],
  );
  const guide = result.ok ? result.guide : null;
  const current = guide?.steps[cursor.step];
  const next = current?.inputs[cursor.input];
  const finished = guide !== null && cursor.step >= guide.steps.length;

  function restart() {
    setTwin(createTwin(start));
    setCursor({ step: 0, input: 0 });
    setStepSignals([]);
    setLog([]);
    setHint(null);
    setHeld(false);
  }

  // A fix in the troubleshooting answer opens this page on its operation (and slot).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new address picks a new lesson
  useEffect(() => {
    if (!asked) return;
    setOp(asked);
    if (askedSlot >= 1 && askedSlot <= model.slots) setSlot(askedSlot);
  }, [asked, askedSlot]);

  // Another model, operation, slot or code: a fresh lock to practise on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the start state is what restarts it
  useEffect(() => restart(), [start]);

  function record(input: Input, signals: readonly Signal[]) {
    const answer = signals.length ? describeSignals(signals) : 'nothing';
    counter.current++;
    setLog((l) => [{ n: counter.current, input: describeInput(input, model), answer }, ...l].slice(0, 40));
    return answer;
  }

  /** After a mistake the lock gives up on what was typed: the guide starts again with it. */
  function backToStart(text: string) {
    setHint(text);
    setCursor({ step: 0, input: 0 });
    setStepSignals([]);
  }

  function send(input: Input) {
    let state = twin;
    // Time at the real keypad is time for the twin: a pause longer than the lock allows ends
    // what was being entered, as it would at the door.
    const now = Date.now();
    const pause = lastInputAt.current ? now - lastInputAt.current : 0;
    lastInputAt.current = now;
    if (!('wait' in input) && pause > model.programmingTimeoutMs && waiting(state)) {
      const r = step(state, { wait: pause }, model);
      setTwin(r.state);
      play([...r.signals], setLed, sound);
      record({ wait: pause }, r.signals);
      const started = cursor.step > 0 || cursor.input > 0;
      if (guide && started && cursor.step < guide.steps.length) {
        backToStart(mistakeWords('timeout', model, null));
      }
      return;
    }
    const r = step(state, input, model);
    state = r.state;
    setTwin(state);
    const signals = [...r.signals];
    play(signals, setLed, sound);
    const answer = record(input, signals);
    if ('down' in input) setHeld(true);
    if ('up' in input) setHeld(false);
    if (!guide || !current || !next) return;
    const atStart = cursor.step === 0 && cursor.input === 0;
    // Waiting out the lock before step 1 is what the guide asked after a mistake.
    if ('wait' in input && atStart && !sameInput(input, next, model)) {
      if (!waiting(state)) setHint(null);
      return;
    }
    if (!sameInput(input, next, model)) {
      const kind = 'wait' in input && timedOut(signals, model) ? 'timeout' : 'wrong-key';
      backToStart(mistakeWords(kind, model, waiting(state) ? null : answer));
      return;
    }
    setHint(null);
    const seen = [...stepSignals, ...signals];
    if (cursor.input + 1 < current.inputs.length) {
      setCursor({ step: cursor.step, input: cursor.input + 1 });
      setStepSignals(seen);
      return;
    }
    const expected = describeSignals(current.expect);
    if (current.expect.length && describeSignals(seen) !== expected) {
      backToStart(
        `Step ${current.n} should end with ${expected}, but the lock gave ${describeSignals(seen)}: start again from step 1.`,
      );
      return;
    }
    setCursor({ step: cursor.step + 1, input: 0 });
    setStepSignals([]);
  }

  const digitButtons = model.buttons.map((digits) => digits.join(' '));
  // One physical button may carry two names (on button pads the Kwikset logo is the Lock button).
  const otherKeys = model.keys.filter((k) => !/^[0-9]$/.test(k) && k !== 'program' && !model.aliases[k]);
  const aliasOf = (k: Key) => {
    const a = (Object.keys(model.aliases) as Key[]).find((x) => model.aliases[x] === k);
    return a ? JSON.stringify({ press: a }) : undefined;
  };
  // The visible words are the accessible name, so that a person using voice control can say them.
  const label = (k: Key) =>
    k === 'kwikset' ? (
      model.keys.includes('lock') ? (
        'Kwikset / Lock'
      ) : (
        'Kwikset'
      )
    ) : k === 'enter' ? (
      <>
        Enter <span aria-hidden="true">⏎</span>
      </>
    ) : (
      'Lock'
    );
  const keypad = useRef<HTMLDivElement>(null);

  /** A digit typed while the keypad has the focus presses its button, as on the door. */
  function typed(e: KeyboardEvent<HTMLElement>) {
    if (e.ctrlKey || e.metaKey || e.altKey || !/^[0-9]$/.test(e.key)) return;
    const i = model.buttons.findIndex((digits) => digits.includes(e.key as never));
    const key = model.buttons[i]?.[0];
    if (key === undefined) return;
    e.preventDefault();
    keypad.current?.querySelectorAll<HTMLButtonElement>('button.key')[i]?.focus();
    send({ press: key as Key });
  }

  const total = guide?.steps.length ?? 0;
  return (
    <>
      <h1>Practise on a virtual keypad</h1>
      <p>
        The keypad below is the digital twin of a factory-new lock: it answers exactly as the model does.
        Follow a guide step by step before you stand at the real door.
      </p>
      <form className="fit-form" onSubmit={(e) => e.preventDefault()} aria-label="What to practise">
        <ModelSelect
          value={model.id}
          onChange={(id) => {
            window.location.hash = href('practise', id);
          }}
        />
        <label>
          Operation
          <select
            value={spec.op}
            onChange={(e) => {
              const o = e.target.value as GuideOp;
              setOp(o);
            }}
          >
            {ops.map((o) => (
              <option key={o.op} value={o.op}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {spec.needs.includes('slot') && (
          <label>
            Slot
            <input
              type="number"
              min={1}
              max={model.slots}
              value={slot}
              onChange={(e) => {
                setSlot(Math.max(1, Math.min(model.slots, Number(e.target.value) || 1)));
              }}
            />
          </label>
        )}
        {spec.needs.includes('code') && (
          <label>
            Code
            <input
              inputMode="numeric"
              value={code}
              maxLength={10}
              onChange={(e) => {
                setCode(e.target.value.replace(/\D/g, ''));
              }}
            />
          </label>
        )}
        <label className="inline">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} /> Beeps
        </label>
      </form>

      {(spec.op === 'delete-user' || spec.op === 'test-code') && (
        <p className="hint">
          The practice lock starts with the code {Object.values(start.slots)[0]} in slot{' '}
          {Object.keys(start.slots)[0]}, so there is one to {spec.op === 'delete-user' ? 'delete' : 'test'}.
        </p>
      )}
      <div className="practise">
        <section
          className="lock"
          aria-label={`Virtual ${model.id} keypad`}
          aria-describedby="typing-hint"
          onKeyDown={typed}
        >
          {/* The light and the step to do stay in view while the keys are pressed, on a phone too. */}
          <div className="now-bar">
            <div
              className={`led ${led ?? 'off'}`}
              role="img"
              aria-label={led ? `Light ${led}` : 'Light off'}
              data-led={led ?? 'off'}
            />
            <div className="now-text" aria-live="polite" data-hint={hint ? 'mistake' : ''}>
              {hint && <p className="mistake">{hint}</p>}
              {current && (
                <p className="now-step-text">
                  <strong>
                    Step {cursor.step + 1} of {total}:
                  </strong>{' '}
                  {current.instruction}
                </p>
              )}
              {next && <p className="next">Next: {describeInput(next, model)}.</p>}
              {finished && (
                <p className="ok-on-dark" data-finished="true">
                  Done: every step gave the signals the guide expects.
                </p>
              )}
            </div>
          </div>
          <div className={`keypad ${model.keypad}`} ref={keypad}>
            {digitButtons.map((label, i) => {
              const key = model.buttons[i]![0] as Key;
              return (
                <button
                  type="button"
                  key={label}
                  className="key"
                  data-input={JSON.stringify({ press: key })}
                  aria-label={`Key ${label}`}
                  onClick={() => send({ press: key })}
                >
                  {label}
                </button>
              );
            })}
            {otherKeys.map((k) => (
              <button
                type="button"
                key={k}
                className="key wide"
                data-input={JSON.stringify({ press: k })}
                data-alias={aliasOf(k)}
                onClick={() => send({ press: k })}
              >
                {label(k)}
              </button>
            ))}
          </div>
          <InsideLock model={model} twin={twin} held={held} next={next} send={send} />
          <p className="muted">
            {twin.bolt === 'locked' ? 'The bolt is out (locked).' : 'The bolt is in (open).'}
          </p>
          <p className="muted hint keyboard-hint" id="typing-hint">
            With a keyboard, type the digits while a key has the focus.
          </p>
        </section>

        <section className="guide" aria-labelledby="guide-h" data-next={next ? JSON.stringify(next) : ''}>
          <h2 id="guide-h">Guide</h2>
          {!result.ok && (
            <div role="alert" className="error">
              <p>This lock would refuse that: {result.reasons.map((r) => r.message).join('; ')}</p>
              <ul>
                {result.fixes.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </div>
          )}
          {guide && <GuideSteps guide={guide} current={cursor.step} />}
          <button type="button" className="small" onClick={() => restart()}>
            Start again (factory-new lock)
          </button>
        </section>
      </div>

      <section aria-labelledby="log-h">
        <h2 id="log-h">What the lock did</h2>
        <ol className="log" aria-live="polite" reversed>
          {log.map((l) => (
            <li key={l.n}>
              You {l.input}: {l.answer}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
