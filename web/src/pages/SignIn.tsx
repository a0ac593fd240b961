import { type FormEvent, useState } from 'react';
import type { Role } from '../App.js';
import { ApiError, api, saveToken } from '../api.js';
import { href } from '../route.js';

export function SignIn({ onSignedIn }: { onSignedIn: (role: Role) => void }) {
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<{ role: Role }>('GET', '/api/v1/me', undefined, token.trim());
      saveToken(token.trim(), remember);
      onSignedIn(me.role);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="signin">
      <h1>Keyward</h1>
      <p>
        Codes on your Kwikset SmartCode locks, checked against each lock's rules before anyone touches a
        keypad.
      </p>
      <form onSubmit={submit} aria-describedby="token-help">
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
        />
        <p id="token-help" className="hint">
          The first admin token is printed when the server starts for the first time and saved in the data
          directory as <code>admin-token</code>.
        </p>
        <label className="inline">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />{' '}
          Remember on this device
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !token.trim()}>
          Sign in
        </button>
      </form>
      <p>
        Or <a href={href('practise')}>practise on a virtual keypad</a> without signing in.
      </p>
    </main>
  );
}
