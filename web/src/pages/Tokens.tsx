import { type FormEvent, useState } from 'react';
import { type ApiToken, api, type Me, type NewToken, type TokenList } from '../api.js';
import { useApi, when } from '../hooks.js';
import { busyProps, Notice, useAction, WideTable } from '../ui.js';

const ROLE_WORDS: Record<ApiToken['role'], string> = {
  admin: 'Admin: everything, tokens included',
  manager: 'Manager: locks, people and codes',
  viewer: 'Viewer: reads, never a code',
};

/** Admin only: who can sign in, with which role. A secret is shown once, when it is created. */
export function TokensPage() {
  const tokens = useApi<TokenList>('/api/v1/tokens');
  const me = useApi<Me>('/api/v1/me');
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiToken['role']>('viewer');
  const [created, setCreated] = useState<{ id: string; name: string; token: string } | null>(null);
  const action = useAction();

  function create(e: FormEvent) {
    e.preventDefault();
    setCreated(null);
    void action.run(async () => {
      const r = await api<NewToken>('POST', '/api/v1/tokens', { name, role });
      setCreated({ id: r.id, name, token: r.token });
      setName('');
      tokens.reload();
      return undefined;
    });
  }

  function revoke(t: ApiToken) {
    const self = t.id === me.data?.tokenId;
    const warn = self ? ' This is the token you are signed in with: you will be signed out.' : '';
    if (!window.confirm(`Revoke the token "${t.name}"? It stops working at once.${warn}`)) return;
    void action.run(async () => {
      await api('DELETE', `/api/v1/tokens/${t.id}`);
      if (self) {
        window.location.reload();
        return undefined;
      }
      // A secret that no longer opens anything need not stay on the screen.
      if (created?.id === t.id) setCreated(null);
      tokens.reload();
      return `Revoked "${t.name}".`;
    });
  }

  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Each person or program signs in with its own token. Revoking one takes effect on this server at once,
        and on other servers sharing the database within 5 seconds.
      </p>
      <Notice note={action.note} />
      <section aria-labelledby="new-token-h" className="panel">
        <h2 id="new-token-h">Create a token</h2>
        <form onSubmit={create} className="grid-form">
          <label>
            Token name
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </label>
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as ApiToken['role'])}>
              {(['viewer', 'manager', 'admin'] as const).map((r) => (
                <option key={r} value={r}>
                  {ROLE_WORDS[r]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" {...busyProps(action.busy)}>
            Create token
          </button>
        </form>
        {created && (
          <div role="status" className="ok secret">
            <p>
              Token for "{created.name}": copy it now, it is not shown again.
              <br />
              <output className="code token" aria-label={`New token for ${created.name}`}>
                {created.token}
              </output>
            </p>
          </div>
        )}
      </section>
      <h2 id="tokens-h">Tokens</h2>
      {tokens.error && (
        <p role="alert" className="error">
          {tokens.error.message}
        </p>
      )}
      <WideTable labelledBy="tokens-h">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.data?.tokens.map((t) => (
            <tr key={t.id} data-token={t.id}>
              <th scope="row">
                {t.name}
                {t.id === me.data?.tokenId && (
                  <>
                    {' '}
                    <span className="tag">this browser</span>
                  </>
                )}
              </th>
              <td>{t.role}</td>
              <td>{when(t.createdAt)}</td>
              <td>
                <button
                  type="button"
                  className="small danger"
                  {...busyProps(action.busy)}
                  onClick={() => revoke(t)}
                >
                  Revoke<span className="sr-only"> {t.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </WideTable>
    </>
  );
}
