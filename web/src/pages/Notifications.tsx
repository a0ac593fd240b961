import { type FormEvent, useState } from 'react';
import type {
  DeliveryList,
  NewSubscription,
  SubscriptionList,
  SubscriptionView,
} from '../../../src/server/api-types-activity.js';
import { ACTIVITY_LABELS, ACTIVITY_TYPES } from '../activity-words.js';
import { api, type LockList } from '../api.js';
import { useApi, when } from '../hooks.js';
import { busyProps, Notice, useAction } from '../ui.js';

const CHANNELS = {
  webhook: { label: 'Webhook', target: 'Address (https://…)' },
  ntfy: { label: 'ntfy topic', target: 'Topic address (https://ntfy.sh/your-topic)' },
  email: { label: 'E-mail', target: 'E-mail address' },
} as const;
type Channel = keyof typeof CHANNELS;

const STATUS: Record<string, string> = {
  pending: 'Waiting to send',
  delivered: 'Delivered',
  failed: 'Gave up',
};

/** Who is told what: webhooks, ntfy topics and e-mails, with their deliveries. */
export function NotificationsPage() {
  const subs = useApi<SubscriptionList>('/api/v1/subscriptions');
  const locks = useApi<LockList>('/api/v1/locks');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  return (
    <>
      <h1>Notifications</h1>
      <p>Be told when a guest arrives, when a code could not reach a lock, when batteries run low.</p>
      <AddSubscription
        locks={locks.data?.locks ?? []}
        onAdded={(s) => {
          if (s.secret) setSecret({ name: s.name, secret: s.secret });
          subs.reload();
        }}
      />
      {secret && (
        <div role="status" className="ok">
          <p>
            The signing secret of {secret.name} is <output className="code">{secret.secret}</output>. Copy it
            into the receiving service now: it is not shown again.
          </p>
          <button type="button" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      <h2>Subscriptions</h2>
      {subs.data && subs.data.subscriptions.length === 0 && <p className="muted">None yet.</p>}
      <ul className="subscriptions">
        {subs.data?.subscriptions.map((s) => (
          <SubscriptionCard key={s.id} sub={s} locks={locks.data?.locks ?? []} onChange={subs.reload} />
        ))}
      </ul>
    </>
  );
}

function AddSubscription({
  locks,
  onAdded,
}: {
  locks: LockList['locks'];
  onAdded: (s: NewSubscription) => void;
}) {
  const [channel, setChannel] = useState<Channel>('webhook');
  const [target, setTarget] = useState('');
  const [name, setName] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [lockIds, setLockIds] = useState<string[]>([]);
  const action = useAction();
  const toggle = (list: string[], v: string) =>
    list.includes(v) ? list.filter((x) => x !== v) : [...list, v];

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const made = await api<NewSubscription>('POST', '/api/v1/subscriptions', {
        channel,
        target: target.trim(),
        events: types.length ? types : ['*'],
        lockIds: lockIds.length ? lockIds : null,
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      setTarget('');
      setName('');
      onAdded(made);
      return `Added ${made.name}.`;
    });
  }

  return (
    <section aria-labelledby="add-sub-h" className="panel">
      <h2 id="add-sub-h">Add a notification</h2>
      <form onSubmit={submit} className="grid-form">
        <label>
          How
          <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {Object.entries(CHANNELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {CHANNELS[channel].target}
          <input
            required
            value={target}
            type={channel === 'email' ? 'email' : 'url'}
            onChange={(e) => setTarget(e.target.value)}
          />
        </label>
        <label>
          Name (optional)
          <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <fieldset className="row">
          <legend>About (none ticked: everything)</legend>
          {ACTIVITY_TYPES.map((t) => (
            <label key={t} className="inline">
              <input
                type="checkbox"
                checked={types.includes(t)}
                onChange={() => setTypes(toggle(types, t))}
              />
              {ACTIVITY_LABELS[t]}
            </label>
          ))}
        </fieldset>
        <fieldset className="row">
          <legend>Locks (none ticked: every lock)</legend>
          {locks.map((l) => (
            <label key={l.id} className="inline">
              <input
                type="checkbox"
                checked={lockIds.includes(l.id)}
                onChange={() => setLockIds(toggle(lockIds, l.id))}
              />
              {l.name}
            </label>
          ))}
        </fieldset>
        <p>
          <button type="submit" className="primary" {...busyProps(action.busy)}>
            Add
          </button>
        </p>
      </form>
      <Notice note={action.note} />
    </section>
  );
}

function SubscriptionCard({
  sub,
  locks,
  onChange,
}: {
  sub: SubscriptionView;
  locks: LockList['locks'];
  onChange: () => void;
}) {
  const [open, setOpen] = useState(false);
  const deliveries = useApi<DeliveryList>(open ? `/api/v1/subscriptions/${sub.id}/deliveries` : null, 3000);
  const action = useAction();
  const about = sub.events.includes('*')
    ? 'everything'
    : sub.events.map((t) => ACTIVITY_LABELS[t as keyof typeof ACTIVITY_LABELS] ?? t).join(', ');
  const where = sub.lockIds
    ? sub.lockIds.map((id) => locks.find((l) => l.id === id)?.name ?? 'a removed lock').join(', ')
    : 'every lock';
  const run = (what: () => Promise<unknown>, done: string) =>
    void action.run(async () => {
      await what();
      onChange();
      deliveries.reload();
      return done;
    });
  return (
    <li className="card" data-subscription={sub.id}>
      <h3>
        {sub.name} <span className="tag">{CHANNELS[sub.channel].label}</span>
        {!sub.enabled && <span className="tag">Off</span>}
      </h3>
      <p className="muted">
        {sub.target} · about {about} · at {where}
      </p>
      {sub.disabledReason && <p className="error">Turned off: {sub.disabledReason}</p>}
      <p className="actions">
        <button
          type="button"
          className="small"
          {...busyProps(action.busy)}
          onClick={() =>
            run(() => api('POST', `/api/v1/subscriptions/${sub.id}/test`), 'A test is on its way.')
          }
        >
          Send a test<span className="sr-only"> to {sub.name}</span>
        </button>
        <button type="button" className="small" onClick={() => setOpen(!open)} aria-expanded={open}>
          Deliveries<span className="sr-only"> of {sub.name}</span>
        </button>
        <button
          type="button"
          className="small"
          onClick={() =>
            run(
              () => api('PATCH', `/api/v1/subscriptions/${sub.id}`, { enabled: !sub.enabled }),
              sub.enabled ? 'Turned off.' : 'Turned on.',
            )
          }
        >
          {sub.enabled ? 'Turn off' : 'Turn on'}
          <span className="sr-only"> {sub.name}</span>
        </button>
        <button
          type="button"
          className="small danger"
          onClick={() => run(() => api('DELETE', `/api/v1/subscriptions/${sub.id}`), 'Removed.')}
        >
          Remove<span className="sr-only"> {sub.name}</span>
        </button>
      </p>
      <Notice note={action.note} />
      {open && (
        <table className="deliveries">
          <caption className="sr-only">Deliveries of {sub.name}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Status</th>
              <th scope="col">Tries</th>
              <th scope="col">Last answer</th>
              <th scope="col">Next try</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data?.deliveries.map((d) => (
              <tr key={d.id} data-status={d.status}>
                <td>{when(d.createdAt)}</td>
                <td>{d.kind === 'test' ? 'Test' : 'Event'}</td>
                <td>{STATUS[d.status]}</td>
                <td>{d.attempts}</td>
                <td>{d.lastError ?? (d.lastStatusCode ? `${d.lastStatusCode}` : '—')}</td>
                <td>{when(d.nextAttemptAt)}</td>
                <td>
                  {d.status !== 'delivered' && (
                    <button
                      type="button"
                      className="small"
                      onClick={() =>
                        run(
                          () => api('POST', `/api/v1/subscriptions/${sub.id}/deliveries/${d.id}/retry`),
                          'Trying again now.',
                        )
                      }
                    >
                      Retry now
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
