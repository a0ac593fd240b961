import { useState } from 'react';
import { lifecycleLabel } from '../../../src/core/access/lifecycle.js';
import { api, type Credential, type CredentialList, type LockList, type People, type Role } from '../api.js';
import { AddCodeForm, EditCode } from '../CodeForm.js';
import { useApi, when } from '../hooks.js';
import { busyProps, Notice, useAction } from '../ui.js';

export function PeoplePage({ role }: { role: Role }) {
  const people = useApi<People>('/api/v1/people');
  const creds = useApi<CredentialList>('/api/v1/credentials', 2000);
  const locks = useApi<LockList>('/api/v1/locks');
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<string | null>(null);
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
        <AddCodeForm
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
                  className="small"
                  aria-label={`Edit ${c.name}`}
                  aria-expanded={editing === c.id}
                  onClick={() => setEditing(editing === c.id ? null : c.id)}
                >
                  Edit
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
            {editing === c.id && (
              <EditCode
                credentialId={c.id}
                onCancel={() => setEditing(null)}
                onDone={(text) => {
                  setEditing(null);
                  action.setNote({ ok: true, text });
                  creds.reload();
                }}
              />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
