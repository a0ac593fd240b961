import { type FormEvent, useState } from 'react';
import { getModel } from '../../src/core/catalog/index.js';
import { describeSignals } from '../../src/core/guide/index.js';
import type { KeypadAnswer } from '../../src/server/api-types-activity.js';
import { api, type Role } from './api.js';
import { busyProps, Notice, useAction } from './ui.js';

/**
 * A person at the door of a simulated lock: type a code and press the model's confirm key
 * (POST /api/v1/locks/{id}/keypad). A correct code opens the lock and shows in its activity, as a
 * real lock's would. Only on simulated locks, for a manager or admin:
 * `<DoorKeypad lockId={l.id} model={l.model} driver={l.driver} role={role} />`.
 */
export function DoorKeypad({
  lockId,
  model,
  driver,
  role,
}: {
  lockId: string;
  model: string;
  driver: string;
  role: Role;
}) {
  const [code, setCode] = useState('');
  const action = useAction();
  if (driver !== 'sim' || role === 'viewer') return null;
  const confirm = getModel(model).confirmKey;
  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const inputs = [...code].map((d) => ({ press: d })).concat([{ press: confirm }]);
      const r = await api<KeypadAnswer>('POST', `/api/v1/locks/${encodeURIComponent(lockId)}/keypad`, {
        inputs,
      });
      setCode('');
      return r.bolt === 'unlocked'
        ? `The door opened (${describeSignals(r.signals)}).`
        : `The door stayed locked (${describeSignals(r.signals)}).`;
    });
  }
  return (
    <section aria-labelledby="door-h" className="panel">
      <h2 id="door-h">At the door</h2>
      <form onSubmit={submit} className="grid-form">
        <label>
          Code typed at the keypad, then {confirm === 'kwikset' ? 'the Kwikset button' : 'Enter'}
          <input
            value={code}
            inputMode="numeric"
            autoComplete="off"
            pattern="[0-9]{1,10}"
            required
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <p>
          <button type="submit" {...busyProps(action.busy)}>
            Try the door
          </button>
        </p>
      </form>
      <Notice note={action.note} />
    </section>
  );
}
