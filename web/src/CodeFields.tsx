import { useId } from 'react';
import type { WeeklyWindow } from '../../src/core/access/schedule.js';
import { getModel } from '../../src/core/catalog/index.js';
import { codeAdvice } from '../../src/core/codes/strength.js';
import type { LockSummary } from './api.js';

/** The parts of the code forms (adding and editing a code) that help before anything is saved. */

/** What is wrong with a typed code, or null: digits only, nothing taken away behind the host's back. */
export function codeProblem(code: string): string | null {
  if (code === '' || /^[0-9]+$/.test(code)) return null;
  return 'Only the digits 0-9 go into a code: take out the letters, spaces or signs.';
}

/**
 * The code as typed, never altered. Anything but digits is pointed out at once; the advice the
 * CLI gives (a common PIN, a pattern on the keypad) shows while typing, for each model chosen.
 */
export function CodeInput({
  value,
  onChange,
  models,
  label,
}: {
  value: string;
  onChange: (code: string) => void;
  models: readonly string[];
  label: string;
}) {
  const id = useId();
  const problem = codeProblem(value);
  const advice =
    !problem && value.length >= 4
      ? [
          ...new Set(
            [...new Set(models)].flatMap((m) => {
              try {
                return codeAdvice(value, getModel(m)).map((a) => a.message);
              } catch {
                return [];
              }
            }),
          ),
        ]
      : [];
  return (
    <div className="code-field">
      <label>
        {label}
        <input
          value={value}
          onChange={(e) => onChange(e.target.value)}
          inputMode="numeric"
          autoComplete="off"
          maxLength={16}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-problem ${id}-advice`}
        />
      </label>
      <p id={`${id}-problem`} className="error" aria-live="polite">
        {problem}
      </p>
      <div id={`${id}-advice`} aria-live="polite">
        {advice.length > 0 && (
          <ul className="advice">
            {advice.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

const DAYS: ReadonlyArray<readonly [number, string]> = [
  [1, 'Mon'],
  [2, 'Tue'],
  [3, 'Wed'],
  [4, 'Thu'],
  [5, 'Fri'],
  [6, 'Sat'],
  [0, 'Sun'],
];

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutes = (t: string) => {
  const [h, m] = t.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Weekly hours, as `code add --windows` takes them; none: at all hours. */
export function WindowsField({
  value,
  onChange,
}: {
  value: WeeklyWindow[];
  onChange: (windows: WeeklyWindow[]) => void;
}) {
  const set = (i: number, w: WeeklyWindow) => onChange(value.map((x, j) => (j === i ? w : x)));
  return (
    <fieldset className="windows">
      <legend>Weekly hours (site time)</legend>
      {value.length === 0 && <p className="muted">At all hours between the dates.</p>}
      {value.map((w, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
        <fieldset key={i} className="window-row">
          <legend className="sr-only">Hours {i + 1}</legend>
          {DAYS.map(([d, name]) => (
            <label key={d} className="inline day">
              <input
                type="checkbox"
                checked={w.days.includes(d)}
                onChange={(e) =>
                  set(i, {
                    ...w,
                    days: e.target.checked ? [...w.days, d].sort() : w.days.filter((x) => x !== d),
                  })
                }
              />
              {name}
            </label>
          ))}
          <label className="inline">
            from{' '}
            <input
              type="time"
              value={hhmm(w.startMinute)}
              onChange={(e) => set(i, { ...w, startMinute: minutes(e.target.value) })}
            />
          </label>
          <label className="inline">
            to{' '}
            <input
              type="time"
              value={hhmm(w.endMinute === 1440 ? 1439 : w.endMinute)}
              onChange={(e) => set(i, { ...w, endMinute: minutes(e.target.value) })}
            />
          </label>
          <button type="button" className="small" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            Remove<span className="sr-only"> hours {i + 1}</span>
          </button>
          {(w.days.length === 0 || w.endMinute <= w.startMinute) && (
            <p className="error">Pick at least one day, and an end after the start (within the day).</p>
          )}
        </fieldset>
      ))}
      <button
        type="button"
        className="small"
        onClick={() =>
          onChange([...value, { days: [1, 2, 3, 4, 5], startMinute: 8 * 60, endMinute: 18 * 60 }])
        }
      >
        Add weekly hours
      </button>
    </fieldset>
  );
}

export function windowsProblem(windows: readonly WeeklyWindow[]): string | null {
  return windows.some((w) => w.days.length === 0 || w.endMinute <= w.startMinute)
    ? 'Each set of weekly hours needs a day and an end after its start.'
    : null;
}

/** The use limit: empty for none, 1 for a one-time code. */
export function UsesField({ value, onChange }: { value: string; onChange: (uses: string) => void }) {
  return (
    <label>
      Use limit (empty: no limit; 1: a one-time code)
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputMode="numeric"
        type="number"
        min={1}
        step={1}
      />
    </label>
  );
}

export function LockChoice({
  locks,
  chosen,
  onChange,
}: {
  locks: readonly LockSummary[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset className="row">
      <legend>Locks</legend>
      {locks.map((l) => (
        <label key={l.id} className="inline">
          <input
            type="checkbox"
            checked={chosen.includes(l.id)}
            onChange={(e) =>
              onChange(e.target.checked ? [...chosen, l.id] : chosen.filter((x) => x !== l.id))
            }
          />{' '}
          {l.name} ({l.model}
          {l.driver === 'manual' ? ', keypad only' : ''})
        </label>
      ))}
    </fieldset>
  );
}

/**
 * A keypad-only lock changes only when someone types at the door: weekly hours put the code on
 * and take it off each day they start and end, and a use limit takes it off after use.
 */
export function keypadVisits(
  locks: readonly LockSummary[],
  chosen: readonly string[],
  windows: readonly WeeklyWindow[],
  uses: string,
): string | null {
  const manual = locks.filter((l) => chosen.includes(l.id) && l.driver === 'manual').map((l) => l.name);
  if (manual.length === 0) return null;
  const doors = manual.join(' and ');
  if (windows.length > 0) {
    const perWeek = windows.reduce((n, w) => n + 2 * w.days.length, 0);
    return `${doors} ${manual.length > 1 ? 'are' : 'is'} keypad-only: with weekly hours someone has to go to the door about ${perWeek} times a week, to type the code in when the hours start and take it out when they end. Without weekly hours it is two visits: arrival and departure.`;
  }
  if (uses.trim() !== '')
    return `${doors} ${manual.length > 1 ? 'are' : 'is'} keypad-only: once the code has been used up, someone has to go to the door to take it out.`;
  return null;
}
