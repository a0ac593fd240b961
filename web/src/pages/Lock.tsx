import { useState } from 'react';
import { findModel } from '../../../src/core/catalog/index.js';
import type { Guide, GuideResult } from '../../../src/core/guide/index.js';
import type { Role } from '../App.js';
import { ApiError, api, type Credential, type LockDetail, type LockRisk } from '../api.js';
import { GuideSteps } from '../GuideSteps.js';
import { useApi, when } from '../hooks.js';
import { href } from '../route.js';
import { BatteryText } from './Dashboard.js';

const STATUS_WORDS: Record<string, string> = {
  unset: 'waiting to be set',
  setting: 'setting…',
  set: 'set',
  removing: 'removing…',
  removed: 'removed',
  unmanaged: 'unmanaged: not put there by Keyward',
};

function hours(h: number): string {
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} minutes`;
  if (h < 48) return `${Math.round(h)} hours`;
  if (h < 24 * 365) return `${Math.round(h / 24)} days`;
  return `${Math.round(h / (24 * 365))} years`;
}

export function LockPage({ id, role }: { id: string; role: Role }) {
  const lock = useApi<LockDetail>(`/api/v1/locks/${encodeURIComponent(id)}`, 2000);
  const risk = useApi<LockRisk>(`/api/v1/locks/${encodeURIComponent(id)}/risk`, 10000);
  const [guide, setGuide] = useState<{ slot: number; guide: Guide | null; message?: string } | null>(null);
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

  async function showGuide(slot: number, credentialId: string, op: 'add-user' | 'delete-user') {
    try {
      const body: Record<string, unknown> = { state: { model: l!.model }, op, slot };
      if (op === 'add-user') {
        const c = await api<Credential>('GET', `/api/v1/credentials/${credentialId}?reveal=true`);
        body.code = c.code;
      }
      const r = await api<GuideResult>('POST', '/api/v1/guide', body);
      setGuide(
        r.ok
          ? { slot, guide: r.guide }
          : { slot, guide: null, message: r.reasons.map((x) => x.message).join('; ') },
      );
    } catch (e) {
      setGuide({ slot, guide: null, message: e instanceof ApiError ? e.message : String(e) });
    }
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
      <div className="table-wrap">
        <table aria-labelledby="slots-h">
          <thead>
            <tr>
              <th scope="col">Slot</th>
              <th scope="col">Code</th>
              <th scope="col">Status</th>
              {l.driver === 'manual' && role !== 'viewer' && <th scope="col">At the keypad</th>}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: capacity }, (_, i) => i + 1).map((n) => {
              const s = bySlot.get(n);
              return (
                <tr key={n} data-slot={n} data-status={s?.status ?? 'empty'}>
                  <th scope="row">{n}</th>
                  <td>{s ? (s.name ?? <em>unknown code</em>) : <span className="muted">empty</span>}</td>
                  <td>
                    {s ? (
                      <span className={`status ${s.status}`}>{STATUS_WORDS[s.status] ?? s.status}</span>
                    ) : (
                      ''
                    )}
                    {s?.error && <span className="error"> · {s.error.replace(/_/g, ' ')}</span>}
                  </td>
                  {l.driver === 'manual' && role !== 'viewer' && (
                    <td>
                      {s?.credentialId && (s.status === 'unset' || s.status === 'removing') && (
                        <button
                          type="button"
                          className="small"
                          onClick={() =>
                            showGuide(n, s.credentialId!, s.status === 'unset' ? 'add-user' : 'delete-user')
                          }
                        >
                          Keypad steps
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {guide && (
        <section aria-labelledby="guide-h" className="panel">
          <h2 id="guide-h">Bring slot {guide.slot} in step</h2>
          {guide.guide ? <GuideSteps guide={guide.guide} /> : <p className="error">{guide.message}</p>}
          <p>
            <a href={href('practise', l.model)}>Practise on a virtual {l.model} keypad first</a>
          </p>
        </section>
      )}
    </>
  );
}
