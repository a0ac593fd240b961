import type { PastCredentials } from '../api.js';
import { useApi, when } from '../hooks.js';

/** Past guests and revoked codes, newest first, with when their code came off the locks. */
export function PastGuests({ query }: { query: string }) {
  const q = query.trim();
  const past = useApi<PastCredentials>(`/api/v1/past-guests${q ? `?q=${encodeURIComponent(q)}` : ''}`, 5000);
  const list = past.data?.past ?? [];
  return (
    <section aria-labelledby="past-h">
      <h2 id="past-h">Past guests and revoked codes</h2>
      {past.data && list.length === 0 && (
        <p className="muted">{q ? `No past guest matches "${q}".` : 'No past guests yet.'}</p>
      )}
      <ul className="coming" aria-labelledby="past-h">
        {list.map((c) => (
          <li key={c.id} data-past={c.id}>
            <strong>{c.name}</strong>
            {c.personName && c.personName !== c.name && <span className="muted"> ({c.personName})</span>}
            {c.kind === 'guest' && c.startsAt !== null && (
              <span className="muted">
                {' '}
                · stayed {when(c.startsAt)} → {when(c.endsAt)}
              </span>
            )}
            {c.lockNames.length > 0 && <span className="muted"> · {c.lockNames.join(', ')}</span>}
            <br />
            {c.removedAt !== null ? (
              <span>Code removed {when(c.removedAt)}</span>
            ) : (
              <span className="phase removing">Being removed</span>
            )}
            {c.revokedAt !== null && <span className="muted"> · revoked {when(c.revokedAt)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
