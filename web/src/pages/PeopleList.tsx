import { type FormEvent, useState } from 'react';
import { api, type Credential, type Person } from '../api.js';
import { busyProps, Notice, useAction } from '../ui.js';

/** Everyone in the register, each renamed or removed in place; removing says what it does first. */
export function PeopleList({
  people,
  credentials,
  canEdit,
  onChanged,
}: {
  people: Person[];
  credentials: Credential[];
  canEdit: boolean;
  onChanged: () => void;
}) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [name, setName] = useState('');
  const action = useAction();
  const held = (id: string) => credentials.filter((c) => c.personId === id && c.revokedAt === null);

  function rename(e: FormEvent, p: Person) {
    e.preventDefault();
    void action.run(async () => {
      await api('PATCH', `/api/v1/people/${encodeURIComponent(p.id)}`, { name });
      setRenaming(null);
      onChanged();
      return `${p.name} is now ${name.trim()}.`;
    });
  }

  function remove(p: Person) {
    void action.run(async () => {
      const r = await api<{ revoked: string[] }>('DELETE', `/api/v1/people/${encodeURIComponent(p.id)}`);
      setRemoving(null);
      onChanged();
      return r.revoked.length
        ? `Removed ${p.name}; their ${r.revoked.length === 1 ? 'code is' : 'codes are'} being removed from the locks.`
        : `Removed ${p.name}.`;
    });
  }

  return (
    <section aria-labelledby="people-h">
      <h2 id="people-h">People</h2>
      <Notice note={action.note} />
      {people.length === 0 && <p className="muted">No one matches.</p>}
      <ul className="coming" aria-labelledby="people-h">
        {people.map((p) => {
          const codes = held(p.id);
          return (
            <li key={p.id} data-person={p.id}>
              {renaming === p.id ? (
                <form onSubmit={(e) => rename(e, p)} className="search">
                  <label>
                    New name for {p.name}
                    <input
                      value={name}
                      onChange={(e) => setName(e.target.value)}
                      required
                      maxLength={200}
                      // biome-ignore lint/a11y/noAutofocus: the field opens on request, for what it asks
                      autoFocus
                    />
                  </label>
                  <button type="submit" className="primary" {...busyProps(action.busy)}>
                    Save
                  </button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <strong>{p.name}</strong>{' '}
                  <span className="muted">
                    ·{' '}
                    {codes.length === 0 ? 'no code' : codes.length === 1 ? '1 code' : `${codes.length} codes`}
                  </span>
                  {canEdit && (
                    <span className="code-actions">
                      <button
                        type="button"
                        className="small"
                        onClick={() => {
                          setName(p.name);
                          setRenaming(p.id);
                        }}
                      >
                        Rename<span className="sr-only"> {p.name}</span>
                      </button>
                      <button type="button" className="small danger" onClick={() => setRemoving(p.id)}>
                        Remove<span className="sr-only"> {p.name}</span>
                      </button>
                    </span>
                  )}
                </>
              )}
              {removing === p.id && (
                <section className="panel confirm" aria-label={`Remove ${p.name}`}>
                  <p>
                    Remove {p.name}?{' '}
                    {codes.length
                      ? `Their ${codes.length === 1 ? 'code' : `${codes.length} codes`} (${codes.map((c) => c.name).join(', ')}) ${codes.length === 1 ? 'is' : 'are'} revoked and taken off every lock.`
                      : 'They hold no code.'}{' '}
                    The audit log keeps their history.
                  </p>
                  <p className="actions">
                    <button
                      type="button"
                      className="danger"
                      {...busyProps(action.busy)}
                      onClick={() => remove(p)}
                    >
                      Remove {p.name}
                    </button>
                    <button type="button" onClick={() => setRemoving(null)}>
                      Keep
                    </button>
                  </p>
                </section>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
