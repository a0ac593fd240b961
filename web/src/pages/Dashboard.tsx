import { AddLock } from '../AddLock.js';
import type { LockList, LockSummary, Role, StatusReport } from '../api.js';
import { Battery } from '../Battery.js';
import { useApi, when } from '../hooks.js';
import { href } from '../route.js';

const SYNC_WORDS: Record<LockSummary['sync']['state'], string> = {
  'in-sync': 'In sync',
  syncing: 'Syncing',
  attention: 'Needs attention',
  empty: 'No codes',
};

export function Dashboard({ role }: { role: Role }) {
  const locks = useApi<LockList>('/api/v1/locks', 2000);
  const status = useApi<StatusReport>('/api/v1/status', 10000);
  return (
    <>
      <h1>Locks</h1>
      {locks.error && (
        <p role="alert" className="error">
          {locks.error.message}
        </p>
      )}
      <ul className="cards" aria-label="Locks">
        {locks.data?.locks.map((l) => (
          <li key={l.id} className="card">
            <h2>
              <a href={href('locks', l.id)}>{l.name}</a>
            </h2>
            <p className="muted">
              Kwikset {l.model} · {l.driver === 'sim' ? 'simulated' : l.driver}
            </p>
            <p>
              <span className={`sync ${l.sync.state}`}>{SYNC_WORDS[l.sync.state]}</span>
              {l.sync.state !== 'empty' && (
                <span className="muted">
                  {' '}
                  · {l.sync.set ?? 0} set, {l.sync.unset ?? 0} waiting
                  {l.sync.error ? `, ${l.sync.error} with errors` : ''}
                </span>
              )}
            </p>
            <p>
              <Battery battery={l.battery} />
            </p>
          </li>
        ))}
      </ul>
      {locks.data?.locks.length === 0 && <p>No locks yet.</p>}

      <section aria-labelledby="due-h">
        <h2 id="due-h">What is due</h2>
        {status.data && status.data.items.length === 0 && <p>Nothing due in the next 7 days.</p>}
        <ul className="due">
          {status.data?.items.map((i) => (
            <li key={`${i.kind}-${i.subject.id}`} className={i.overdue ? 'overdue' : ''}>
              <strong>{i.overdue ? 'Overdue' : when(i.dueAt)}</strong> · {i.message}
            </li>
          ))}
        </ul>
      </section>

      {role !== 'viewer' && <AddLock onAdded={locks.reload} />}
    </>
  );
}
