import { z } from 'zod';
import { getModel } from '../../core/catalog/index.js';
import { generateCodes } from '../../core/codes/generator.js';
import { factoryState } from '../../core/codes/lock-state.js';
import { isKeywardError, KeywardError } from '../../core/errors.js';
import { credentialSource } from '../../store/calendars.js';
import type { Credential, Store } from '../../store/index.js';
import { recordReveal } from '../../store/server-queries.js';
import { cryptoRandom } from '../../sync/random.js';
import { CredentialListOut, CredentialOut } from '../api-types.js';
import { route } from '../route.js';
import { Digits, Id, IdParams, QueryFlag, Time, Window } from '../schemas.js';

const CredentialEdit = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    startsAt: Time.nullable().optional(),
    endsAt: Time.nullable().optional(),
    windows: z
      .array(Window)
      .max(28)
      .optional()
      .describe('weekly hours in the site time zone; empty: at all hours'),
    maxUses: z.number().int().min(1).max(1_000_000).nullable().optional().describe('use limit; null: none'),
    lockIds: z.array(Id).min(1).max(1000).optional().describe('every lock the code should be on'),
  })
  .strict();

const NewCredential = z
  .object({
    name: z.string().trim().min(1).max(200),
    code: Digits.optional().describe('the code to use; or generate: true'),
    generate: z.literal(true).optional().describe('draw a random code valid on every chosen lock'),
    length: z.number().int().min(4).max(10).optional().describe('with generate: the length wanted'),
    lockIds: z.array(Id).min(1).max(1000),
    kind: z.enum(['permanent', 'guest']).default('permanent'),
    personId: Id.nullable().optional(),
    startsAt: Time.nullable().optional(),
    endsAt: Time.nullable().optional(),
    windows: z
      .array(Window)
      .max(28)
      .optional()
      .describe('weekly hours in the site time zone; empty: at all hours'),
    maxUses: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .nullable()
      .optional()
      .describe('use limit; 1: a one-time code'),
  })
  .refine((v) => (v.code === undefined) !== (v.generate === undefined), {
    message: 'give either code or generate: true',
  });

/** Draws that the store refuses (a prefix taken on some lock) are redrawn a few times. */
const DRAWS = 8;

async function createGenerated(
  store: Store,
  input: Omit<Parameters<Store['addCredential']>[0], 'code'>,
  length: number | undefined,
): Promise<Credential & { code: string }> {
  const locks = await Promise.all(input.lockIds.map((id) => store.getLock(id)));
  // The generator sees each lock's model and rules; the store then checks the draw against the
  // codes really held, which only it can decrypt, and a refused draw is simply drawn again.
  const states = locks.map((l) => factoryState(getModel(l.model)));
  let last: unknown;
  for (let i = 0; i < DRAWS; i++) {
    const [code] = generateCodes(
      { locks: states, count: 1, ...(length ? { length } : {}) },
      cryptoRandom,
    ).codes;
    try {
      return { ...(await store.addCredential({ ...input, code: code! })), code: code! };
    } catch (e) {
      if (!isKeywardError(e) || e.code !== 'BAD_INPUT' || !e.details?.rejected) throw e;
      last = e;
    }
  }
  throw last instanceof KeywardError
    ? new KeywardError('NO_CODE_POSSIBLE', `no code found in ${DRAWS} draws: ${last.message}`, {
        ...last.details,
      })
    : last;
}

export const credentialRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/credentials',
    tag: 'credentials',
    summary: 'Create a code on one or more locks',
    access: 'manager',
    status: 201,
    body: NewCredential,
    response: CredentialOut,
    handler: async ({ deps, body, principal }) => {
      const store = deps.storeFor(principal);
      const input = {
        name: body.name,
        kind: body.kind,
        lockIds: body.lockIds,
        personId: body.personId ?? null,
        startsAt: body.startsAt ?? null,
        endsAt: body.endsAt ?? null,
        windows: body.windows ?? [],
        useLimit: body.maxUses ?? null,
      };
      let created: Credential;
      if (body.generate) created = await createGenerated(store, input, body.length);
      else {
        created = await store.addCredential({ ...input, code: body.code! });
      }
      deps.nudge(body.lockIds);
      // Made by hand, so from no calendar booking: the same shape as GET answers.
      return { ...created, source: null };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/credentials',
    tag: 'credentials',
    summary: 'List codes (never the codes themselves)',
    access: 'viewer',
    query: z.object({ lockId: Id.optional(), personId: Id.optional(), includeRevoked: QueryFlag }),
    response: CredentialListOut,
    handler: async ({ deps, query }) => ({
      credentials: await deps.store.listCredentials({
        ...(query.lockId ? { lockId: query.lockId } : {}),
        ...(query.personId ? { personId: query.personId } : {}),
        includeRevoked: query.includeRevoked,
      }),
    }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/credentials/:id',
    tag: 'credentials',
    summary: 'Read a code and its state on every lock; ?reveal=true shows the code',
    access: 'viewer',
    params: IdParams,
    query: z.object({ reveal: QueryFlag }),
    response: CredentialOut,
    handler: async ({ deps, params, query, principal }) => {
      if (query.reveal) {
        if (principal?.role === 'viewer')
          throw new KeywardError('FORBIDDEN', 'a viewer token may not reveal codes: it needs manager');
        const c = await deps.store.getCredential(params.id, { reveal: true });
        await recordReveal(deps.storeFor(principal).ctx, params.id);
        return { ...c, source: await credentialSource(deps.store.ctx, params.id) };
      }
      const c = await deps.store.getCredential(params.id);
      return { ...c, source: await credentialSource(deps.store.ctx, params.id) };
    },
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/credentials/:id',
    tag: 'credentials',
    summary:
      'Change a code in place (name, dates, weekly hours, use limit, locks): the digits and slots are kept',
    access: 'manager',
    params: IdParams,
    body: CredentialEdit,
    response: CredentialOut,
    handler: async ({ deps, params, body, principal }) => {
      const store = deps.storeFor(principal);
      const c = await store.editCredential(params.id, body);
      // Kept, added and dropped locks all appear among its locks; each may have work to do.
      deps.nudge(c.locks.map((l) => l.lockId));
      return { ...c, source: await credentialSource(deps.store.ctx, params.id) };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/credentials/:id',
    tag: 'credentials',
    summary: 'Revoke a code: it is removed from every lock',
    access: 'manager',
    params: IdParams,
    response: CredentialOut,
    handler: async ({ deps, params, principal }) => {
      const c = await deps.storeFor(principal).revokeCredential(params.id);
      deps.nudge(c.locks.map((l) => l.lockId));
      return c;
    },
  }),
];
