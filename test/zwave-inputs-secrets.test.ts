import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import type { ZwavejsServer } from '@zwave-js/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import { buildApp } from '../src/server/app.js';
import { logSyncEvents, NO_SYNC, type SyncHandle, startSync } from '../src/server/sync.js';
import { change } from '../src/store/context.js';
import type { Role, Store } from '../src/store/index.js';
import { driverSettings, URL_SECRETS_KEY } from '../src/store/lock-config.js';
import { ZWaveHub } from '../src/sync/zwave/hub.js';
import { DIALECTS, Harness } from './store/dialects.js';
import { bearer } from './support/server-app.js';
import { mockSlots } from './support/zwave-mock/kwikset-node.js';
import { freePort, serveDriver, startTestNetwork, type TestNetwork } from './zwave-fixture.js';

/**
 * Issue 14, section 3: a password inside a zwave-js-server address. It reaches the server (the
 * driver connects with it), and nothing else: not a viewer's answers, not the audit log, not the
 * server's log, not the database file or its dump.
 */
const PASSWORD = 'Pw-s3cret-7f1aQ';
const USER = 'keyward-user';
const FRONT = { nodeId: 2, model: getModel('888'), codes: { 1: '2580' } };

let network: TestNetwork;
let zserver: ZwavejsServer;
let serverUrl: string;
let harness: Harness;
let store: Store;
let hub: ZWaveHub;
let sync: SyncHandle = NO_SYNC;
let app: FastifyInstance;
const tokens = {} as Record<Role, string>;
const logLines: string[] = [];
/** The Authorization header of every websocket upgrade the server received. */
const upgrades: Array<string | undefined> = [];

