import { type ReactNode, useRef, useState } from 'react';
import type { Person } from './api.js';
import { MODEL_CHOICES } from './models.js';

export type Note = { ok: boolean; text: string } | null;

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Runs what a button asks for: the button is disabled meanwhile, and the outcome (the text the
 * action returns, or the error) becomes a note to show.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const running = useRef(false);
  async function run(action: () => Promise<string | undefined>) {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setNote(null);
    try {
      const text = await action();
      if (text) setNote({ ok: true, text });
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    } finally {
      running.current = false;
      setBusy(false);
    }
  }
  return { busy, note, setNote, run };
}

/**
 * A button at work stays focusable and says it is busy: a disabled button drops the keyboard
 * focus to the top of the page. What it runs must ignore a second press itself.
 */
export const busyProps = (busy: boolean) => (busy ? ({ 'aria-disabled': true } as const) : {});

/**
 * The outcome of an action. The status region is always in the page: a screen reader announces a
 * change inside a live region, not a region that appears with its text. An alert is announced
 * when it appears.
 */
export function Notice({ note }: { note: Note }) {
  return (
    <>
      <div role="status" className="notice">
        {note?.ok && <p className="ok">{note.text}</p>}
      </div>
      {note && !note.ok && (
        <p role="alert" className="error">
          {note.text}
        </p>
      )}
    </>
  );
}

/**
 * A table that scrolls sideways on a narrow screen. It takes the focus so that the keyboard can
 * scroll it too, and is a named region so that the focus lands somewhere a screen reader can say.
 */
export function WideTable({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
    <section className="table-wrap" aria-labelledby={labelledBy} tabIndex={0}>
      <table aria-labelledby={labelledBy}>{children}</table>
    </section>
  );
}

export function ModelSelect({ value, onChange }: { value: string; onChange: (model: string) => void }) {
  return (
    <label>
      Model
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {MODEL_CHOICES.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name.includes(m.id) ? m.name : `${m.id} — ${m.name}`}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One choice among a few, each a radio with its label around it (the whole line is the target). */
export function Choices<T extends string>({
  name,
  options,
  value,
  onChange,
  block = true,
}: {
  name: string;
  options: readonly (readonly [T, string])[];
  value: T | '';
  onChange: (value: T) => void;
  /** One per line (the default) rather than side by side. */
  block?: boolean;
}) {
  return options.map(([id, label]) => (
    <label key={id} className={block ? 'inline block' : 'inline'}>
      <input type="radio" name={name} value={id} checked={value === id} onChange={() => onChange(id)} />{' '}
      {label}
    </label>
  ));
}

/** Who holds a code: someone already known, a new person named here, or nobody. */
export function HolderFields({
  people,
  personId,
  onPersonId,
  newName,
  onNewName,
}: {
  people: readonly Person[];
  personId: string;
  onPersonId: (id: string) => void;
  newName: string;
  onNewName: (name: string) => void;
}) {
  return (
    <>
      <label>
        Held by
        <select value={personId} onChange={(e) => onPersonId(e.target.value)}>
          <option value="">— new person or nobody —</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {!personId && (
        <label>
          New person (optional)
          <input value={newName} onChange={(e) => onNewName(e.target.value)} maxLength={200} />
        </label>
      )}
    </>
  );
}
