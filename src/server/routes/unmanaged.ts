import { z } from 'zod';
import { adoptUnmanaged, removeUnmanaged } from '../../store/unmanaged.js';
import { route } from '../route.js';
import { Id } from '../schemas.js';

const SlotParams = z.object({
  id: Id,
  slot: z.coerce.number().int().min(1).max(250),
});

export const unmanagedRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/locks/:id/slots/:slot/adopt',
    tag: 'locks',
    summary: 'Adopt an unmanaged code into the register (it stays on the lock and stays secret)',
    access: 'manager',
    status: 201,
    params: SlotParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(200).describe('what to call the code'),
        personId: Id.nullable().optional().describe('an existing person who holds it'),
        personName: z.string().trim().min(1).max(200).nullable().optional().describe('or a new person'),
      })
      .refine((v) => !(v.personId && v.personName), { message: 'give personId or personName, not both' }),
    response: z.object({
      lockId: z.string(),
      slot: z.number(),
      credentialId: z.string(),
      personId: z.string().nullable(),
    }),
    handler: async ({ deps, params, body, principal }) => {
      const r = await adoptUnmanaged(deps.storeFor(principal).ctx, {
        lockId: params.id,
        slot: params.slot,
        name: body.name,
        personId: body.personId ?? null,
        personName: body.personName ?? null,
      });
      deps.nudge([params.id]);
      return r;
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/locks/:id/slots/:slot/remove',
    tag: 'locks',
    summary: 'Have an unmanaged code taken off the lock (the reconciler removes it)',
    access: 'manager',
    status: 202,
    params: SlotParams,
    response: z.object({
      lockId: z.string(),
      slot: z.number(),
      credentialId: z.string().describe('a revoked credential that records what was there'),
      status: z.literal('removing'),
    }),
    handler: async ({ deps, params, principal }) => {
      const r = await removeUnmanaged(deps.storeFor(principal).ctx, { lockId: params.id, slot: params.slot });
      deps.nudge([params.id]);
      return r;
    },
  }),
];
