import { type FormEvent, useState } from 'react';
import { findModel } from '../../../src/core/catalog/index.js';
import { api, type LockDetail, type LockRisk, type People, type Role } from '../api.js';
import { BatteryText } from '../Battery.js';
import { ExposureSection } from '../Exposure.js';
import { useApi } from '../hooks.js';
import { StateBadge, shortWhen, upcomingText } from '../lock-state-ui.js';
import { ManualGuide } from '../ManualGuide.js';
import { busyProps, HolderFields, Notice, useAction } from '../ui.js';
import { LockManage } from './LockManage.js';
import { LockSlots } from './LockSlots.js';

export function LockPage({ id, role }: { id: string; role: Role }) {
  const lock = useApi<LockDetail>(`/api/v1/locks/${encodeURIComponent(id)}`, 2000);
  const risk = useApi<LockRisk>(`/api/v1/locks/${encodeURIComponent(id)}/risk`, 10000);
  const [adopting, setAdopting] = useState<number | null>(null);
  const removal = useAction();
  if (lock.error)
    return (
      <p role="alert" className="error">
        {lock.error.message}
      </p>
    );
  const l = lock.data;
  if (!l) return <p className="loading">Loading…</p>;
  const model = findModel(l.model);
  const capacity = model?.slots ?? 30;

  const canEdit = role !== 'viewer';

  function remove(slot: number) {
    if (
      !window.confirm(
        `Remove the code in slot ${slot} from ${l!.name}? Whoever uses it will no longer get in. The register keeps a record.`,
      )
    )
      return;
    void removal.run(async () => {
      await api('POST', `/api/v1/locks/${encodeURIComponent(id)}/slots/${slot}/remove`);
      lock.reload();
      return `The code in slot ${slot} is being removed from the lock.`;
    });
  }

  return (
    <>
      <h1>{l.name}</h1>
      <p className="muted">
        Kwikset {l.model} {model ? `(${model.name})` : ''} ·{' '}
        {l.driver === 'sim' ? 'simulated lock' : `${l.driver} lock`} · <BatteryText battery={l.battery} />
      </p>
      <p className="lock-state-line">
        <StateBadge lock={l} />
      </p>
      {l.problem && (
        <p role="alert" className="error">
          {l.problem.message}
        </p>
      )}
      {l.unplaced.length > 0 && (
        <p role="alert" className="error">
          {l.unplaced.length === 1
            ? 'One person wanted now finds'
            : `${l.unplaced.length} people wanted now find`}{' '}
          no free slot: the lock is full for that time.
        </p>
      )}
      {l.upcoming.length > 0 && (
        <section aria-labelledby="lock-coming-h">
          <h2 id="lock-coming-h">Coming up</h2>
          <ul className="coming">
            {l.upcoming.slice(0, 8).map((u) => (
              <li key={`${u.credentialId}-${u.kind}-${u.at}`}>
                <time dateTime={new Date(u.at).toISOString()}>{shortWhen(u.at)}</time>
                {upcomingText(u)}
              </li>
            ))}
          </ul>
        </section>
      )}

      {l.driver === 'manual' && (
        <ManualGuide
          lockId={l.id}
          role={role}
          model={l.model}
          waiting={l.slots.some((x) => x.status === 'unset' || x.status === 'removing')}
          onChanged={lock.reload}
        />
      )}

      <LockSlots
        lock={l}
        capacity={capacity}
        canEdit={canEdit}
        reload={lock.reload}
        unmanagedActions={(n) => ({
          buttons: (
            <span className="actions">
              <button type="button" className="small" onClick={() => setAdopting(n)}>
                Adopt<span className="sr-only"> the code in slot {n}</span>
              </button>
              <button
                type="button"
                className="small danger"
                {...busyProps(removal.busy)}
                onClick={() => remove(n)}
              >
                Remove<span className="sr-only"> the code in slot {n}</span> from the lock
              </button>
            </span>
          ),
          form:
            adopting === n ? (
              <tr className="adopt-row">
                <td colSpan={4}>
                  <AdoptForm
                    lockId={l.id}
                    slot={n}
                    onCancel={() => setAdopting(null)}
                    onDone={(text) => {
                      setAdopting(null);
                      removal.setNote({ ok: true, text });
                      lock.reload();
                    }}
                  />
                </td>
              </tr>
            ) : null,
        })}
      />
      <Notice note={removal.note} />
      <ExposureSection risk={risk.data} />
      {canEdit && <LockManage lock={l} role={role} onRenamed={lock.reload} />}
    </>
  );
}

/** Takes an unmanaged code into the register: the code stays on the lock and is never shown here. */
function AdoptForm({
  lockId,
  slot,
  onCancel,
  onDone,
}: {
  lockId: string;
  slot: number;
  onCancel: () => void;
  onDone: (text: string) => void;
}) {
  const people = useApi<People>('/api/v1/people');
  const [name, setName] = useState('');
  const [personId, setPersonId] = useState('');
  const [personName, setPersonName] = useState('');
  const adoption = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void adoption.run(async () => {
      await api('POST', `/api/v1/locks/${encodeURIComponent(lockId)}/slots/${slot}/adopt`, {
        name,
        ...(personId ? { personId } : personName.trim() ? { personName: personName.trim() } : {}),
      });
      onDone(`Adopted: slot ${slot} now holds "${name}" in the register.`);
      return undefined;
    });
  }

  return (
    <section aria-labelledby="adopt-h" className="adopt">
      <h3 id="adopt-h">Adopt the code in slot {slot}</h3>
      <p className="muted">
        It stays on the lock as it is and becomes a permanent code in the register. Nobody sees it here; a
        manager can reveal it later from People &amp; codes.
      </p>
      <form onSubmit={submit} className="grid-form">
        <label>
          Name of the code
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={200}
            // biome-ignore lint/a11y/noAutofocus: the form opens on request, for the field it asks about
            autoFocus
          />
        </label>
        <HolderFields
          people={people.data?.people ?? []}
          personId={personId}
          onPersonId={setPersonId}
          newName={personName}
          onNewName={setPersonName}
        />
        <p className="actions">
          <button type="submit" className="primary" {...busyProps(adoption.busy)}>
            Adopt code
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </p>
      </form>
      <Notice note={adoption.note} />
    </section>
  );
}
