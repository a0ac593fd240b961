import { z } from 'zod';
import { ROLES } from '../../store/index.js';
import { listApiTokens, revokeApiToken } from '../../store/server-queries.js';
import { MeOut, NewTokenOut, TokenListOut, TokenOut } from '../api-types.js';
import { route } from '../route.js';
import { IdParams, QueryFlag } from '../schemas.js';

export const tokenRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/me',
    tag: 'tokens',
    summary: 'Who this token is',
    access: 'viewer',
    response: MeOut,
    handler: ({ principal }) => ({ tokenId: principal!.tokenId, role: principal!.role }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/tokens',
    tag: 'tokens',
    summary: 'List API tokens (names and roles, never the secrets)',
    access: 'admin',
    query: z.object({ includeRevoked: QueryFlag }),
    response: TokenListOut,
    handler: async ({ deps, query }) => ({
      tokens: await listApiTokens(deps.store.ctx, { includeRevoked: query.includeRevoked }),
    }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/tokens',
    tag: 'tokens',
    summary: 'Create an API token (its secret is shown once, in this answer)',
    access: 'admin',
    status: 201,
    body: z.object({ name: z.string().trim().min(1).max(200), role: z.enum(ROLES) }),
    response: NewTokenOut,
    handler: ({ deps, body, principal }) => deps.storeFor(principal).createApiToken(body),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    tag: 'tokens',
    summary: 'Revoke an API token: refused here at once, by other instances within the auth cache time',
    access: 'admin',
    params: IdParams,
    response: TokenOut,
    handler: async ({ deps, params, principal }) => {
      const revoked = await revokeApiToken(deps.storeFor(principal).ctx, params.id);
      deps.auth.forget(revoked.id);
      return revoked;
    },
  }),
];