beforeAll(async () => {
  network = await startTestNetwork([FRONT]);
  const port = await freePort();
  zserver = await serveDriver(network.driver, port);
  (zserver as unknown as { server: { on(e: 'upgrade', f: (r: IncomingMessage) => void): void } }).server.on(
    'upgrade',
    (req) => upgrades.push(req.headers.authorization),
  );
  serverUrl = `ws://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  harness = new Harness();
  store = await harness.fresh('sqlite');
  for (const role of ['admin', 'manager', 'viewer'] as const)
    tokens[role] = (await store.createApiToken({ name: role, role })).token;
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  hub = new ZWaveHub({
    dataDir: network.dataDir,
    tuning: { notificationWaitMs: 400, attempts: 2, backoffMs: 20, callTimeoutMs: 5_000 },
    onFault: (f) =>
      logSyncEvents(app.log)({ type: 'error', lockId: null, during: f.during, message: f.message }),
  });
  ({ app } = await buildApp({
    store,
    logLevel: 'info',
    logStream,
    web: false,
    zwave: hub,
    nudge: (ids) => sync.nudge(ids),
  }));
  sync = await startSync(store, {
    zwave: hub,
    backoff: { baseMs: 200, maxMs: 1_000, suspendAfter: 100 },
    sweepEveryMs: 300,
    onEvent: logSyncEvents(app.log),
  });
}, 120_000);

afterAll(async () => {
  await sync.stop();
  await app?.close();
  await hub?.close();
  await zserver?.destroy().catch(() => undefined);
  await network?.stop();
  await harness?.cleanup();
});

async function api(method: 'GET' | 'POST', url: string, role: Role, body?: unknown) {
  const res = await app.inject({
    method,
    url,
    headers: bearer(tokens[role]),
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
  return { status: res.statusCode, body: res.json(), text: res.body };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a password in a zwave-js-server address', () => {
  let lockId: string;
  let downLockId: string;

  it('is what the driver connects with, and a credential reaches the lock', async () => {
    const added = await api('POST', '/api/v1/locks', 'admin', {
      name: 'Front door',
      model: '888',
      driver: 'zwave-server',
      url: serverUrl,
      nodeId: FRONT.nodeId,
    });
    expect(added.status).toBe(201);
    expect(added.text).not.toContain(PASSWORD);
    lockId = added.body.id;
    const created = await api('POST', '/api/v1/credentials', 'manager', {
      name: 'Ann',
      code: '3691',
      lockIds: [lockId],
      kind: 'permanent',
    });
    expect(created.status).toBe(201);
    await until('the code to be set', async () => {
      const { body } = await api('GET', `/api/v1/credentials/${created.body.id}`, 'viewer');
      return body.locks?.[0]?.status === 'set' ? true : undefined;
    });
    expect(Object.values(mockSlots(network.nodes.get(FRONT.nodeId)!))).toContain('3691');
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    expect(upgrades).toContain(basic);
    expect(upgrades.every((a) => a === basic)).toBe(true);
  }, 60_000);

  it("lets a manager list the known server's nodes by its bare address, with the stored password", async () => {
    const bare = serverUrl.replace(`${USER}:${PASSWORD}@`, '');
    const before = upgrades.length;
    const listed = await api(
      'GET',
      `/api/v1/zwave/nodes?url=${encodeURIComponent(bare)}&reveal=true`,
      'manager',
    );
    expect(listed.status).toBe(200);
    expect(listed.body.nodes.find((n: { nodeId: number }) => n.nodeId === 2).lockId).toBe(lockId);
    // One connection per server and password: discovery shares the lock's.
    expect(upgrades.length).toBe(before);
  });

  it('is left out of a failure to reach a server, for an admin too, and of the sync failures', async () => {
    const down = `ws://${USER}:${PASSWORD}@127.0.0.1:${await freePort()}`;
    const probe = await api('GET', `/api/v1/zwave/nodes?url=${encodeURIComponent(down)}`, 'admin');
    expect(probe.status).toBe(502);
    expect(probe.text).not.toContain(PASSWORD);
    const added = await api('POST', '/api/v1/locks', 'admin', {
      name: 'Shed',
      model: '888',
      driver: 'zwave-server',
      url: down,
      nodeId: 9,
    });
    downLockId = added.body.id;
    await api('POST', '/api/v1/credentials', 'manager', {
      name: 'Bo',
      code: '4812',
      lockIds: [downLockId],
      kind: 'permanent',
    });
    await until('the failure in the audit log', () =>
      store.ctx.db
        .selectFrom('audit_log')
        .select('detail')
        .where('subject_id', '=', downLockId)
        .where('action', 'in', ['sync.failed', 'sync.unreachable'])
        .executeTakeFirst(),
    );
    // A caller that puts an address in an audit row by hand gets it redacted too.
    await change(store.ctx, (_trx, audit) =>
      audit({ action: 'test.note', subjectType: 'zwave', subjectId: down, detail: { seen: [`at ${down}`] } }),
    );
  }, 60_000);

  it('never reaches a viewer, a manager, the audit log or the server log', async () => {
    const reads = [
      api('GET', `/api/v1/locks/${lockId}`, 'viewer'),
      api('GET', `/api/v1/locks/${downLockId}`, 'viewer'),
      api('GET', '/api/v1/locks', 'viewer'),
      api('GET', '/api/v1/audit?limit=500', 'viewer'),
      api('GET', '/api/v1/zwave/networks', 'manager'),
      api('GET', '/api/v1/zwave/networks', 'admin'),
      api('GET', '/api/v1/credentials', 'viewer'),
    ];
    for (const res of await Promise.all(reads)) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(PASSWORD);
    }
    const audit = (await api('GET', '/api/v1/audit?limit=500', 'viewer')).text;
    expect(audit).toContain('sync.');
    expect(audit).toContain('"test.note"');
    const log = logLines.join('');
    expect(log).toMatch(/sync: /);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(USER);
  });

  it('is in neither the database file nor its dump, only sealed', async () => {
    const dump = JSON.stringify(await store.dump());
    expect(dump).not.toContain(PASSWORD);
    const file = store.location.replace(/^sqlite:/, '');
    for (const name of readdirSync(dirname(file))) {
      const bytes = readFileSync(join(dirname(file), name));
      expect(bytes.includes(Buffer.from(PASSWORD)), name).toBe(false);
      expect(bytes.includes(Buffer.from(`${USER}:`)), name).toBe(false);
    }
    expect((await driverSettings(store.ctx, lockId)).url).toBe(serverUrl);
    expect((await store.getLock(lockId)).driverConfig.url).toBe(
      serverUrl.replace(`${USER}:${PASSWORD}@`, ''),
    );
  });
});

