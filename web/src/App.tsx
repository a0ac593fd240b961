import { useEffect, useState } from 'react';
import { ApiError, api, savedToken, saveToken } from './api.js';
import { AuditPage } from './pages/Audit.js';
import { Dashboard } from './pages/Dashboard.js';
import { LockPage } from './pages/Lock.js';
import { PeoplePage } from './pages/People.js';
import { PractisePage } from './pages/Practise.js';
import { SignIn } from './pages/SignIn.js';
import { TroubleshootPage } from './pages/Troubleshoot.js';
import { href, useRoute } from './route.js';

export type Role = 'admin' | 'manager' | 'viewer';

const NAV = [
  ['', 'Locks'],
  ['people', 'People & codes'],
  ['practise', 'Practise'],
  ['troubleshoot', 'Troubleshoot'],
  ['audit', 'Audit log'],
] as const;

export function App() {
  const [role, setRole] = useState<Role | null>(null);
  const [checking, setChecking] = useState(Boolean(savedToken()));
  const route = useRoute();

  useEffect(() => {
    if (!savedToken()) return;
    api<{ role: Role }>('GET', '/api/v1/me').then(
      (me) => {
        setRole(me.role);
        setChecking(false);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) saveToken(null);
        setChecking(false);
      },
    );
  }, []);

  // Practise runs on the twin in this page and needs no account.
  const open = route[0] === 'practise';
  if (checking) return <p className="loading">Loading…</p>;
  if (!role && !open) return <SignIn onSignedIn={setRole} />;

  const page = route[0] ?? '';
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href()}>
          Keyward
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([path, label]) => (
              <li key={path}>
                <a href={href(path)} aria-current={page === path ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {role ? (
          <button
            type="button"
            className="link"
            onClick={() => {
              saveToken(null);
              setRole(null);
            }}
          >
            Sign out ({role})
          </button>
        ) : (
          <a href={href()}>Sign in</a>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {page === '' && <Dashboard role={role!} />}
        {page === 'locks' && route[1] && <LockPage id={route[1]} role={role!} />}
        {page === 'people' && <PeoplePage role={role!} />}
        {page === 'practise' && <PractisePage model={route[1]} />}
        {page === 'troubleshoot' && <TroubleshootPage />}
        {page === 'audit' && <AuditPage />}
      </main>
    </>
  );
}
