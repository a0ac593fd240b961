import { useEffect, useRef, useState } from 'react';
import type { ActivityEventView, ActivityPage as Page } from '../../../src/server/api-types-activity.js';
import { ACTIVITY_LABELS, ACTIVITY_TYPES, eventLine } from '../activity-words.js';
import { api, type LockList, type People, savedToken } from '../api.js';
import { useApi, when } from '../hooks.js';
import { errorText } from '../ui.js';

interface Filters {
  lockId: string;
  personId: string;
  type: string;
  since: string;
  until: string;
}

const query = (f: Filters, before: string | null, format?: 'csv') => {
  const p = new URLSearchParams();
  if (f.lockId) p.set('lockId', f.lockId);
  if (f.personId) p.set('personId', f.personId);
  if (f.type) p.set('type', f.type);
  // Dates are whole local days: "until" includes the day it names.
  if (f.since) p.set('since', String(new Date(`${f.since}T00:00`).getTime()));
  if (f.until) p.set('until', String(new Date(`${f.until}T00:00`).getTime() + 86_400_000));
  if (before) p.set('before', before);
  if (format) p.set('format', format);
  else p.set('limit', '50');
  return `/api/v1/events?${p}`;
};

/** Who opened which door, and what happened to each code: newest first, more as you scroll. */
export function ActivityPage({ lockId }: { lockId?: string | undefined }) {
  const locks = useApi<LockList>('/api/v1/locks');
  const people = useApi<People>('/api/v1/people');
  // #/activity/<lockId>: one lock's activity (the "All activity" link of a lock page).
  const [filters, setFilters] = useState<Filters>({
    lockId: lockId ?? '',
    personId: '',
    type: '',
    since: '',
    until: '',
  });
  const [events, setEvents] = useState<ActivityEventView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const end = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  async function load(before: string | null) {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await api<Page>('GET', query(filters, before));
      if (mine !== generation.current) return;
      setEvents((old) => (before ? [...old, ...page.events] : page.events));
      setNext(page.next);
      setError(null);
    } catch (e) {
      if (mine === generation.current) setError(errorText(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts from the newest
  useEffect(() => {
    void load(null);
  }, [filters]);

  // Infinite scroll: the next page when the end of the list comes into view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: load reads the current filters
  useEffect(() => {
    const el = end.current;
    if (!el || !next || loading) return;
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void load(next);
    });
    seen.observe(el);
    return () => seen.disconnect();
  }, [next, loading]);

  const lockName = (id: string | null) => locks.data?.locks.find((l) => l.id === id)?.name;
  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters({ ...filters, [k]: e.target.value });

  async function download() {
    const res = await fetch(query(filters, null, 'csv'), {
      headers: { authorization: `Bearer ${savedToken()}` },
    });
    if (!res.ok) return setError('The export failed: try again.');
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'keyward-activity.csv';
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <>
      <h1>Activity</h1>
      <p>Who opened which door, and what happened to each code, newest first.</p>
      <form className="filters" aria-label="Filter the activity" onSubmit={(e) => e.preventDefault()}>
        <label>
          Lock
          <select value={filters.lockId} onChange={set('lockId')}>
            <option value="">Every lock</option>
            {locks.data?.locks.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Person
          <select value={filters.personId} onChange={set('personId')}>
            <option value="">Everyone</option>
            {people.data?.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          What
          <select value={filters.type} onChange={set('type')}>
            <option value="">Everything</option>
            {ACTIVITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {ACTIVITY_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={filters.since} onChange={set('since')} />
        </label>
        <label>
          To
          <input type="date" value={filters.until} onChange={set('until')} />
        </label>
        <button type="button" onClick={() => void download()}>
          Download as CSV
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="events" aria-label="Events, newest first">
        {events.map((e) => (
          <li key={e.id} data-type={e.type}>
            <span>{eventLine(e, lockName(e.lockId))}</span>
            <span className="sub">{when(e.at)}</span>
          </li>
        ))}
      </ul>
      {!loading && events.length === 0 && !error && (
        <p className="muted">Nothing has happened that matches.</p>
      )}
      <div ref={end} aria-hidden="true" />
      <div role="status" className="muted">
        {loading ? 'Loading…' : next ? '' : events.length > 0 ? 'That is everything.' : ''}
      </div>
      {next && !loading && (
        <p>
          <button type="button" onClick={() => void load(next)}>
            Older
          </button>
        </p>
      )}
    </>
  );
}
