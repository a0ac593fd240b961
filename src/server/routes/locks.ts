import { z } from 'zod';
import { getModel, MODELS } from '../../core/catalog/index.js';
import { KeywardError } from '../../core/errors.js';
import { DRIVERS } from '../../store/index.js';
import { lockFacts } from '../../store/lock-facts.js';
import { lockRisk } from '../../store/server-queries.js';
import {
  LockDetailOut,
  LockListOut,
  LockOut,
  LockRemovedOut,
  LockRiskOut,
  NewLockOut,
} from '../api-types.js';
import { batteryOf, codePhases, lockSummaries, publicLock, stateOf } from '../lock-summary.js';
import { reachableTarget, SerialPortPath, ServerUrl } from '../radio-input.js';
import { route } from '../route.js';
import { Digits, Id, IdParams, QueryFlag } from '../schemas.js';
import { zigbeeLockConfig, zigbeeLockProblems } from '../zigbee-lock.js';

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
    url: ServerUrl.optional(),
    serialPort: SerialPortPath.optional().describe('zwave: the Z-Wave stick (admin only)'),
    nodeId: z.number().int().min(1).max(4000).optional().describe('zwave, zwave-server: the node id'),
    device: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^#+]+$/, 'must not contain # or +')
      .optional()
      .describe("zigbee2mqtt: the lock's friendly name in Zigbee2MQTT"),
    baseTopic: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^#+]+$/, 'must not contain # or +')
      .optional()
      .describe("zigbee2mqtt: Zigbee2MQTT's base topic (default zigbee2mqtt)"),
    mqttUrl: z
      .string()
      .max(500)
      .optional()
      .describe(
        "zigbee2mqtt: the MQTT broker (default: the server's --mqtt); user and password come from the environment",
      ),
  })
  .superRefine((v, ctx) => {
    if (v.driver === 'zwave-server' && (!v.url || v.nodeId === undefined))
      ctx.addIssue({ code: 'custom', message: 'a zwave-server lock needs url and nodeId' });
    if (v.driver === 'zwave' && (!v.serialPort || v.nodeId === undefined))
      ctx.addIssue({ code: 'custom', message: 'a zwave lock needs serialPort and nodeId' });
    if (v.driver === 'zigbee2mqtt') {
      for (const problem of zigbeeLockProblems(v)) ctx.addIssue({ code: 'custom', message: problem });
    }
  });

export const lockRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/locks',
    tag: 'locks',
    summary: 'List locks with their state, what is coming, sync counts and battery',
    access: 'viewer',
    query: z.object({
      siteId: Id.optional(),
      codes: QueryFlag.describe('also where each code stands on each lock'),
    }),
    response: LockListOut,
    handler: async ({ deps, query }) => ({ locks: await lockSummaries(deps, query.siteId, query.codes) }),
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
      // A new server address or any stick is an admin's to configure (radio-input.ts).
      if (body.url)
        Object.assign(
          driverConfig,
          await reachableTarget(deps, principal, { url: body.url }, { configures: true }),
        );
      if (body.serialPort)
        Object.assign(
          driverConfig,
          await reachableTarget(deps, principal, { serialPort: body.serialPort }, { configures: true }),
        );
      if (body.nodeId !== undefined) driverConfig.nodeId = body.nodeId;
      if (body.driver === 'zigbee2mqtt') {
        if (!body.mqttUrl && !deps.zigbee.defaultUrl)
          throw new KeywardError(
            'BAD_INPUT',
            'mqttUrl is needed: this server was started without --mqtt, so it knows no MQTT broker',
          );
        if (!/zigbee/.test(getModel(body.model).radio))
          throw new KeywardError('BAD_INPUT', `model ${body.model} has no Zigbee radio`);
        Object.assign(driverConfig, zigbeeLockConfig(body));
      }
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
        const facts = (await lockFacts(deps.store.ctx, [view])).get(view.id)!;
        const { decided, fields } = stateOf(facts, deps.faults.get(view.id), deps.now());
        const phases = new Map(decided.slots.map((s) => [`${s.credentialId}:${s.slot}`, s]));
        const { driverConfig: _c, ...rest } = view;
        const body: z.input<typeof LockDetailOut> = {
          ...rest,
          slots: view.slots.map((s) => {
            const p = s.credentialId ? phases.get(`${s.credentialId}:${s.slot}`) : undefined;
            return p ? { ...s, phase: p.phase, problem: p.problem } : s;
          }),
          battery: batteryOf(view),
          ...fields,
          scheduled: codePhases(decided.slots.filter((s) => s.phase === 'scheduled')),
        };
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
    method: 'PATCH',
    url: '/api/v1/locks/:id',
    tag: 'locks',
    summary: 'Rename a lock',
    access: 'manager',
    params: IdParams,
    body: z.object({
      name: z.string().trim().min(1).max(200),
      version: z.number().int().min(1).optional().describe('refuse if the lock changed since'),
    }),
    response: LockOut,
    handler: async ({ deps, params, body, principal }) => {
      const store = deps.storeFor(principal);
      const lock = await store.renameLock(params.id, body.name, body.version);
      deps.nudge([params.id]);
      return publicLock(lock);
    },
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
