import { z } from 'zod';
import { KeywardError } from '../../core/errors.js';
import { change } from '../../store/context.js';
import { adoptLocks } from '../../sync/zwave/adopt.js';
import { listNodes } from '../../sync/zwave/listing.js';
import { describeTarget, type ZWaveTarget } from '../../sync/zwave/target.js';
import { reachableTarget, reachFailure, SerialPortPath, ServerUrl, unreachable } from '../radio-input.js';
import { route } from '../route.js';
import { Id, QueryFlag } from '../schemas.js';

const TargetFields = { url: ServerUrl.optional(), serialPort: SerialPortPath.optional() };

function targetOf(v: { url?: string | undefined; serialPort?: string | undefined }): ZWaveTarget {
  if (v.url !== undefined && v.serialPort !== undefined)
    throw new KeywardError('BAD_INPUT', 'give either url or serialPort, not both');
  if (v.url !== undefined) return { url: v.url };
  if (v.serialPort !== undefined) return { serialPort: v.serialPort };
  throw new KeywardError('BAD_INPUT', 'give url (a zwave-js-server) or serialPort (a Z-Wave stick)');
}

const NodeOut = z.object({
  nodeId: z.number(),
  label: z.string().nullable(),
  productType: z.number().nullable(),
  productId: z.number().nullable(),
  candidates: z
    .array(z.string())
    .describe('catalog models with this radio; several: choose one when adopting'),
  match: z.enum(['exact', 'ambiguous', 'unknown']),
  ready: z.boolean().describe('false while zwave-js is still interviewing it (codes not all known)'),
  codeCount: z.number(),
  slots: z.array(z.number()),
  masked: z.array(z.number()).describe('slots whose code the lock does not show'),
  lockId: z.string().nullable().describe('the register lock for this node, if already added'),
  codes: z.record(z.string(), z.string().nullable()).optional().describe('only with reveal=true'),
});

const NetworkOut = z.object({
  kind: z.enum(['zwave', 'zwave-server']),
  target: z.string(),
  state: z.enum(['connecting', 'connected', 'failed', 'closed']),
  error: z.string().nullable(),
  at: z.number(),
});

const AdoptBody = z.object({
  ...TargetFields,
  siteId: Id.optional().describe('default: the first site'),
  nodes: z
    .array(
      z.object({
        nodeId: z.number().int().min(1).max(4000),
        model: z.string().min(1).max(16).optional().describe('needed when discovery names several models'),
        name: z.string().trim().min(1).max(200).optional(),
      }),
    )
    .min(1)
    .max(232),
});

const AdoptOut = z.object({
  locks: z.array(
    z.object({
      lockId: z.string(),
      nodeId: z.number(),
      name: z.string(),
      model: z.string(),
      driver: z.enum(['zwave', 'zwave-server']),
      adopted: z.array(z.object({ slot: z.number(), credentialId: z.string(), personId: z.string() })),
      masked: z.array(z.number()),
    }),
  ),
});

export const zwaveRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/zwave/networks',
    tag: 'zwave',
    summary: 'Z-Wave networks in use: connected, or why not',
    access: 'manager',
    response: z.object({ networks: z.array(NetworkOut) }),
    // Only an admin reads why a network failed; others read that it could not be reached.
    handler: ({ deps, principal }) => ({
      networks: deps.zwave.status().map((n) =>
        principal?.role === 'admin' || n.error === null
          ? n
          : {
              ...n,
              error: unreachable(n.kind === 'zwave' ? { serialPort: n.target } : { url: n.target }),
            },
      ),
    }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/zwave/nodes',
    tag: 'zwave',
    summary: 'List the Kwikset locks on a Z-Wave network, with their codes counted',
    access: 'manager',
    query: z.object({
      ...TargetFields,
      reveal: QueryFlag,
      waitMs: z.coerce
        .number()
        .int()
        .min(0)
        .max(120_000)
        .optional()
        .describe('serialPort: wait this long for interviews to finish'),
    }),
    response: z.object({ nodes: z.array(NodeOut) }),
    handler: async ({ deps, query, principal }) => {
      const given = targetOf(query);
      const target = await reachableTarget(deps, principal, given, { configures: false });
      const [found, locks] = await Promise.all([
        deps.zwave.discover(target, query.waitMs ?? 0).catch((e: unknown) => {
          throw reachFailure(e, principal, given);
        }),
        deps.store.listLocks(),
      ]);
      if (query.reveal) {
        await change(deps.storeFor(principal).ctx, (_trx, audit) =>
          audit({
            action: 'zwave.reveal',
            subjectType: 'zwave',
            subjectId: describeTarget(target),
            detail: { nodes: found.map((f) => f.nodeId) },
          }),
        );
      }
      return { nodes: listNodes(found, target, locks, query.reveal) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/zwave/adopt',
    tag: 'zwave',
    summary: 'Add Z-Wave locks to the register with the codes they hold adopted as credentials',
    access: 'manager',
    status: 201,
    body: AdoptBody,
    response: AdoptOut,
    handler: async ({ deps, body, principal }) => {
      const given = targetOf(body);
      const target = await reachableTarget(deps, principal, given, { configures: true });
      const found = await deps.zwave.discover(target).catch((e: unknown) => {
        throw reachFailure(e, principal, given);
      });
      const locks = await adoptLocks(
        deps.storeFor(principal),
        {
          target,
          ...(body.siteId ? { siteId: body.siteId } : {}),
          nodes: body.nodes.map((n) => ({
            nodeId: n.nodeId,
            ...(n.model ? { model: n.model } : {}),
            ...(n.name ? { name: n.name } : {}),
          })),
        },
        found,
      );
      deps.nudge(locks.map((l) => l.lockId));
      return { locks };
    },
  }),
];
