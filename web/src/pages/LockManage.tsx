import { type FormEvent, useState } from 'react';
import { api, type LockDetail, type Role } from '../api.js';
import { href } from '../route.js';
import { busyProps, Notice, useAction } from '../ui.js';

/**
 * Renaming a lock, and removing it after saying what becomes of its codes: the register forgets
 * them for this lock, while the lock keeps whatever it holds until someone clears it.
 */
export function LockManage({
  lock: l,
  role,
  onRenamed,
}: {
  lock: LockDetail;
  role: Role;
  onRenamed: () => void;
}) {
  const [name, setName] = useState(l.name);
  const [confirming, setConfirming] = useState(false);
  const rename = useAction();
  const removal = useAction();
  const codes = l.slots.filter((s) => s.credentialId).length + l.scheduled.length;
  const unmanaged = l.slots.filter((s) => s.status === 'unmanaged').length;

  function submit(e: FormEvent) {
    e.preventDefault();
    void rename.run(async () => {
      await api('PATCH', `/api/v1/locks/${encodeURIComponent(l.id)}`, { name, version: l.version });
      onRenamed();
      return `Renamed to ${name.trim()}.`;
    });
  }

  function remove() {
    void removal.run(async () => {
      await api('DELETE', `/api/v1/locks/${encodeURIComponent(l.id)}?version=${l.version}`);
      window.location.hash = href();
      return undefined;
    });
  }

  return (
    <section aria-labelledby="manage-h" className="panel">
      <h2 id="manage-h">Manage this lock</h2>
      <form onSubmit={submit} className="search">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <button type="submit" {...busyProps(rename.busy)} disabled={name.trim() === l.name}>
          Rename
        </button>
      </form>
      <Notice note={rename.note} />
      {role === 'admin' &&
        (confirming ? (
          <section className="panel confirm" aria-labelledby="remove-h">
            <h3 id="remove-h">Remove {l.name} from Keyward?</h3>
            <ul>
              <li>
                {codes === 0
                  ? 'No one has a code on it in Keyward.'
                  : `${codes === 1 ? 'The 1 code' : `The ${codes} codes`} given to it ${codes === 1 ? 'is' : 'are'} taken off this lock in the register; the people keep their codes on their other locks.`}
              </li>
              <li>
                The lock itself keeps every code it holds
                {unmanaged ? `, including ${unmanaged} Keyward did not set` : ''}, and they keep opening the
                door, until you clear them at the keypad or reset the lock.
              </li>
              <li>Its history stays in the audit log.</li>
            </ul>
            <p className="actions">
              <button type="button" className="danger" {...busyProps(removal.busy)} onClick={remove}>
                Remove {l.name}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </p>
            <Notice note={removal.note} />
          </section>
        ) : (
          <p>
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              Remove this lock…
            </button>
          </p>
        ))}
    </section>
  );
}
