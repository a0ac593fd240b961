import { type FormEvent, useState } from 'react';
import { api, type LockList, type LockSummary, type NewLock, type Role, type StatusReport } from '../api.js';
import { Battery } from '../Battery.js';
import { useApi, when } from '../hooks.js';
import { href } from '../route.js';
import { busyProps, ModelSelect, Notice, useAction } from '../ui.js';

const SYNC_WORDS: Record<LockSummary['sync']['state'], string> = {
  'in-sync': 'In sync',
  syncing: 'Syncing',
  attention: 'Needs attention',
  empty: 'No codes',
};

export function BatteryText({ battery }: { battery: LockSummary['battery'] }) {
  if (!battery) return <span className="muted">Battery not reported</span>;
  const words = { ok: 'OK', replace: 'Replace soon', weak: 'Weak: programming fails', dead: 'Dead' }[
    battery.level
  ];
  return (
    <span className={`battery ${battery.level}`}>
      Battery {battery.voltsPerCell.toFixed(2)} V/cell · {words}
    </span>
  );
}

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

function AddLock({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [model, setModel] = useState('264');
  const [driver, setDriver] = useState('sim');
  const [url, setUrl] = useState('ws://127.0.0.1:3000');
  const [nodeId, setNodeId] = useState('');
  const action = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const body: Record<string, unknown> = { name, model, driver };
      if (driver === 'zwave-server') Object.assign(body, { url, nodeId: Number(nodeId) });
      const lock = await api<NewLock>('POST', '/api/v1/locks', body);
      setName('');
      onAdded();
      return `Added ${lock.name}.`;
    });
  }

  return (
    <section aria-labelledby="add-lock-h" className="panel">
      <h2 id="add-lock-h">Add a lock</h2>
      <form onSubmit={submit} className="grid-form">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <ModelSelect value={model} onChange={setModel} />
        <label>
          Connection
          <select value={driver} onChange={(e) => setDriver(e.target.value)}>
            <option value="sim">Simulated (try Keyward out)</option>
            <option value="manual">Manual: I follow keypad guides</option>
            <option value="zwave-server">Z-Wave JS server (Home Assistant)</option>
          </select>
        </label>
        {driver === 'zwave-server' && (
          <>
            <label>
              Server URL
              <input value={url} onChange={(e) => setUrl(e.target.value)} required />
            </label>
            <label>
              Node id
              <input
                inputMode="numeric"
                value={nodeId}
                onChange={(e) => setNodeId(e.target.value)}
                required
              />
            </label>
          </>
        )}
        <button type="submit" {...busyProps(action.busy)}>
          Add lock
        </button>
      </form>
      <Notice note={action.note} />
    </section>
  );
}
