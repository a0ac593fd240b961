import { z } from 'zod';
import { CSV_HEADER, csvField, csvRow } from '../../activity/csv.js';
import { readTime } from '../../core/access/time.js';
import { getModel } from '../../core/catalog/index.js';
import { KeywardError } from '../../core/errors.js';
import { parseInput } from '../../core/twin/index.js';
import { type ActivityFilter, listActivity } from '../../store/activity.js';
import { ActivityPageOut, KeypadOut } from '../api-types-activity.js';
import type { ServerDeps } from '../deps.js';
import { route } from '../route.js';
import { Id, IdParams } from '../schemas.js';

/** A time in a query string: ms since 1970 or ISO 8601 with a zone (the one rule of time.ts). */
const QueryTime = z.string().transform((v, ctx) => {
  const r = readTime(/^\d+$/.test(v) ? Number(v) : v);
  if (r.ok) return r.t;
  ctx.addIssue({ code: 'custom', message: r.message });
  return z.NEVER;
});

const EventsQuery = z.object({
  lockId: Id.optional(),
  credentialId: Id.optional(),
  personId: Id.optional(),
  type: z
    .string()
    .regex(
      /^[a-z_.]+(,[a-z_.]+)*$/,
      'must be event types separated by commas, such as code.used,guest.arrived',
    )
    .optional(),
  since: QueryTime.optional(),
  until: QueryTime.optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

const filterOf = (q: z.infer<typeof EventsQuery>): ActivityFilter => ({
  ...(q.lockId ? { lockId: q.lockId } : {}),
  ...(q.credentialId ? { credentialId: q.credentialId } : {}),
  ...(q.personId ? { personId: q.personId } : {}),
  ...(q.type ? { type: q.type.split(',') } : {}),
  ...(q.since !== undefined ? { since: q.since } : {}),
  ...(q.until !== undefined ? { until: q.until } : {}),
  ...(q.before ? { before: q.before } : {}),
});

/** Up to 100,000 events as CSV, newest first, page by page. */
async function csv(deps: ServerDeps, filter: ActivityFilter, max: number): Promise<string> {
  const names = new Map((await deps.store.listLocks()).map((l) => [l.id, l.name]));
  const lines = [CSV_HEADER.map(csvField).join(',')];
  let before = filter.before;
  let left = max;
  while (left > 0) {
    const page = await listActivity(deps.store.ctx, {
      ...filter,
      limit: Math.min(1000, left),
      ...(before ? { before } : {}),
    });
    for (const e of page.events) lines.push(csvRow(e, (id) => names.get(id)));
    left -= page.events.length;
    if (!page.next) break;
    before = page.next;
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const eventRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/events',
    tag: 'activity',
    summary: 'What happened at the locks, newest first (format=csv: a spreadsheet)',
    access: 'viewer',
    query: EventsQuery,
    response: ActivityPageOut,
    handler: async ({ deps, query, reply }) => {
      if (query.format === 'csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="keyward-activity.csv"')
          .send(await csv(deps, filterOf(query), query.limit ?? 100_000));
      return listActivity(deps.store.ctx, { ...filterOf(query), limit: query.limit ?? 50 });
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/events.csv',
    tag: 'activity',
    summary: 'What happened at the locks as CSV, newest first (the same filters)',
    access: 'viewer',
    query: EventsQuery,
    handler: async ({ deps, query, reply }) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="keyward-activity.csv"')
        .send(await csv(deps, filterOf(query), query.limit ?? 100_000)),
  }),
  route({
    method: 'POST',
    url: '/api/v1/locks/:id/keypad',
    tag: 'locks',
    summary: "A person at a simulated lock's keypad: a correct code and the confirm key open it",
    access: 'manager',
    params: IdParams,
    body: z.object({ inputs: z.array(z.record(z.string(), z.unknown())).min(1).max(500) }),
    response: KeypadOut,
    handler: async ({ deps, params, body }) => {
      const lock = await deps.store.getLock(params.id);
      if (lock.driver !== 'sim')
        throw new KeywardError(
          'UNSUPPORTED',
          `${lock.name} is a real lock: only a simulated lock has a keypad here`,
        );
      const model = getModel(lock.model);
      const inputs = body.inputs.map((raw, i) => parseInput(raw, model, `body.inputs[${i}]`));
      const answer = deps.keypad?.(lock.id, inputs) ?? null;
      if (!answer)
        throw new KeywardError(
          'CONFLICT',
          `${lock.name} is not running in this server yet (sync is off, or another server drives it): try again shortly`,
        );
      return answer;
    },
  }),
];
