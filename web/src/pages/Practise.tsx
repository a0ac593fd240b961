import { type KeyboardEvent, useMemo, useRef, useState } from 'react';
import { getModel } from '../../../src/core/catalog/index.js';
import type { Key, ModelProfile, Signal } from '../../../src/core/catalog/types.js';
import { factoryState } from '../../../src/core/codes/lock-state.js';
import { buildGuide, describeSignals, type GuideOp, keyName } from '../../../src/core/guide/index.js';
import { createTwin, type Input, step, type TwinState } from '../../../src/core/twin/index.js';
import { GuideSteps } from '../GuideSteps.js';
import { MODEL_CHOICES } from '../models.js';
import { href } from '../route.js';
import { type Led, play } from '../signals.js';
import { ModelSelect } from '../ui.js';

const OPS: { op: GuideOp; label: string; needs: ('code' | 'slot')[] }[] = [
  { op: 'add-user', label: 'Add a user code', needs: ['slot', 'code'] },
  { op: 'test-code', label: 'Test a code (unlock)', needs: ['code'] },
  { op: 'delete-user', label: 'Delete a user code', needs: ['slot'] },
  { op: 'set-programming-code', label: 'Change the programming code', needs: ['code'] },
  { op: 'factory-reset', label: 'Factory reset', needs: [] },
];

/** The lock sees buttons: on a 5-button pad 1 and 2 are one press. */
function sameInput(a: Input, b: Input, model: ModelProfile): boolean {
  const norm = (i: Input): string => {
    const k = (key: Key) => {
      const aliased = model.aliases[key] ?? key;
      const button = model.buttons.findIndex((digits) => digits.includes(aliased as never));
      return button >= 0 ? `button${button}` : aliased;
    };
    if ('press' in i) return `press:${k(i.press)}`;
    if ('down' in i) return `down:${k(i.down)}`;
    if ('up' in i) return `up:${k(i.up)}`;
    return JSON.stringify(i);
  };
  return norm(a) === norm(b);
}

function describeInput(i: Input, model: ModelProfile): string {
  if ('press' in i) return `press ${keyName(i.press, model)}`;
  if ('down' in i) return `hold ${keyName(i.down, model)}`;
  if ('up' in i) return `release ${keyName(i.up, model)}`;
  if ('wait' in i) return `wait ${i.wait / 1000} s`;
  if ('batteries' in i) return i.batteries === 'remove' ? 'remove the batteries' : 'insert the batteries';
  if ('switch' in i) return `turn the programming switch ${i.on ? 'on' : 'off'}`;
  return `set the batteries to ${i.volts} V`;
}

interface LogLine {
  n: number;
  input: string;
  answer: string;
}

