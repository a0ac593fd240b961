import { useState } from 'react';
import type { ActivityPage } from '../../src/server/api-types-activity.js';
import { eventLine } from './activity-words.js';
import { useApi, when } from './hooks.js';
import { href } from './route.js';

type Subject = { lockId: string } | { personId: string } | { credentialId: string };

/**
 * The last few events of one lock, person or code, for their page:
 * `<RecentActivity lockId={id} />` shows them at once (refreshed every 10 s);
 * `<RecentActivity credentialId={id} collapsed />` is a disclosure that loads when opened, for a
 * list of many cards.
 */
export function RecentActivity(props: Subject & { limit?: number; collapsed?: boolean }) {
  const [open, setOpen] = useState(!props.collapsed);
  const [key, value] =
    'lockId' in props
      ? (['lockId', props.lockId] as const)
      : 'personId' in props
        ? (['personId', props.personId] as const)
        : (['credentialId', props.credentialId] as const);
  const page = useApi<ActivityPage>(
    open ? `/api/v1/events?${key}=${encodeURIComponent(value)}&limit=${props.limit ?? 5}` : null,
    open ? 10_000 : 0,
  );
  const events = page.data?.events ?? [];
  const list = (
    <>
      {page.data && events.length === 0 && <p className="muted">Nothing has happened yet.</p>}
      <ul className="events">
        {events.map((e) => (
          <li key={e.id}>
            {eventLine(e, undefined)}
            <span className="sub">{when(e.at)}</span>
          </li>
        ))}
      </ul>
      <p>
        <a href={key === 'lockId' ? href('activity', value) : href('activity')}>All activity</a>
      </p>
    </>
  );
  if (props.collapsed)
    return (
      <details className="recent-activity" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>Recent activity</summary>
        {open && list}
      </details>
    );
  const id = `recent-${value}`;
  return (
    <section aria-labelledby={id} className="recent-activity">
      <h2 id={id}>Recent activity</h2>
      {list}
    </section>
  );
}
