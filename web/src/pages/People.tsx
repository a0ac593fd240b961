import { type FormEvent, useState } from 'react';
import { lifecycleLabel } from '../../../src/core/access/lifecycle.js';
import {
  api,
  type Credential,
  type CredentialList,
  type LockList,
  type LockSummary,
  type People,
  type Person,
  type Role,
} from '../api.js';
import { useApi, when } from '../hooks.js';
import { RecentActivity } from '../RecentActivity.js';
import { busyProps, Choices, HolderFields, Notice, useAction } from '../ui.js';

const KINDS = [
  ['guest', 'Guest (with dates)'],
  ['permanent', 'Permanent'],
] as const;

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function PeoplePage({ role }: { role: Role }) {
  const people = useApi<People>('/api/v1/people');
  const creds = useApi<CredentialList>('/api/v1/credentials', 2000);
  const locks = useApi<LockList>('/api/v1/locks');
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const action = useAction();
  const canEdit = role !== 'viewer';
  const personName = (id: string | null) => people.data?.people.find((p) => p.id === id)?.name;

  function reveal(id: string) {
    void action.run(async () => {
      const c = await api<Credential>('GET', `/api/v1/credentials/${id}?reveal=true`);
      setRevealed((r) => ({ ...r, [id]: c.code ?? '' }));
      return undefined;
    });
  }

  function hide(id: string) {
    setRevealed(({ [id]: _, ...rest }) => rest);
  }

  function revoke(c: Credential) {
    if (!window.confirm(`Revoke "${c.name}"? The code is removed from every lock.`)) return;
    void action.run(async () => {
      await api('DELETE', `/api/v1/credentials/${c.id}`);
      creds.reload();
      return `Revoked ${c.name}: it is being removed from every lock.`;
    });
  }

  return (
    <>
      <h1>People & codes</h1>
      <Notice note={action.note} />
      {canEdit && locks.data && (
        <AddCode
          locks={locks.data.locks}
          people={people.data?.people ?? []}
          onDone={() => {
            creds.reload();
            people.reload();
          }}
        />
      )}
      <h2 id="codes-h">Codes</h2>
      {creds.data?.credentials.length === 0 && <p>No codes yet.</p>}
      <ul className="codes" aria-labelledby="codes-h">
        {creds.data?.credentials.map((c) => (
          <li key={c.id} className="card" data-credential={c.id}>
            <h3>
              {c.name} <span className="tag">{c.kind === 'guest' ? 'Guest' : 'Permanent'}</span>
            </h3>
            {personName(c.personId) && <p className="muted">Held by {personName(c.personId)}</p>}
            {c.kind === 'guest' && (
              <p className="muted">
                {when(c.startsAt)} → {when(c.endsAt)}
              </p>
            )}
            <ul className="lock-states">
              {c.locks.map((l) => (
                <li key={l.lockId} data-lock={l.lockName} data-status={l.status}>
                  {l.lockName}, slot {l.slot}:{' '}
                  <span className={`status ${l.status}`}>{lifecycleLabel(l.status)}</span>
                  {l.error && <span className="error"> · {lifecycleLabel(l.error)}</span>}
                </li>
              ))}
            </ul>
            <RecentActivity credentialId={c.id} collapsed />
            {canEdit && (
              <p className="actions">
                {revealed[c.id] !== undefined && (
                  <output className="code" aria-label={`Code for ${c.name}`}>
                    {revealed[c.id]}
                  </output>
                )}
                {/* One button that turns into the other, so the keyboard stays where it was. */}
                <button
                  type="button"
                  className="small"
                  {...busyProps(action.busy)}
                  onClick={() => (revealed[c.id] === undefined ? reveal(c.id) : hide(c.id))}
                >
                  {revealed[c.id] === undefined ? 'Reveal' : 'Hide'} code
                  <span className="sr-only"> for {c.name}</span>
                </button>
                <button
                  type="button"
                  className="small danger"
                  {...busyProps(action.busy)}
                  onClick={() => revoke(c)}
                >
                  Revoke<span className="sr-only"> {c.name}</span>
                </button>
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function AddCode({ locks, people, onDone }: { locks: LockSummary[]; people: Person[]; onDone: () => void }) {
  const now = Date.now();
  const [kind, setKind] = useState<'permanent' | 'guest'>('guest');
  const [name, setName] = useState('');
  const [personId, setPersonId] = useState('');
  const [newPerson, setNewPerson] = useState('');
  const [startsAt, setStartsAt] = useState(localInput(now));
  const [endsAt, setEndsAt] = useState(localInput(now + 3 * 86_400_000));
  const [chosen, setChosen] = useState<string[]>(locks.map((l) => l.id));
  const [own, setOwn] = useState('');
  const [code, setCode] = useState<string | null>(null);
  const action = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    setCode(null);
    void action.run(async () => {
      let pid: string | null = personId || null;
      if (!pid && newPerson.trim()) {
        pid = (await api<Person>('POST', '/api/v1/people', { name: newPerson.trim() })).id;
      }
      const body: Record<string, unknown> = { name, kind, lockIds: chosen, personId: pid };
      if (own) body.code = own;
      else body.generate = true;
      if (kind === 'guest') {
        body.startsAt = new Date(startsAt).toISOString();
        body.endsAt = new Date(endsAt).toISOString();
      }
      const c = await api<Credential>('POST', '/api/v1/credentials', body);
      setCode(c.code ?? null);
      setName('');
      setOwn('');
      setNewPerson('');
      onDone();
      return `Created "${c.name}" on ${c.locks.length} lock(s).`;
    });
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
          <>
            <label>
              Arrives
              <input
                type="datetime-local"
                value={startsAt}
                onChange={(e) => setStartsAt(e.target.value)}
                required
              />
            </label>
            <label>
              Leaves
              <input
                type="datetime-local"
                value={endsAt}
                onChange={(e) => setEndsAt(e.target.value)}
                required
              />
            </label>
          </>
        )}
        <fieldset className="row">
          <legend>Locks</legend>
          {locks.map((l) => (
            <label key={l.id} className="inline">
              <input
                type="checkbox"
                checked={chosen.includes(l.id)}
                onChange={(e) =>
                  setChosen((c) => (e.target.checked ? [...c, l.id] : c.filter((x) => x !== l.id)))
                }
              />{' '}
              {l.name} ({l.model})
            </label>
          ))}
        </fieldset>
        <label>
          Code (leave empty to generate one valid on every chosen lock)
          <input
            value={own}
            onChange={(e) => setOwn(e.target.value.replace(/\D/g, ''))}
            inputMode="numeric"
            autoComplete="off"
            maxLength={10}
          />
        </label>
        <button type="submit" disabled={chosen.length === 0} {...busyProps(action.busy)}>
          {own ? 'Add code' : 'Generate and add code'}
        </button>
      </form>
      <Notice note={action.note} />
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