export function PractisePage({ model: modelId }: { model: string | undefined }) {
  const model = getModel(MODEL_CHOICES.some((m) => m.id === modelId) ? modelId! : '264');
  const [op, setOp] = useState<GuideOp>('add-user');
  const [code, setCode] = useState('3817');
  const [slot, setSlot] = useState(1);
  const [twin, setTwin] = useState<TwinState>(() => createTwin(factoryState(model)));
  const [led, setLed] = useState<Led>(null);
  const [sound, setSound] = useState(true);
  const [log, setLog] = useState<LogLine[]>([]);
  const [cursor, setCursor] = useState({ step: 0, input: 0 });
  const [stepSignals, setStepSignals] = useState<Signal[]>([]);
  const [hint, setHint] = useState<string | null>(null);
  const [held, setHeld] = useState(false);
  const counter = useRef(0);

  const spec = OPS.find((o) => o.op === op)!;
  const result = useMemo(
    () =>
      buildGuide(factoryState(model), model, {
        op,
        ...(spec.needs.includes('code') ? { code } : {}),
        ...(spec.needs.includes('slot') ? { slot } : {}),
      }),
    [model, op, code, slot, spec],
  );
  const guide = result.ok ? result.guide : null;
  const current = guide?.steps[cursor.step];
  const next = current?.inputs[cursor.input];
  const finished = guide !== null && cursor.step >= guide.steps.length;

  function restart(m: ModelProfile = model) {
    setTwin(createTwin(factoryState(m)));
    setCursor({ step: 0, input: 0 });
    setStepSignals([]);
    setLog([]);
    setHint(null);
    setHeld(false);
  }

  function send(input: Input) {
    const r = step(twin, input, model);
    setTwin(r.state);
    const signals = [...r.signals];
    play(signals, setLed, sound);
    const answer = signals.length ? describeSignals(signals) : 'nothing';
    counter.current++;
    setLog((l) => [{ n: counter.current, input: describeInput(input, model), answer }, ...l].slice(0, 40));
    if ('down' in input) setHeld(true);
    if ('up' in input) setHeld(false);
    if (!guide || !current || !next) return;
    if (!sameInput(input, next, model)) {
      setHint(`The guide says to ${describeInput(next, model)} now; the lock answered: ${answer}.`);
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
      setHint(`Step ${current.n} expected ${expected} but the lock gave ${describeSignals(seen)}.`);
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

  return (
    <>
      <h1>Practise on a virtual keypad</h1>
      <p>
        The keypad below is the digital twin of a factory-new lock: it answers exactly as the model does.
        Follow a guide step by step before you stand at the real door.
      </p>
      <form className="grid-form" onSubmit={(e) => e.preventDefault()} aria-label="What to practise">
        <ModelSelect
          value={model.id}
          onChange={(id) => {
            window.location.hash = href('practise', id);
            restart(getModel(id));
          }}
        />
        <label>
          Operation
          <select
            value={op}
            onChange={(e) => {
              setOp(e.target.value as GuideOp);
              restart();
            }}
          >
            {OPS.map((o) => (
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
                restart();
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
                restart();
              }}
            />
          </label>
        )}
        <label className="inline">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} /> Beeps
        </label>
      </form>

      <div className="practise">
        <section
          className="lock"
          aria-label={`Virtual ${model.id} keypad`}
          aria-describedby="typing-hint"
          onKeyDown={typed}
        >
          <div
            className={`led ${led ?? 'off'}`}
            role="img"
            aria-label={led ? `LED ${led}` : 'LED off'}
            data-led={led ?? 'off'}
          />
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
          <fieldset className="inside">
            <legend>Inside the lock</legend>
            <button
              type="button"
              data-input={JSON.stringify({ press: 'program' })}
              onClick={() => send({ press: 'program' })}
            >
              Program button
            </button>
            <button
              type="button"
              data-input={JSON.stringify(held ? { up: 'program' } : { down: 'program' })}
              aria-pressed={held}
              onClick={() => send(held ? { up: 'program' } : { down: 'program' })}
            >
              {held ? 'Release Program' : 'Hold Program'}
            </button>
            <button
              type="button"
              data-input={JSON.stringify({ batteries: 'remove' })}
              onClick={() => send({ batteries: 'remove' })}
            >
              Remove batteries
            </button>
            <button
              type="button"
              data-input={JSON.stringify({ batteries: 'insert' })}
              onClick={() => send({ batteries: 'insert' })}
            >
              Insert batteries
            </button>
            {model.quirks.programmingSwitch && (
              <button
                type="button"
                data-input={JSON.stringify({ switch: 'programming', on: !twin.lock.programmingSwitch })}
                onClick={() => send({ switch: 'programming', on: !twin.lock.programmingSwitch })}
              >
                Programming switch {twin.lock.programmingSwitch ? 'off' : 'on'}
              </button>
            )}
            {next && 'wait' in next ? (
              <button
                type="button"
                className="primary"
                data-input={JSON.stringify(next)}
                onClick={() => send(next)}
              >
                Wait {next.wait / 1000} s
              </button>
            ) : (
              <button
                type="button"
                data-input={JSON.stringify({ wait: 10000 })}
                onClick={() => send({ wait: 10000 })}
              >
                Wait 10 s
              </button>
            )}
          </fieldset>
          <p className="muted">
            Bolt: {twin.bolt} · mode: {twin.mode.kind}
          </p>
          <p className="muted hint" id="typing-hint">
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
          <div aria-live="polite" className="live">
            {next && <p className="next">Next: {describeInput(next, model)}.</p>}
            {finished && (
              <p className="ok" role="status" data-finished="true">
                Done: every step gave the signals the guide expects.
              </p>
            )}
            {hint && <p className="error">{hint}</p>}
          </div>
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
