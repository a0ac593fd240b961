import type { Command } from 'commander';
import type { Store } from '../../store/index.js';
import type { Context } from '../context.js';
import { writeJson } from '../io.js';
import { parseInstant } from './instant.js';
import { lockNamed, personNamed } from './names.js';
import { siteTime } from './site-time.js';
import { parseWhole, type StoreCliOptions, storeOptions, withStore } from './store-cli.js';

// `keyward audit list`: the log in sentences, filtered by lock, person, kind and time.

interface AuditListOptions extends StoreCliOptions {
  lock?: string;
  person?: string;
  kind?: string;
  since?: string;
  limit?: string;
}

type Row = Awaited<ReturnType<typeof import('../../store/audit-list.js').listAudit>>[number];

/** One row as a host reads it, with names instead of ids where the register still knows them. */
function sentence(r: Row, names: Map<string, string>): string {
  const d = r.detail;
  const name = (id: unknown) => (typeof id === 'string' ? (names.get(id) ?? 'a removed record') : '');
  const subject = typeof d.name === 'string' ? d.name : name(r.subjectId);
  const whose = /s$/i.test(subject) ? `${subject}'` : `${subject}'s`;
  const lockList = (xs: unknown) =>
    Array.isArray(xs)
      ? xs.map((x) => name(typeof x === 'string' ? x : (x as { lockId?: string }).lockId)).join(', ')
      : '';
  switch (r.action) {
    case 'credential.add':
      return `${whose} code added on ${lockList(d.locks)}`;
    case 'credential.edit': {
      const parts = [`${whose} code changed (${(d.changed as string[] | undefined)?.join(', ') ?? ''})`];
      if (Array.isArray(d.added) && d.added.length) parts.push(`now also on ${lockList(d.added)}`);
      if (Array.isArray(d.removed) && d.removed.length) parts.push(`coming off ${lockList(d.removed)}`);
      return parts.join('; ');
    }
    case 'credential.revoke':
      return `${whose} code removed`;
    case 'credential.rotate':
      return `${whose} code replaced by a new one`;
    case 'credential.update':
      return `${whose} code renamed or its end moved`;
    case 'credential.use':
      return `${whose} code used at ${name(d.lockId)}`;
    case 'slot.status':
      return `${whose} code on ${name(d.lockId)}: ${String(d.status)}${d.error ? ` (${String(d.error)})` : ''}`;
    case 'lock.add':
      return `lock ${subject} added`;
    case 'lock.remove':
      return `lock ${subject} removed`;
    case 'site.add':
      return `site ${subject} added`;
    case 'site.check-times':
      return `${subject}: check-in/check-out times changed`;
    case 'person.add':
      return `${subject} added`;
    default:
      return `${r.action}${subject ? `: ${subject}` : ''}`;
  }
}

async function namesOf(store: Store): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const l of await store.listLocks()) names.set(l.id, l.name);
  for (const p of await store.listPeople()) names.set(p.id, p.name);
  for (const s of await store.listSites()) names.set(s.id, s.name);
  for (const c of await store.listCredentials({ includeRevoked: true })) names.set(c.id, c.name);
  return names;
}

export function registerAuditList(audit: Command, ctx: Context): void {
  storeOptions(
    audit
      .command('list')
      .description('the log, newest first, in sentences')
      .option('--lock <lock>', 'only changes about this lock (id or name)')
      .option('--person <person>', 'only changes about this person and their codes (id or name)')
      .option('--kind <kind>', 'only this kind, e.g. credential, credential.edit, lock, slot, site')
      .option('--since <time>', 'only from this time on (ISO date/time)')
      .option('--limit <n>', 'at most this many rows', '50'),
  ).action((opts: AuditListOptions) =>
    withStore(opts, async (store) => {
      const { listAudit } = await import('../../store/audit-list.js');
      const limit = parseWhole(opts.limit, '--limit', 1, 10_000)!;
      const rows = await listAudit(store.ctx, {
        ...(opts.lock ? { lockId: (await lockNamed(store, opts.lock)).id } : {}),
        ...(opts.person ? { personId: (await personNamed(store, opts.person)).id } : {}),
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.since ? { since: parseInstant(opts.since, '--since') } : {}),
        limit,
      });
      if (opts.json) return writeJson(ctx.io, rows);
      if (rows.length === 0) return ctx.io.out('nothing recorded that matches\n');
      const names = await namesOf(store);
      const sites = await store.listSites();
      const site = sites.length === 1 ? sites[0]! : null;
      for (const r of rows) ctx.io.out(`${siteTime(r.at, site)}  ${sentence(r, names)}  (by ${r.actor})\n`);
    }),
  );
}
