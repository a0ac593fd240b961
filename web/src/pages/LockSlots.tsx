import { Fragment, type ReactNode, useState } from 'react';
import { lifecycleLabel } from '../../../src/core/access/lifecycle.js';
import { api, type Credential, type LockDetail, type SlotView } from '../api.js';
import { CodeEditHook } from '../code-edit-hook.js';
import { PhaseBadge } from '../lock-state-ui.js';
import { busyProps, Notice, useAction, WideTable } from '../ui.js';

/**
 * The lock's slots: the codes on it or on their way, the ones kept for a stay that starts later,
 * and the empty slots folded behind their count. Each code has its actions in its row.
 */
export function LockSlots({
  lock: l,
  capacity,
  canEdit,
  reload,
  unmanagedActions,
}: {
  lock: LockDetail;
  capacity: number;
  canEdit: boolean;
  reload: () => void;
  /** The adopt and remove controls of a code Keyward did not put there, and its adopt form. */
  unmanagedActions: (slot: number) => { buttons: ReactNode; form: ReactNode };
}) {
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const action = useAction();
  const rows: (SlotView & { from?: number | null })[] = [
    ...l.slots,
    ...l.scheduled
      .filter((s) => !l.slots.some((x) => x.slot === s.slot))
      .map((s) => ({
        slot: s.slot,
        credentialId: s.credentialId,
        name: s.name,
        status: 'unset' as const,
        error: null,
        phase: s.phase,
        problem: s.problem,
        from: s.from,
      })),
  ].sort((a, b) => a.slot - b.slot);
  const used = new Set(rows.map((r) => r.slot));
  const empty = Array.from({ length: capacity }, (_, i) => i + 1).filter((n) => !used.has(n));

  function reveal(id: string) {
    void action.run(async () => {
      const c = await api<Credential>('GET', `/api/v1/credentials/${encodeURIComponent(id)}?reveal=true`);
      setRevealed((r) => ({ ...r, [id]: c.code ?? '' }));
      return undefined;
    });
  }

  function revoke(id: string, name: string) {
    if (!window.confirm(`Revoke ${name}'s code? It is removed from every lock it is on.`)) return;
    void action.run(async () => {
      await api('DELETE', `/api/v1/credentials/${encodeURIComponent(id)}`);
      reload();
      return `${name}'s code is being removed; it shows here until the lock confirms.`;
    });
  }

  return (
    <>
      <h2 id="slots-h">Codes on this lock</h2>
      <Notice note={action.note} />
      {rows.length === 0 ? (
        <p>No codes on this lock.</p>
      ) : (
        <WideTable labelledBy="slots-h">
          <thead>
            <tr>
              <th scope="col">Slot</th>
              <th scope="col">Who</th>
              <th scope="col">Where it stands</th>
              {canEdit && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody className="slot-list">
            {rows.map((s) => {
              const unmanaged = s.status === 'unmanaged' ? unmanagedActions(s.slot) : null;
              const id = s.credentialId;
              return (
                <Fragment key={`${s.slot}-${id}`}>
                  <tr data-slot={s.slot} data-status={s.status} data-phase={s.phase ?? s.status}>
                    <th scope="row">{s.slot}</th>
                    <td>{s.name ?? <em>a code Keyward did not set</em>}</td>
                    <td>
                      {s.phase ? (
                        <PhaseBadge phase={s.phase} from={s.from ?? null} problem={s.problem} />
                      ) : (
                        <span className={`status ${s.status}`}>{lifecycleLabel(s.status)}</span>
                      )}
                      {!s.problem && s.error && <span className="error"> · {lifecycleLabel(s.error)}</span>}
                      {id && revealed[id] !== undefined && (
                        <>
                          {' '}
                          <output className="code" aria-label={`Code for ${s.name}`}>
                            {revealed[id]}
                          </output>
                        </>
                      )}
                    </td>
                    {canEdit && (
                      <td>
                        {unmanaged?.buttons}
                        {id && s.phase !== 'removing' && s.phase !== 'visit-to-remove' && (
                          <span className="code-actions">
                            {/* Named by aria-label, so the person's name appears once in the row's text. */}
                            <button
                              type="button"
                              className="small"
                              aria-label={`Edit ${s.name}`}
                              onClick={() => setEditing(id)}
                            >
                              Edit
                            </button>
                            <button
                              type="button"
                              className="small"
                              {...busyProps(action.busy)}
                              aria-label={`${revealed[id] === undefined ? 'Show' : 'Hide'} code for ${s.name}`}
                              onClick={() =>
                                revealed[id] === undefined
                                  ? reveal(id)
                                  : setRevealed(({ [id]: _, ...rest }) => rest)
                              }
                            >
                              {revealed[id] === undefined ? 'Show' : 'Hide'} code
                            </button>
                            <button
                              type="button"
                              className="small danger"
                              {...busyProps(action.busy)}
                              aria-label={`Revoke ${s.name}`}
                              onClick={() => revoke(id, s.name ?? 'this')}
                            >
                              Revoke
                            </button>
                          </span>
                        )}
                      </td>
                    )}
                  </tr>
                  {unmanaged?.form}
                  {id && editing === id && (
                    <tr>
                      <td colSpan={4}>
                        <CodeEditHook
                          credentialId={id}
                          name={s.name ?? ''}
                          lockId={l.id}
                          onDone={() => {
                            setEditing(null);
                            reload();
                          }}
                          onClose={() => setEditing(null)}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </WideTable>
      )}
      {empty.length > 0 && (
        <details className="empty-slots">
          <summary>
            {empty.length} empty {empty.length === 1 ? 'slot' : 'slots'}
          </summary>
          <p className="muted">Slots {ranges(empty)} hold nothing.</p>
        </details>
      )}
      {l.upcoming.length > 0 && <p className="muted">Times are shown in this device's time zone.</p>}
    </>
  );
}

/** 1, 3-7, 9: the empty slots in few words. */
function ranges(ns: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(i === j ? `${ns[i]}` : `${ns[i]}–${ns[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}
