import { memo, useState } from 'react';
import { AddLock } from '../AddLock.js';
import type { LockList, LockSummary, Role, StatusReport } from '../api.js';
import { Battery } from '../Battery.js';
import { useApi, when } from '../hooks.js';
import { StateBadge, shortWhen, upcomingText, visitText } from '../lock-state-ui.js';
import { href } from '../route.js';

export function Dashboard({ role }: { role: Role }) {
  const locks = useApi<LockList>('/api/v1/locks', 2000);
  const status = useApi<StatusReport>('/api/v1/status', 10000);
  const list = locks.data?.locks ?? [];
  return (
    <>
      <h1>Locks</h1>
      {locks.error && (
        <p role="alert" className="error">
          {locks.error.message}
        </p>
      )}
      <ul className="cards" aria-label="Locks">
        {list.map((l) => (
          <LockCard key={l.id} lock={l} />
        ))}
      </ul>
      {list.length === 0 && locks.data && <p>No locks yet.</p>}

      <div className="two-col">
        <Visits locks={list} />
        <ComingUp locks={list} />
      </div>

      <Due items={status.data?.items ?? null} />

      {role !== 'viewer' && <AddLock onAdded={locks.reload} />}
    </>
  );
}

/** Due items listed before "show all": a portfolio's hundreds of departures bury the overdue. */
const DUE_SHOWN = 12;

function Due({ items }: { items: StatusReport['items'] | null }) {
  const [all, setAll] = useState(false);
  const shown = items && !all ? items.slice(0, DUE_SHOWN) : (items ?? []);
  return (
    <section aria-labelledby="due-h">
      <h2 id="due-h">What is due</h2>
      {items && items.length === 0 && <p>Nothing due in the next 7 days.</p>}
      <ul className="due">
        {shown.map((i) => (
          <li key={`${i.kind}-${i.subject.id}`} className={i.overdue ? 'overdue' : ''}>
            <strong>{i.overdue ? 'Overdue' : when(i.dueAt)}</strong> · {i.message}
          </li>
        ))}
      </ul>
      {items && items.length > shown.length && (
        <button type="button" className="small" onClick={() => setAll(true)}>
          Show all {items.length}
        </button>
      )}
    </section>
  );
}

/** Memoized: the status and role answers arrive after the locks and must not redraw 200 cards. */
const LockCard = memo(function LockCard({ lock: l }: { lock: LockSummary }) {
  const next = l.upcoming[0];
  return (
    <li className="card" data-lock={l.id} data-state={l.state}>
      <h2>
        <a href={href('locks', l.id)}>{l.name}</a>
      </h2>
      <p className="muted">
        Kwikset {l.model} · {DRIVER_WORDS[l.driver] ?? l.driver}
      </p>
      <p>
        <StateBadge lock={l} />
      </p>
      {next && (
        <p className="next">
          Next: {upcomingText(next)}{' '}
          <time dateTime={new Date(next.at).toISOString()}>{shortWhen(next.at)}</time>
        </p>
      )}
      <p>
        <Battery battery={l.battery} />
      </p>
    </li>
  );
});

const DRIVER_WORDS: Record<string, string> = {
  sim: 'simulated',
  manual: 'keypad only',
  zwave: 'Z-Wave',
  'zwave-server': 'Z-Wave (Home Assistant)',
  zigbee2mqtt: 'Zigbee',
};

/** Visits listed before "show all": the next ones matter; a long list hides them. */
const VISITS_SHOWN = 12;

/** Trips to keypad-only locks: what is due now first, then by time. */
const Visits = memo(function Visits({ locks }: { locks: LockSummary[] }) {
  const [all, setAll] = useState(false);
  const visits = locks
    .flatMap((l) => l.visits.map((v) => ({ lock: l, v })))
    .sort((a, b) => (a.v.at ?? 0) - (b.v.at ?? 0));
  if (visits.length === 0) return null;
  const shown = all ? visits : visits.slice(0, VISITS_SHOWN);
  return (
    <section aria-labelledby="visits-h">
      <h2 id="visits-h">Visits to make</h2>
      <ul className="visits">
        {shown.map(({ lock, v }) => (
          <li key={`${lock.id}-${v.credentialId}-${v.action}-${v.at}`}>{visitText(lock.name, v)}</li>
        ))}
      </ul>
      {visits.length > shown.length && (
        <button type="button" className="small" onClick={() => setAll(true)}>
          Show all {visits.length} visits
        </button>
      )}
    </section>
  );
});

/** Arrivals and departures across every lock, one line per guest and time, naming the doors. */
const ComingUp = memo(function ComingUp({ locks }: { locks: LockSummary[] }) {
  const byEvent = new Map<string, { at: number; text: string; kind: string; doors: string[] }>();
  for (const l of locks)
    for (const u of l.upcoming) {
      if (u.kind !== 'arrival' && u.kind !== 'departure') continue;
      const key = `${u.credentialId}-${u.kind}-${u.at}`;
      const e = byEvent.get(key) ?? { at: u.at, text: upcomingText(u), kind: u.kind, doors: [] };
      e.doors.push(l.name);
      byEvent.set(key, e);
    }
  const events = [...byEvent.entries()].sort((a, b) => a[1].at - b[1].at).slice(0, 30);
  return (
    <section aria-labelledby="coming-h">
      <h2 id="coming-h">Arrivals and departures</h2>
      {events.length === 0 ? (
        <p className="muted">Nobody arrives or leaves in the next 7 days.</p>
      ) : (
        <ul className="coming">
          {events.map(([key, e]) => (
            <li key={key} data-kind={e.kind}>
              <time dateTime={new Date(e.at).toISOString()}>{shortWhen(e.at)}</time>
              {e.text} <span className="muted">· {e.doors.join(', ')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});
