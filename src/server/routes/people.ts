import { z } from 'zod';
import { PeopleOut, PersonOut, PersonRemovedOut } from '../api-types.js';
import { route } from '../route.js';
import { Id, IdParams } from '../schemas.js';

export const peopleRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/people',
    tag: 'people',
    summary: 'List people',
    access: 'viewer',
    query: z.object({ siteId: Id.optional() }),
    response: PeopleOut,
    handler: async ({ deps, query }) => ({ people: await deps.store.listPeople(query.siteId) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/people',
    tag: 'people',
    summary: 'Add a person',
    access: 'manager',
    status: 201,
    body: z.object({ name: z.string().trim().min(1).max(200), siteId: Id.nullable().optional() }),
    response: PersonOut,
    handler: ({ deps, body, principal }) =>
      deps.storeFor(principal).addPerson({ name: body.name, siteId: body.siteId ?? null }),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/people/:id',
    tag: 'people',
    summary: 'Remove a person and revoke every code they hold',
    access: 'manager',
    params: IdParams,
    response: PersonRemovedOut,
    handler: async ({ deps, params, principal }) => {
      const store = deps.storeFor(principal);
      const held = await store.listCredentials({ personId: params.id });
      const result = await store.removePerson(params.id);
      deps.nudge(held.flatMap((c) => c.locks.map((l) => l.lockId)));
      return { id: params.id, removed: true as const, ...result };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/sites',
    tag: 'sites',
    summary: 'List sites',
    access: 'viewer',
    handler: async ({ deps }) => ({ sites: await deps.store.listSites() }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/sites',
    tag: 'sites',
    summary: 'Add a site',
    access: 'admin',
    status: 201,
    body: z.object({
      name: z.string().trim().min(1).max(200),
      rotation: z.enum(['annual', 'quarterly']).optional(),
      tzOffsetMinutes: z.number().int().min(-840).max(840).optional(),
      timeZone: z.string().min(1).max(64).optional().describe('IANA time zone, e.g. America/New_York'),
    }),
    handler: ({ deps, body, principal }) => deps.storeFor(principal).addSite(body),
  }),
];
