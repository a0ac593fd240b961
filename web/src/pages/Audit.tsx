import { useState } from 'react';
import { type AuditEntries, type AuditReport, api } from '../api.js';
import { useApi, when } from '../hooks.js';
import { busyProps, Notice, useAction, WideTable } from '../ui.js';

export function AuditPage() {
  const [before, setBefore] = useState<number | null>(null);
  const page = useApi<AuditEntries>(`/api/v1/audit?limit=50${before ? `&before=${before}` : ''}`);
  const [report, setReport] = useState<AuditReport | null>(null);
  const action = useAction();
  const entries = page.data?.entries ?? [];

  function verify() {
    void action.run(async () => {
      setReport(await api<AuditReport>('GET', '/api/v1/audit/verify'));
      return undefined;
    });
  }

  return (
    <>
      <h1>Audit log</h1>
      <p>
        Every change, who made it and when. Each row is chained to the one before by a keyed hash, so any edit
        shows.
      </p>
      <p>
        <button type="button" className="primary" {...busyProps(action.busy)} onClick={verify}>
          Verify the chain
        </button>
      </p>
      <div aria-live="polite">
        {report &&
          (report.ok ? (
            <p className="ok" role="status">
              Verified: all {report.rows} rows are intact and in order.
            </p>
          ) : (
            <div className="error" role="alert">
              <p>The log was tampered with:</p>
              <ul>
                {report.problems.map((p) => (
                  <li key={`${p.seq}-${p.problem}`}>{p.message}</li>
                ))}
              </ul>
            </div>
          ))}
      </div>
      <Notice note={action.note} />
      <WideTable labelledBy="audit-caption">
        <caption id="audit-caption" className="sr-only">
          Audit entries, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">What</th>
            <th scope="col">Who, when</th>
          </tr>
        </thead>
        <tbody>
          {/* Three columns, each with its detail below it, so that a phone shows a whole entry. */}
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>
                {e.action}
                <span className="sub">
                  <code>{e.subjectId}</code>
                  {typeof e.detail.name === 'string' && ` (${e.detail.name})`}
                </span>
              </td>
              <td className="wrap">
                {e.actor}
                <span className="sub">{when(e.at)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </WideTable>
      <p className="actions">
        {before && (
          <button type="button" onClick={() => setBefore(null)}>
            Newest
          </button>
        )}
        {entries.length === 50 && (
          <button type="button" onClick={() => setBefore(entries[entries.length - 1]!.seq)}>
            Older
          </button>
        )}
      </p>
    </>
  );
}
