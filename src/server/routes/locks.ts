import { z } from 'zod';
import { MODELS } from '../../core/catalog/index.js';
import { KeywardError } from '../../core/errors.js';
import { DRIVERS } from '../../store/index.js';
import { lockRisk, syncCounts } from '../../store/server-queries.js';
import { LockDetailOut, LockListOut, LockRemovedOut, LockRiskOut, NewLockOut } from '../api-types.js';
import { batteryOf, publicLock, syncStateOf } from '../lock-summary.js';
import { route } from '../route.js';
import { Digits, Id, IdParams } from '../schemas.js';

const NewLock = z
  .object({
    name: z.string().trim().min(1).max(200),
    model: z
      .string()
      .min(1)
      .max(16)
      .describe(`model id: ${MODELS.map((m) => m.id).join(', ')}`),
    driver: z.enum(DRIVERS),
    siteId: Id.optional().describe('default: the first site (created if there is none)'),
    programmingCode: Digits.nullable().optional(),
    url: z
      .string()
      .regex(/^wss?:\/\/[^\s]+$/, 'must be ws://host:port')
      .optional()
      .describe('zwave-server: the zwave-js-server websocket'),
    serialPort: z.string().min(1).max(200).optional().describe('zwave: the Z-Wave stick'),
    nodeId: z.number().int().min(1).max(4000).optional().describe('zwave, zwave-server: the node id'),
  })
  .superRefine((v, ctx) => {
    if (v.driver === 'zwave-server' && (!v.url || v.nodeId === undefined))
      ctx.addIssue({ code: 'custom', message: 'a zwave-server lock needs url and nodeId' });
    if (v.driver === 'zwave' && (!v.serialPort || v.nodeId === undefined))
      ctx.addIssue({ code: 'custom', message: 'a zwave lock needs serialPort and nodeId' });
  });

export const lockRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/locks',
    tag: 'locks',
    summary: 'List locks with sync state and battery',
    access: 'viewer',
    query: z.object({ siteId: Id.optional() }),
    response: LockListOut,
    handler: async ({ deps, query }) => {
      const [locks, counts] = await Promise.all([
        deps.store.listLocks(query.siteId),
        syncCounts(deps.store.ctx),
      ]);
      return {
        locks: locks.map((l) => {
          const c = counts.get(l.id);
          return { ...publicLock(l), sync: { state: syncStateOf(c), ...(c ?? {}) } };
        }),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/locks',
    tag: 'locks',
    summary: 'Add a lock',
    access: 'manager',
    status: 201,
    body: NewLock,
    response: NewLockOut,
    handler: async ({ deps, body, principal }) => {
      const store = deps.storeFor(principal);
      let siteId = body.siteId;
      if (!siteId) {
        const sites = await store.listSites();
        siteId = sites[0]?.id ?? (await store.addSite({ name: 'Home' })).id;
      }
      const driverConfig: Record<string, unknown> = {};
      if (body.url) driverConfig.url = body.url;
      if (body.serialPort) driverConfig.serialPort = body.serialPort;
      if (body.nodeId !== undefined) driverConfig.nodeId = body.nodeId;
      const lock = await store.addLock({
        siteId,
        name: body.name,
        model: body.model,
        driver: body.driver,
        driverConfig,
        programmingCode: body.programmingCode ?? null,
      });
      deps.nudge([lock.id]);
      return { ...publicLock(lock), slots: [] };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/locks/:id',
    tag: 'locks',
    summary: 'Read a lock: its slots with sync status, battery and what changes next',
    access: 'viewer',
    params: IdParams,
    response: LockDetailOut,
    handler: async ({ deps, params, reply }) => {
      // Kept serialized: a hot lock is read far more often than it changes.
      const json = await deps.lockViews.get(params.id, async () => {
        const view = await deps.store.lockView(params.id);
        const { driverConfig: _c, ...rest } = view;
        const body: z.input<typeof LockDetailOut> = { ...rest, battery: batteryOf(view) };
        return JSON.stringify(body);
      });
      return reply.type('application/json; charset=utf-8').send(json);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/locks/:id/risk',
    tag: 'locks',
    summary: 'Deleted-code memory and brute-force exposure of a lock',
    access: 'viewer',
    params: IdParams,
    response: LockRiskOut,
    handler: ({ deps, params }) => lockRisk(deps.store.ctx, params.id),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/locks/:id',
    tag: 'locks',
    summary: 'Remove a lock from the register',
    access: 'admin',
    params: IdParams,
    // version is a 32-bit integer column: a larger number is refused here, not by PostgreSQL.
    query: z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647).optional() }),
    response: LockRemovedOut,
    handler: async ({ deps, params, query, principal }) => {
      const store = deps.storeFor(principal);
      const lock = await store.getLock(params.id);
      if (query.version !== undefined && query.version !== lock.version)
        throw new KeywardError('CONFLICT', `${lock.id} is at version ${lock.version}, not ${query.version}`);
      await store.removeLock(params.id, query.version);
      deps.nudge([params.id]);
      return { id: params.id, removed: true as const };
    },
  }),
];