describe.each(DIALECTS)('server passwords at rest on %s', (dialect) => {
  const h = new Harness();
  afterAll(() => h.cleanup());

  it('seals a password an earlier version stored in the clear, once, when the store opens', async () => {
    const db = await h.database(dialect);
    const first = await h.open(db.url);
    const site = await first.addSite({ name: 'Home' });
    const lock = await first.addLock({
      siteId: site.id,
      name: 'Door',
      model: '888',
      driver: 'zwave-server',
      driverConfig: { url: 'ws://127.0.0.1:3000', nodeId: 2 },
    });
    // As an earlier version wrote it: the password in the clear, the sealing not yet done.
    const legacy = `ws://${USER}:${PASSWORD}@127.0.0.1:3000`;
    await first.ctx.db
      .updateTable('locks')
      .set({ driver_config: JSON.stringify({ url: legacy, nodeId: 2 }) })
      .where('id', '=', lock.id)
      .execute();
    await first.ctx.db.deleteFrom('meta').where('key', '=', URL_SECRETS_KEY).execute();
    expect((await first.getLock(lock.id)).driverConfig.url).toBe('ws://127.0.0.1:3000');
    const reopened = await h.open(db.url);
    const row = await reopened.ctx.db
      .selectFrom('locks')
      .select('driver_config')
      .where('id', '=', lock.id)
      .executeTakeFirstOrThrow();
    expect(row.driver_config).not.toContain(PASSWORD);
    expect(JSON.parse(row.driver_config)).toMatchObject({ url: 'ws://127.0.0.1:3000', nodeId: 2 });
    expect(await driverSettings(reopened.ctx, lock.id)).toEqual({ url: legacy, nodeId: 2 });
    expect(JSON.stringify(await reopened.dump())).not.toContain(PASSWORD);
    // Sealed under the lock's id: copied onto another lock, it does not open.
    const other = await reopened.addLock({
      siteId: site.id,
      name: 'Other',
      model: '888',
      driver: 'zwave-server',
      driverConfig: { url: 'ws://127.0.0.1:3001', nodeId: 3 },
    });
    await reopened.ctx.db
      .updateTable('locks')
      .set({ driver_config: row.driver_config })
      .where('id', '=', other.id)
      .execute();
    await expect(driverSettings(reopened.ctx, other.id)).rejects.toMatchObject({ code: 'WRONG_SECRET_KEY' });
  });

  it('seals a clear-text password that a restored backup brings in', async () => {
    const source = await h.fresh(dialect);
    const site = await source.addSite({ name: 'Home' });
    const lock = await source.addLock({
      siteId: site.id,
      name: 'Door',
      model: '888',
      driver: 'zwave-server',
      driverConfig: { url: 'ws://127.0.0.1:3000', nodeId: 2 },
    });
    const legacy = `ws://${USER}:${PASSWORD}@127.0.0.1:3000`;
    await source.ctx.db
      .updateTable('locks')
      .set({ driver_config: JSON.stringify({ url: legacy, nodeId: 2 }) })
      .where('id', '=', lock.id)
      .execute();
    const target = await h.fresh(dialect);
    await target.restore(await source.backup());
    expect(JSON.stringify(await target.dump())).not.toContain(PASSWORD);
    expect(await driverSettings(target.ctx, lock.id)).toEqual({ url: legacy, nodeId: 2 });
  });
});
