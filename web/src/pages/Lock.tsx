import { type FormEvent, Fragment, useState } from 'react';
import { lifecycleLabel } from '../../../src/core/access/lifecycle.js';
import { findModel } from '../../../src/core/catalog/index.js';
import { api, type LockDetail, type LockRisk, type People, type Role } from '../api.js';
import { DoorKeypad } from '../DoorKeypad.js';
import { useApi, when } from '../hooks.js';
import { ManualGuide } from '../ManualGuide.js';
import { RecentActivity } from '../RecentActivity.js';
import { busyProps, HolderFields, Notice, useAction, WideTable } from '../ui.js';
import { BatteryText } from './Dashboard.js';

function hours(h: number): string {
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} minutes`;
  if (h < 48) return `${Math.round(h)} hours`;
  if (h < 24 * 365) return `${Math.round(h / 24)} days`;
  return `${Math.round(h / (24 * 365))} years`;
}

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
  const bySlot = new Map(l.slots.map((s) => [s.slot, s]));
  const capacity = model?.slots ?? 30;

  const canEdit = role !== 'viewer';
  const hasUnmanaged = l.slots.some((x) => x.status === 'unmanaged');

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
      {l.nextChange && <p>Next scheduled change: {when(l.nextChange)}</p>}
      {l.unplaced.length > 0 && (
        <p role="alert" className="error">
          {l.unplaced.length} active code(s) found no free slot: the lock is full for that time.
        </p>
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

      <section aria-labelledby="risk-h" className="panel">
        <h2 id="risk-h">Exposure</h2>
        {risk.data ? (
          <>
            <p>
              {risk.data.exposure
                ? `With ${risk.data.codesOnLock} code(s) on the lock or on their way, a stranger typing random ${risk.data.exposure.length}-digit codes needs about ${Math.round(risk.data.exposure.guessesExpected).toLocaleString()} guesses: ${hours(risk.data.exposure.expectedHours)} at the pace the keypad lockout allows.`
                : 'No codes on the lock yet.'}
            </p>
            <p>
              Deleted-code memory: {risk.data.deletedCodes.length} deleted code(s) still reserve their first
              four digits until a factory reset.
            </p>
          </>
        ) : (
          <p className="loading">Loading…</p>
        )}
      </section>

      <h2 id="slots-h">Slots</h2>
      <Notice note={removal.note} />
      <WideTable labelledBy="slots-h">
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">Code</th>
            <th scope="col">Status</th>
            {canEdit && hasUnmanaged && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: capacity }, (_, i) => i + 1).map((n) => {
            const s = bySlot.get(n);
            return (
              <Fragment key={n}>
                <tr data-slot={n} data-status={s?.status ?? 'empty'}>
                  <th scope="row">{n}</th>
                  <td>{s ? (s.name ?? <em>unknown code</em>) : <span className="muted">empty</span>}</td>
                  <td>
                    {s ? <span className={`status ${s.status}`}>{lifecycleLabel(s.status)}</span> : ''}
                    {s?.error && <span className="error"> · {lifecycleLabel(s.error)}</span>}
                  </td>
                  {canEdit && hasUnmanaged && (
                    <td>
                      {s?.status === 'unmanaged' && (
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
                      )}
                    </td>
                  )}
                </tr>
                {adopting === n && (
                  <tr className="adopt-row">
                    <td colSpan={canEdit && hasUnmanaged ? 4 : 3}>
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
                )}
              </Fragment>
            );
          })}
        </tbody>
      </WideTable>
      <DoorKeypad lockId={l.id} model={l.model} driver={l.driver} role={role} />
      <RecentActivity lockId={l.id} />
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
