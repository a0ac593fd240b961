import { type FormEvent, useState } from 'react';
import type { WeeklyWindow } from '../../src/core/access/schedule.js';
import { ApiError, api, type Credential, type LockList, type LockSummary, type Person } from './api.js';
import {
  CodeInput,
  codeProblem,
  keypadVisits,
  LockChoice,
  UsesField,
  WindowsField,
  windowsProblem,
} from './CodeFields.js';
import './code-form.css';
import { useApi } from './hooks.js';
import { defaultStay, type SiteClock, siteInstant, siteLocal, zoneName } from './site-time.js';
import { busyProps, Choices, HolderFields, Notice, useAction } from './ui.js';

/** Adding a code, and changing one in place (the same digits, the same slots). */

type Site = SiteClock & { id: string; name: string };

const KINDS = [
  ['guest', 'Guest (with dates)'],
  ['permanent', 'Permanent'],
] as const;

const UTC: SiteClock = { timeZone: null, tzOffsetMinutes: 0 };

function siteOf(
  sites: readonly Site[] | undefined,
  locks: readonly LockSummary[],
  chosen: readonly string[],
): SiteClock {
  const lock = locks.find((l) => chosen.includes(l.id)) ?? locks[0];
  return sites?.find((s) => s.id === lock?.siteId) ?? sites?.[0] ?? UTC;
}

function usesOf(text: string): number | null | 'bad' {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : 'bad';
}

/** What the form would send for the schedule, or the first thing wrong with it. */
function schedule(
  site: SiteClock,
  guest: boolean,
  arrives: string,
  leaves: string,
  windows: WeeklyWindow[],
  uses: string,
): { body: Record<string, unknown> } | { problem: string } {
  const w = windowsProblem(windows);
  if (w) return { problem: w };
  const limit = usesOf(uses);
  if (limit === 'bad') return { problem: 'The use limit is a whole number of 1 or more, or empty.' };
  const body: Record<string, unknown> = { windows, maxUses: limit };
  if (guest) {
    const from = siteInstant(site, arrives);
    const to = siteInstant(site, leaves);
    if (from === null || to === null) return { problem: 'Give the arrival and the departure.' };
    if (to <= from) return { problem: 'The departure must come after the arrival.' };
    body.startsAt = from;
    body.endsAt = to;
  }
  return { body };
}

function StayFields(props: {
  site: SiteClock;
  arrives: string;
  leaves: string;
  onArrives: (v: string) => void;
  onLeaves: (v: string) => void;
}) {
  const zone = zoneName(props.site);
  return (
    <>
      <label>
        Arrives ({zone})
        <input
          type="datetime-local"
          value={props.arrives}
          onChange={(e) => props.onArrives(e.target.value)}
          required
        />
      </label>
      <label>
        Leaves ({zone})
        <input
          type="datetime-local"
          value={props.leaves}
          onChange={(e) => props.onLeaves(e.target.value)}
          required
        />
      </label>
    </>
  );
}

