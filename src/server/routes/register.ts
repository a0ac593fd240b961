import { z } from 'zod';
import { auditPage } from '../../store/server-queries.js';
import { AuditPageOut, AuditReportOut, StatusOut } from '../api-types.js';
import { route } from '../route.js';
import { Id } from '../schemas.js';

export const registerRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/status',
    tag: 'register',
    summary: 'What is due: guests leaving, rotations, batteries, maintenance',
    access: 'viewer',
    query: z.object({ horizonDays: z.coerce.number().min(0).max(366).optional() }),
    response: StatusOut,
    handler: ({ deps, query }) =>
      deps.store.status(
        deps.now(),
        query.horizonDays === undefined ? undefined : query.horizonDays * 86_400_000,
      ),
  }),
  route({
    method: 'GET',
    url: '/api/v1/audit',
    tag: 'audit',
    summary: 'The audit log, newest first',
    access: 'viewer',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      // seq is a 32-bit integer column: a larger number is refused here, not by PostgreSQL (a 500).
      before: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
      subjectId: Id.optional(),
    }),
    response: AuditPageOut,
    handler: async ({ deps, query }) => ({
      entries: await auditPage(deps.store.ctx, {
        limit: query.limit,
        ...(query.before !== undefined ? { before: query.before } : {}),
        ...(query.subjectId ? { subjectId: query.subjectId } : {}),
      }),
    }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/audit/verify',
    tag: 'audit',
    summary: 'Verify the hash chain of the audit log',
    access: 'viewer',
    response: AuditReportOut,
    handler: ({ deps }) => deps.store.verifyAudit(),
  }),
];
