import { type FormEvent, useEffect, useState } from 'react';
import { api, type Me, type Role, saveToken } from '../api.js';
import { href } from '../route.js';
import { busyProps, Notice, useAction } from '../ui.js';

export function SignIn({ onSignedIn }: { onSignedIn: (role: Role) => void }) {
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const action = useAction();

  // A browser that opened the sign-in link holds a session cookie (script cannot see it): ask
  // the server who this is, without a token, and go straight in if the answer is someone.
  useEffect(() => {
    let live = true;
    api<Me>('GET', '/api/v1/me', undefined, null).then(
      (me) => {
        if (live) onSignedIn(me.role);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [onSignedIn]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const me = await api<Me>('GET', '/api/v1/me', undefined, token.trim());
      saveToken(token.trim(), remember);
      onSignedIn(me.role);
      return undefined;
    });
  }

  return (
    <main id="main" className="signin">
      <h1>Keyward</h1>
      <p>
        Codes on your Kwikset SmartCode locks, checked against each lock's rules before anyone touches a
        keypad.
      </p>
      <p>
        To sign in, open the link that <code>npm start</code> (or <code>keyward serve</code>) printed when it
        started. Each link works once, within 15 minutes. Or paste an API token:
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
        <Notice note={action.note} />
        <button type="submit" disabled={!token.trim()} {...busyProps(action.busy)}>
          Sign in
        </button>
      </form>
      <p>
        Or <a href={href('practise')}>practise on a virtual keypad</a> without signing in.
      </p>
    </main>
  );
}
