import { z } from 'zod';
import { pastCredentials } from '../../store/people.js';
import { PastCredentialsOut, PeopleOut, PersonOut, PersonRemovedOut } from '../api-types.js';
import { route } from '../route.js';
import { Id, IdParams } from '../schemas.js';

export const peopleRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/people',
    tag: 'people',
    summary: 'List people; ?q= keeps those whose name contains it',
    access: 'viewer',
    query: z.object({ siteId: Id.optional(), q: z.string().max(200).optional() }),
    response: PeopleOut,
    handler: async ({ deps, query }) => {
      const text = query.q?.trim().toLowerCase();
      const people = await deps.store.listPeople(query.siteId);
      return { people: text ? people.filter((p) => p.name.toLowerCase().includes(text)) : people };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/past-guests',
    tag: 'people',
    summary: 'Past guests and revoked codes, latest first, with when each came off its locks',
    access: 'viewer',
    query: z.object({
      q: z.string().max(200).optional().describe("part of the code's or its holder's name"),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    }),
    response: PastCredentialsOut,
    handler: async ({ deps, query }) => ({
      past: await pastCredentials(deps.store.ctx, {
        at: deps.now(),
        ...(query.q ? { q: query.q } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      }),
    }),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/people/:id',
    tag: 'people',
    summary: 'Rename a person',
    access: 'manager',
    params: IdParams,
    body: z.object({
      name: z.string().trim().min(1).max(200),
      version: z.number().int().min(1).optional().describe('refuse if the person changed since'),
    }),
    response: PersonOut,
    handler: async ({ deps, params, body, principal }) => {
      const store = deps.storeFor(principal);
      const version = body.version ?? (await store.getPerson(params.id)).version;
      return store.renamePerson(params.id, body.name, version);
    },
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
