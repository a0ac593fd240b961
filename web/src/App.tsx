import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Me, type Role, savedToken, saveToken, signOut } from './api.js';
import { Dashboard } from './pages/Dashboard.js';
import { SignIn } from './pages/SignIn.js';
import { href, useRoute } from './route.js';

// The first page needs only the dashboard; the twin, guides and diagnosis load when opened.
const AuditPage = lazy(() => import('./pages/Audit.js').then((m) => ({ default: m.AuditPage })));
const CalendarsPage = lazy(() => import('./pages/Calendars.js').then((m) => ({ default: m.CalendarsPage })));
const LockPage = lazy(() => import('./pages/Lock.js').then((m) => ({ default: m.LockPage })));
const PeoplePage = lazy(() => import('./pages/People.js').then((m) => ({ default: m.PeoplePage })));
const PractisePage = lazy(() => import('./pages/Practise.js').then((m) => ({ default: m.PractisePage })));
const TokensPage = lazy(() => import('./pages/Tokens.js').then((m) => ({ default: m.TokensPage })));
const TroubleshootPage = lazy(() =>
  import('./pages/Troubleshoot.js').then((m) => ({ default: m.TroubleshootPage })),
);

const NAV = [
  ['', 'Locks'],
  ['people', 'People & codes'],
  ['calendars', 'Calendars'],
  ['practise', 'Practise'],
  ['troubleshoot', 'Troubleshoot'],
  ['audit', 'Audit log'],
] as const;

/** Pages only an admin can use. */
const ADMIN_NAV = [['tokens', 'Tokens']] as const;

export function App() {
  // With a saved token the page renders at once as a viewer and learns the real role in parallel
  // with its own data, instead of waiting a round trip before asking for anything.
  const [role, setRole] = useState<Role | null>(savedToken() ? 'viewer' : null);
  const route = useRoute();

  useEffect(() => {
    if (!savedToken()) return;
    api<Me>('GET', '/api/v1/me').then(
      (me) => setRole(me.role),
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          saveToken(null);
          setRole(null);
        }
      },
    );
  }, []);

  // A new page says so: its name in the title, and the focus at the top of its content, so that
  // a screen reader reads it and the keyboard starts there, not on the link that led to it. A
  // change within a page (another model to practise on) leaves the focus where it is.
  const where = route[0] === 'locks' ? `locks/${route[1] ?? ''}` : (route[0] ?? '');
  const main = useRef<HTMLElement>(null);
  const shown = useRef(where);
  useEffect(() => {
    const label = [...NAV, ...ADMIN_NAV].find(([path]) => path === (route[0] ?? ''))?.[1];
    const signIn = !role && route[0] !== 'practise';
    document.title = `${signIn ? 'Sign in' : (label ?? (route[0] === 'locks' ? 'Lock' : 'Keyward'))} · Keyward`;
    if (shown.current === where) return;
    shown.current = where;
    main.current?.focus();
  }, [where, route[0], role]);

  // Practise runs on the twin in this page and needs no account.
  const open = route[0] === 'practise';
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
            {[...NAV, ...(role === 'admin' ? ADMIN_NAV : [])].map(([path, label]) => (
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
              // The session must be over before the sign-in page asks whether a cookie signs in.
              void signOut().then(() => setRole(null));
            }}
          >
            Sign out ({role})
          </button>
        ) : (
          <a href={href()}>Sign in</a>
        )}
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          {page === '' && <Dashboard role={role!} />}
          {/* One page per lock: what is open on one (an adopt form) must not show on the next. */}
          {page === 'locks' && route[1] && <LockPage key={route[1]} id={route[1]} role={role!} />}
          {page === 'people' && <PeoplePage role={role!} />}
          {page === 'calendars' && <CalendarsPage role={role!} />}
          {page === 'practise' && <PractisePage model={route[1]} />}
          {page === 'troubleshoot' && <TroubleshootPage />}
          {page === 'audit' && <AuditPage />}
          {page === 'tokens' && <TokensPage />}
        </Suspense>
      </main>
    </>
  );
}
