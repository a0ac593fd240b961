import type { StoreContext } from './context.js';
import type { AuditRow } from './server-queries.js';

/**
 * The audit log read the way a host asks for it: about one lock, one person (and their codes),
 * one kind of change, since a time. Newest first.
 */
export interface AuditFilter {
  lockId?: string;
  personId?: string;
  /** An action ("credential.edit") or its first word ("credential"). */
  kind?: string;
  since?: number;
  limit?: number;
}

export async function listAudit(ctx: StoreContext, filter: AuditFilter = {}): Promise<AuditRow[]> {
  let q = ctx.db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'detail']);
  if (filter.since !== undefined) q = q.where('at', '>=', filter.since);
  if (filter.kind) {
    const kind = filter.kind;
    q = q.where((eb) => eb.or([eb('action', '=', kind), eb('action', 'like', `${kind}.%`)]));
  }
  if (filter.lockId) {
    const lockId = filter.lockId;
    // Ids are random and never a part of another id: a row naming the lock in its detail is about it.
    q = q.where((eb) => eb.or([eb('subject_id', '=', lockId), eb('detail', 'like', `%"${lockId}"%`)]));
  }
  if (filter.personId) {
    const personId = filter.personId;
    const codes = await ctx.db
      .selectFrom('credentials')
      .select('id')
      .where('person_id', '=', personId)
      .execute();
    const ids = [personId, ...codes.map((c) => c.id)];
    q = q.where('subject_id', 'in', ids);
  }
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(filter.limit ?? 50)
    .execute();
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}