export function AddCodeForm({
  locks,
  people,
  onDone,
}: {
  locks: LockSummary[];
  people: Person[];
  onDone: () => void;
}) {
  const sites = useApi<{ sites: Site[] }>('/api/v1/sites');
  const [kind, setKind] = useState<'permanent' | 'guest'>('guest');
  const [name, setName] = useState('');
  const [personId, setPersonId] = useState('');
  const [newPerson, setNewPerson] = useState('');
  const [chosen, setChosen] = useState<string[]>(locks.map((l) => l.id));
  const site = siteOf(sites.data?.sites, locks, chosen);
  const [stay, setStay] = useState<{ arrives: string; leaves: string } | null>(null);
  const shown = stay ?? defaultStay(site, Date.now());
  const [windows, setWindows] = useState<WeeklyWindow[]>([]);
  const [uses, setUses] = useState('');
  const [own, setOwn] = useState('');
  const [code, setCode] = useState<string | null>(null);
  const [clash, setClash] = useState(false);
  const action = useAction();
  const models = locks.filter((l) => chosen.includes(l.id)).map((l) => l.model);
  const visits = keypadVisits(locks, chosen, windows, uses);

  function save(generate: boolean) {
    setCode(null);
    setClash(false);
    void action.run(async () => {
      const problem = generate ? null : codeProblem(own);
      if (problem) throw new Error(problem);
      const s = schedule(site, kind === 'guest', shown.arrives, shown.leaves, windows, uses);
      if ('problem' in s) throw new Error(s.problem);
      let pid: string | null = personId || null;
      if (!pid && newPerson.trim())
        pid = (await api<Person>('POST', '/api/v1/people', { name: newPerson.trim() })).id;
      const body: Record<string, unknown> = { name, kind, lockIds: chosen, personId: pid, ...s.body };
      if (own && !generate) body.code = own;
      else body.generate = true;
      let c: Credential;
      try {
        c = await api<Credential>('POST', '/api/v1/credentials', body);
      } catch (e) {
        if (e instanceof ApiError && e.details?.rejected && body.code) setClash(true);
        throw e;
      }
      setCode(c.code ?? null);
      setName('');
      setOwn('');
      setNewPerson('');
      onDone();
      return `Created "${c.name}" on ${c.locks.length} ${c.locks.length === 1 ? 'lock' : 'locks'}.`;
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    save(false);
  }

  return (
    <section aria-labelledby="add-code-h" className="panel">
      <h2 id="add-code-h">Add a person or guest</h2>
      <form onSubmit={submit} className="grid-form">
        <fieldset className="row">
          <legend>Kind</legend>
          <Choices name="kind" options={KINDS} value={kind} onChange={setKind} block={false} />
        </fieldset>
        <label>
          Name of the code
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <HolderFields
          people={people}
          personId={personId}
          onPersonId={setPersonId}
          newName={newPerson}
          onNewName={setNewPerson}
        />
        {kind === 'guest' && (
          <StayFields
            site={site}
            arrives={shown.arrives}
            leaves={shown.leaves}
            onArrives={(v) => setStay({ ...shown, arrives: v })}
            onLeaves={(v) => setStay({ ...shown, leaves: v })}
          />
        )}
        <LockChoice locks={locks} chosen={chosen} onChange={setChosen} />
        <WindowsField value={windows} onChange={setWindows} />
        <UsesField value={uses} onChange={setUses} />
        {visits && <p className="warn">{visits}</p>}
        <CodeInput
          label="Code (leave empty to generate one valid on every chosen lock)"
          value={own}
          onChange={setOwn}
          models={models}
        />
        <button type="submit" disabled={chosen.length === 0} {...busyProps(action.busy)}>
          {own ? 'Add code' : 'Generate and add code'}
        </button>
      </form>
      <Notice note={action.note} />
      {clash && (
        <p>
          <button type="button" onClick={() => save(true)} {...busyProps(action.busy)}>
            Generate one instead
          </button>
        </p>
      )}
      <div role="status" className="ok">
        {code && (
          <p>
            The code is <output className="code">{code}</output>. Give it to its holder; it is shown again
            only on request.
          </p>
        )}
      </div>
    </section>
  );
}

/** A code changed in place: prefilled with what it is now; the digits are not part of the form. */
export function EditCode({
  credentialId,
  onDone,
  onCancel,
}: {
  credentialId: string;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const cred = useApi<Credential>(`/api/v1/credentials/${encodeURIComponent(credentialId)}`);
  const locks = useApi<LockList>('/api/v1/locks');
  const sites = useApi<{ sites: Site[] }>('/api/v1/sites');
  if (!cred.data || !locks.data || !sites.data) return <p className="loading">Loading…</p>;
  return (
    <EditCodeFields
      credential={cred.data}
      locks={locks.data.locks}
      sites={sites.data.sites}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

function EditCodeFields({
  credential: c,
  locks,
  sites,
  onDone,
  onCancel,
}: {
  credential: Credential;
  locks: LockSummary[];
  sites: Site[];
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const on = c.locks.filter((l) => l.status !== 'removed' && l.status !== 'removing').map((l) => l.lockId);
  const [chosen, setChosen] = useState<string[]>(on);
  // The locks are sent only once changed here: a lock the code is off for a closed weekly window
  // shows unticked but stays the code's unless the host changes the list.
  const [locksChanged, setLocksChanged] = useState(false);
  const site = siteOf(sites, locks, chosen);
  const [name, setName] = useState(c.name);
  const [arrives, setArrives] = useState(c.startsAt !== null ? siteLocal(site, c.startsAt) : '');
  const [leaves, setLeaves] = useState(c.endsAt !== null ? siteLocal(site, c.endsAt) : '');
  const [windows, setWindows] = useState<WeeklyWindow[]>(c.windows ?? []);
  const [uses, setUses] = useState(c.useLimit != null ? String(c.useLimit) : '');
  const action = useAction();
  const visits = keypadVisits(locks, chosen, windows, uses);
  const guest = c.kind === 'guest';

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const s = schedule(site, guest, arrives, leaves, windows, uses);
      if ('problem' in s) throw new Error(s.problem);
      if (chosen.length === 0) throw new Error('Choose at least one lock.');
      const after = await api<Credential>('PATCH', `/api/v1/credentials/${encodeURIComponent(c.id)}`, {
        name,
        ...(locksChanged ? { lockIds: chosen } : {}),
        ...s.body,
      });
      onDone(`Saved "${after.name}": the same code, in the same slots.`);
      return undefined;
    });
  }

  return (
    <section aria-labelledby={`edit-${c.id}-h`} className="panel edit-code">
      <h3 id={`edit-${c.id}-h`}>Change {c.name}</h3>
      <p className="muted">The code stays the same, and so does its slot on every lock it stays on.</p>
      <form onSubmit={submit} className="grid-form">
        <label>
          Name of the code
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        {guest && (
          <StayFields
            site={site}
            arrives={arrives}
            leaves={leaves}
            onArrives={setArrives}
            onLeaves={setLeaves}
          />
        )}
        <LockChoice
          locks={locks}
          chosen={chosen}
          onChange={(ids) => {
            setChosen(ids);
            setLocksChanged(true);
          }}
        />
        <WindowsField value={windows} onChange={setWindows} />
        <UsesField value={uses} onChange={setUses} />
        {visits && <p className="warn">{visits}</p>}
        <p className="actions">
          <button type="submit" className="primary" {...busyProps(action.busy)}>
            Save changes
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </p>
      </form>
      <Notice note={action.note} />
    </section>
  );
}
