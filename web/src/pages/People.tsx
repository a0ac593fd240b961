import { useState } from 'react';
import { lifecycleLabel } from '../../../src/core/access/lifecycle.js';
import {
  api,
  type CodePhase,
  type Credential,
  type CredentialList,
  type LockList,
  type People,
  type Role,
} from '../api.js';
import { AddCodeForm, EditCode } from '../CodeForm.js';
import { useApi, when } from '../hooks.js';
import { PhaseBadge } from '../lock-state-ui.js';
import { busyProps, Notice, useAction } from '../ui.js';
import { PastGuests } from './PastGuests.js';
import { PeopleList } from './PeopleList.js';

/** Codes drawn at once: a portfolio's thousands are found with the search, not by scrolling. */
const CODES_SHOWN = 60;

export function PeoplePage({ role }: { role: Role }) {
  const people = useApi<People>('/api/v1/people');
  const creds = useApi<CredentialList>('/api/v1/credentials?includeRevoked=true', 2000);
  const locks = useApi<LockList>('/api/v1/locks?codes=true', 2000);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [shownCount, setShownCount] = useState(CODES_SHOWN);
  const action = useAction();
  const canEdit = role !== 'viewer';
  const personName = (id: string | null) => people.data?.people.find((p) => p.id === id)?.name;
  // The lock page's own decision for each code on each lock, so the two pages never disagree.
  const phases = new Map<string, CodePhase>();
  for (const l of locks.data?.locks ?? [])
    for (const c of l.codes ?? []) phases.set(`${l.id}:${c.credentialId}`, c);
  const now = Date.now();
  const text = query.trim().toLowerCase();
  const matches = (...names: (string | null | undefined)[]) =>
    !text || names.some((n) => n?.toLowerCase().includes(text));
  const all = creds.data?.credentials ?? [];
  const stillOn = (c: Credential) => c.locks.some((l) => l.status !== 'removed');
  // Current codes, and revoked ones until every lock confirms them gone; the rest are past.
  const current = all.filter(
    (c) =>
      (c.revokedAt === null
        ? !(c.kind === 'guest' && c.endsAt !== null && c.endsAt <= now) || stillOn(c)
        : stillOn(c)) && matches(c.name, personName(c.personId)),
  );
  const shownPeople = (people.data?.people ?? []).filter((p) => matches(p.name));

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
      locks.reload();
      return `Revoked ${c.name}: it shows as being removed until every lock confirms.`;
    });
  }

  return (
    <>
      <h1>People & codes</h1>
      <search className="search">
        <label>
          Search people and codes
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} maxLength={200} />
        </label>
      </search>
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
      {creds.data && current.length === 0 && (
        <p>{text ? `No code matches "${query.trim()}".` : 'No codes yet.'}</p>
      )}
      <ul className="codes" aria-labelledby="codes-h">
        {current.slice(0, shownCount).map((c) => (
          <li key={c.id} className="card" data-credential={c.id}>
            <h3>
              {c.name} <span className="tag">{c.kind === 'guest' ? 'Guest' : 'Permanent'}</span>
              {c.revokedAt !== null && (
                <>
                  {' '}
                  <span className="phase removing">Being removed</span>
                </>
              )}
            </h3>
            {personName(c.personId) && <p className="muted">Held by {personName(c.personId)}</p>}
            {c.kind === 'guest' && (
              <p className="muted">
                {when(c.startsAt)} → {when(c.endsAt)}
              </p>
            )}
            <ul className="lock-states">
              {c.locks
                .filter((l) => l.status !== 'removed')
                .map((l) => {
                  const p = phases.get(`${l.lockId}:${c.id}`);
                  return (
                    <li key={l.lockId} data-lock={l.lockName} data-status={l.status} data-phase={p?.phase}>
                      {l.lockName}, slot {l.slot}:{' '}
                      {p ? (
                        <PhaseBadge phase={p.phase} from={p.from} problem={p.problem} />
                      ) : (
                        <span className={`status ${l.status}`}>{lifecycleLabel(l.status)}</span>
                      )}
                    </li>
                  );
                })}
            </ul>
            {canEdit && c.revokedAt === null && (
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
      {current.length > shownCount && (
        <p>
          Showing {shownCount} of {current.length} codes; search to find one.{' '}
          <button type="button" className="small" onClick={() => setShownCount((n) => n + CODES_SHOWN)}>
            Show {Math.min(CODES_SHOWN, current.length - shownCount)} more
          </button>
        </p>
      )}
      <div className="two-col">
        <PeopleList
          people={shownPeople}
          credentials={all}
          canEdit={canEdit}
          onChanged={() => {
            people.reload();
            creds.reload();
          }}
        />
        <PastGuests query={query} />
      </div>
    </>
  );
}
