import { useMemo, useState } from 'react';
import {
  AUDIT_KIND_WORDS,
  AUDIT_KINDS,
  type AuditFilter,
  type AuditKind,
  type AuditLine,
  type AuditNames,
  auditLine,
  foldSync,
  matches,
  opHolders,
} from '../../../src/core/audit/sentence.js';
import {
  type AuditEntries,
  type AuditReport,
  api,
  type CredentialList,
  type LockList,
  type People,
  type TokenList,
} from '../api.js';
import { useApi, when } from '../hooks.js';
import { busyProps, Notice, useAction } from '../ui.js';

/** Enough of the log to filter in the page; older pages follow on request. */
const PAGE = 500;

/** "Dec 5, 2026, 1:16 PM", or "from … to …" when the steps took more than a minute. */
function span(from: number, to: number): string {
  return when(from) === when(to) ? when(to) : `${when(from)} to ${when(to)}`;
}

function Line({ l }: { l: AuditLine }) {
  return (
    <>
      <span className="what">{l.text}</span>
      <span className="sub">
        {l.who} · {when(l.at)} <span className="seq">#{l.seq}</span>
      </span>
    </>
  );
}

export function AuditPage() {
  const [before, setBefore] = useState<number | null>(null);
  const page = useApi<AuditEntries>(`/api/v1/audit?limit=${PAGE}${before ? `&before=${before}` : ''}`);
  const locks = useApi<LockList>('/api/v1/locks');
  const people = useApi<People>('/api/v1/people');
  const credentials = useApi<CredentialList>('/api/v1/credentials?includeRevoked=true');
  // Only an admin may list tokens; anyone else sees "An API token" as who.
  const tokens = useApi<TokenList>('/api/v1/tokens');
  const [filter, setFilter] = useState<AuditFilter>({});
  const [report, setReport] = useState<AuditReport | null>(null);
  const action = useAction();
  const entries = page.data?.entries ?? [];

  const names = useMemo<AuditNames>(
    () => ({
      locks: new Map((locks.data?.locks ?? []).map((l) => [l.id, l.name])),
      people: new Map((people.data?.people ?? []).map((p) => [p.id, p.name])),
      credentials: new Map(
        (credentials.data?.credentials ?? []).map((c) => [
          c.id,
          { name: c.name, personId: c.personId, lockIds: c.locks.map((x) => x.lockId) },
        ]),
      ),
      tokens: new Map((tokens.data?.tokens ?? []).map((t) => [t.id, t.name])),
      ops: opHolders(entries),
    }),
    [locks.data, people.data, credentials.data, tokens.data, entries],
  );
  const lines = useMemo(() => entries.map((e) => auditLine(e, names)), [entries, names]);
  const shown = lines.filter((l) => matches(l, filter));
  const items = foldSync(shown);

  function verify() {
    void action.run(async () => {
      setReport(await api<AuditReport>('GET', '/api/v1/audit/verify'));
      return undefined;
    });
  }

  const set = (patch: Partial<AuditFilter>) => {
    const next = { ...filter, ...patch };
    for (const k of Object.keys(next) as (keyof AuditFilter)[]) if (!next[k]) delete next[k];
    setFilter(next);
  };

  return (
    <>
      <h1>Audit log</h1>
      <p>
        Everything that happened, newest first: who did it and when. Each entry is chained to the one before,
        so any later edit shows when you verify the log.
      </p>
      <form className="filters" aria-label="Show only" onSubmit={(e) => e.preventDefault()}>
        <label>
          Lock
          <select value={filter.lockId ?? ''} onChange={(e) => set({ lockId: e.target.value })}>
            <option value="">All locks</option>
            {(locks.data?.locks ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Person
          <select value={filter.personId ?? ''} onChange={(e) => set({ personId: e.target.value })}>
            <option value="">Everyone</option>
            {(people.data?.people ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          What
          <select value={filter.kind ?? ''} onChange={(e) => set({ kind: e.target.value as AuditKind })}>
            <option value="">Everything</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {AUDIT_KIND_WORDS[k]}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p className="muted" aria-live="polite">
        {page.data
          ? `${shown.length === lines.length ? `${lines.length}` : `${shown.length} of ${lines.length}`} ${lines.length === 1 ? 'entry' : 'entries'}${before ? ' (older page)' : ''}`
          : 'Loading…'}
      </p>
      {page.error && (
        <p role="alert" className="error">
          {page.error.message}
        </p>
      )}
      <ol className="audit" aria-label="Audit entries, newest first">
        {items.map((item) =>
          'line' in item ? (
            <li key={item.line.seq} data-kind={item.line.kind}>
              <Line l={item.line} />
            </li>
          ) : (
            <li key={`sync-${item.sync[0]!.seq}`} className="folded" data-kind="sync">
              <details>
                <summary>
                  {item.sync.length} sync steps{' '}
                  <span className="sub-inline">
                    by Keyward, {span(item.sync[item.sync.length - 1]!.at, item.sync[0]!.at)}
                  </span>
                </summary>
                <ol>
                  {item.sync.map((l) => (
                    <li key={l.seq}>
                      <Line l={l} />
                    </li>
                  ))}
                </ol>
              </details>
            </li>
          ),
        )}
      </ol>
      <p className="actions">
        {before && (
          <button type="button" onClick={() => setBefore(null)}>
            Newest
          </button>
        )}
        {entries.length === PAGE && (
          <button type="button" onClick={() => setBefore(entries[entries.length - 1]!.seq)}>
            Older
          </button>
        )}
      </p>
      <h2>Is the log intact?</h2>
      <p>
        <button type="button" className="primary" {...busyProps(action.busy)} onClick={verify}>
          Verify the log
        </button>
      </p>
      <div aria-live="polite">
        {report &&
          (report.ok ? (
            <p className="ok" role="status">
              Verified: all {report.rows} entries are intact and in order.
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
    </>
  );
}
