import type { ZwavejsServer } from '@zwave-js/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import { buildApp } from '../src/server/app.js';
import { type SyncHandle, startSync } from '../src/server/sync.js';
import type { Role, Store } from '../src/store/index.js';
import { ZWaveHub } from '../src/sync/zwave/hub.js';
import { Harness } from './store/dialects.js';
import { bearer } from './support/server-app.js';
import { keypad, mockSlots } from './support/zwave-mock/kwikset-node.js';
import { freePort, serveDriver, startTestNetwork, type TestNetwork } from './zwave-fixture.js';

/**
 * `keyward serve` in-process driving Z-Wave locks on the mock network through a real websocket
 * to zwave-js-server: the reconciler, the API and discovery share one Z-Wave hub, as in serve.
 */
const FRONT = { nodeId: 2, model: getModel('888'), codes: { 1: '2580' } };
const PAIR = { nodeId: 3, model: getModel('910'), codes: { 1: '1357', 3: '97531' } };
const BACK = { nodeId: 4, model: getModel('914'), codes: {} };
const LATE = { nodeId: 5, model: getModel('916'), codes: { 2: '86420' } };
const STICK = { nodeId: 6, model: getModel('888'), codes: { 3: '7531' } };
/** The mock network's own driver stands in for Keyward's stick at this path. */
const STICK_PORT = '/dev/serial/by-id/usb-Keyward_Mock_Stick-if00';

let network: TestNetwork;
let harness: Harness;
let store: Store;
let hub: ZWaveHub;
let sync: SyncHandle;
let app: FastifyInstance;
const tokens = {} as Record<Role, string>;
/** Servers started by the tests themselves, on ports they chose, so they can be stopped. */
const ownServers: ZwavejsServer[] = [];

async function serverAt(port: number): Promise<ZwavejsServer> {
  const server = await serveDriver(network.driver, port);
  ownServers.push(server);
  return server;
}

beforeAll(async () => {
  network = await startTestNetwork([FRONT, PAIR, BACK, LATE, STICK]);
  harness = new Harness();
  store = await harness.fresh('sqlite');
  for (const role of ['admin', 'manager', 'viewer'] as const)
    tokens[role] = (await store.createApiToken({ name: role, role })).token;
  hub = new ZWaveHub({
    dataDir: network.dataDir,
    tuning: { notificationWaitMs: 400, attempts: 2, backoffMs: 20, callTimeoutMs: 5_000 },
  });
  (await hub.networks()).attach(STICK_PORT, network.driver);
  sync = await startSync(store, {
    zwave: hub,
    backoff: { baseMs: 300, maxMs: 1_500, suspendAfter: 100 },
    sweepEveryMs: 500,
  });
  ({ app } = await buildApp({ store, logLevel: false, web: false, nudge: sync.nudge, zwave: hub }));
}, 120_000);

afterAll(async () => {
  await sync?.stop();
  await app?.close();
  await hub?.close();
  for (const s of ownServers) await s.destroy().catch(() => undefined);
  await network?.stop();
  await harness?.cleanup();
});

async function api(method: 'GET' | 'POST', url: string, body?: unknown, role: Role = 'manager') {
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

function credentialOn(id: string, predicate: (l: { status: string; error: string | null }) => boolean) {
  return until(`credential ${id}`, async () => {
    const { body } = await api('GET', `/api/v1/credentials/${id}`);
    const lock = body.locks?.[0];
    return lock && predicate(lock) ? lock : undefined;
  });
}

describe('Z-Wave discovery over the API', () => {
  it('lists the Kwikset locks with their codes counted and shows the codes only when asked', async () => {
    const q = encodeURIComponent(network.url);
    // An admin's first use registers the server: managers may use it from then on.
    const listed = await api('GET', `/api/v1/zwave/nodes?url=${q}`, undefined, 'admin');
    expect(listed.status).toBe(200);
    const front = listed.body.nodes.find((n: { nodeId: number }) => n.nodeId === FRONT.nodeId);
    expect(front).toMatchObject({
      match: 'exact',
      candidates: ['888'],
      codeCount: 1,
      slots: [1],
      lockId: null,
    });
    expect(front.codes).toBeUndefined();
    expect(listed.text).not.toContain('2580');
    const pair = listed.body.nodes.find((n: { nodeId: number }) => n.nodeId === PAIR.nodeId);
    expect(pair).toMatchObject({ match: 'ambiguous', codeCount: 2 });

    const revealed = await api('GET', `/api/v1/zwave/nodes?url=${q}&reveal=true`);
    expect(revealed.body.nodes.find((n: { nodeId: number }) => n.nodeId === FRONT.nodeId).codes).toEqual({
      1: '2580',
    });
    const audit = await store.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'zwave.reveal')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('2580');
  });

  it('refuses a viewer, and a query without exactly one network', async () => {
    const q = encodeURIComponent(network.url);
    expect((await api('GET', `/api/v1/zwave/nodes?url=${q}`, undefined, 'viewer')).status).toBe(403);
    expect(
      (await api('POST', '/api/v1/zwave/adopt', { url: network.url, nodes: [{ nodeId: 2 }] }, 'viewer'))
        .status,
    ).toBe(403);
    const none = await api('GET', '/api/v1/zwave/nodes');
    expect(none).toMatchObject({ status: 400, body: { error: { code: 'BAD_INPUT' } } });
    const both = await api('GET', `/api/v1/zwave/nodes?url=${q}&serialPort=%2Fdev%2FttyUSB0`);
    expect(both.status).toBe(400);
    const file = await api('GET', '/api/v1/zwave/nodes?serialPort=%2Fetc%2Fpasswd');
    expect(file).toMatchObject({ status: 400, body: { error: { code: 'BAD_INPUT' } } });
    const elsewhere = `/api/v1/zwave/nodes?url=${encodeURIComponent(`ws://127.0.0.1:${await freePort()}`)}`;
    expect(await api('GET', elsewhere)).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN' } },
    });
    const nobody = await api('GET', elsewhere, undefined, 'admin');
    expect(nobody).toMatchObject({ status: 502, body: { error: { code: 'DRIVER_FAILED' } } });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/zwave/nodes', '/api/v1/zwave/adopt', '/api/v1/zwave/networks']),
    );
  });
});

describe('keyward serve driving a zwave-server lock', () => {
  let lockId: string;

  it('adopts a lock with its code as a credential already set, audited, in one change', async () => {
    const res = await api('POST', '/api/v1/zwave/adopt', {
      url: network.url,
      nodes: [{ nodeId: FRONT.nodeId, name: 'Front door' }],
    });
    expect(res.status).toBe(201);
    const [lock] = res.body.locks;
    expect(lock).toMatchObject({
      nodeId: 2,
      name: 'Front door',
      model: '888',
      driver: 'zwave-server',
      masked: [],
    });
    expect(lock.adopted).toHaveLength(1);
    lockId = lock.lockId;
    const credential = await api('GET', `/api/v1/credentials/${lock.adopted[0].credentialId}`);
    expect(credential.body).toMatchObject({ name: 'Adopted slot 1', kind: 'permanent' });
    expect(credential.body.locks).toEqual([expect.objectContaining({ lockId, slot: 1, status: 'set' })]);
    expect(credential.text).not.toContain('2580');
    const revealed = await api('GET', `/api/v1/credentials/${lock.adopted[0].credentialId}?reveal=true`);
    expect(revealed.body.code).toBe('2580');
    // Encrypted at rest like any other code.
    const row = await store.ctx.db
      .selectFrom('credentials')
      .select('code_enc')
      .where('id', '=', lock.adopted[0].credentialId)
      .executeTakeFirstOrThrow();
    expect(row.code_enc).not.toContain('2580');
    const actions = (await store.ctx.db.selectFrom('audit_log').select('action').execute()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['lock.add', 'person.add', 'credential.adopt', 'zwave.adopt']),
    );
    const listed = await api('GET', `/api/v1/zwave/nodes?url=${encodeURIComponent(network.url)}`);
    expect(listed.body.nodes.find((n: { nodeId: number }) => n.nodeId === 2).lockId).toBe(lockId);
  });

  it('refuses to adopt a node twice, or a shared-radio node without its model, writing nothing', async () => {
    const before = (await store.listLocks()).length;
    const again = await api('POST', '/api/v1/zwave/adopt', {
      url: network.url,
      nodes: [{ nodeId: FRONT.nodeId }],
    });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    const unsure = await api('POST', '/api/v1/zwave/adopt', {
      url: network.url,
      nodes: [{ nodeId: PAIR.nodeId }],
    });
    expect(unsure.status).toBe(400);
    expect(unsure.body.error.message).toMatch(/910 or 912/);
    const wrong = await api('POST', '/api/v1/zwave/adopt', {
      url: network.url,
      nodes: [{ nodeId: PAIR.nodeId, model: '914' }],
    });
    expect(wrong.status).toBe(400);
    expect((await store.listLocks()).length).toBe(before);
  });

  it('sends a new credential to the lock and shows it set', async () => {
    const created = await api('POST', '/api/v1/credentials', {
      name: 'Ann',
      code: '3691',
      lockIds: [lockId],
      kind: 'permanent',
    });
    expect(created).toMatchObject({ status: 201 });
    const lock = await credentialOn(created.body.id, (l) => l.status === 'set');
    expect(Object.values(mockSlots(network.nodes.get(FRONT.nodeId)!))).toEqual(
      expect.arrayContaining(['2580', '3691']),
    );
    expect(mockSlots(network.nodes.get(FRONT.nodeId)!)[lock.slot as unknown as number]).toBe('3691');
  }, 60_000);
});

describe('keyward serve driving a lock on its own stick (zwave driver)', () => {
  it('adopts the node through the stick and sends a new credential to it', async () => {
    const port = encodeURIComponent(STICK_PORT);
    // A stick is an admin's to open and configure.
    expect((await api('GET', `/api/v1/zwave/nodes?serialPort=${port}`)).status).toBe(403);
    const listed = await api('GET', `/api/v1/zwave/nodes?serialPort=${port}`, undefined, 'admin');
    expect(listed.status).toBe(200);
    expect(listed.body.nodes.find((n: { nodeId: number }) => n.nodeId === STICK.nodeId)).toMatchObject({
      match: 'exact',
      codeCount: 1,
      slots: [3],
    });
    const adopted = await api(
      'POST',
      '/api/v1/zwave/adopt',
      { serialPort: STICK_PORT, nodes: [{ nodeId: STICK.nodeId, name: 'Side door' }] },
      'admin',
    );
    expect(adopted).toMatchObject({ status: 201 });
    const [lock] = adopted.body.locks;
    expect(lock).toMatchObject({ driver: 'zwave', adopted: [expect.objectContaining({ slot: 3 })] });
    expect((await store.getLock(lock.lockId)).driverConfig).toEqual({ serialPort: STICK_PORT, nodeId: 6 });
    const created = await api('POST', '/api/v1/credentials', {
      name: 'Ed',
      code: '2468',
      lockIds: [lock.lockId],
      kind: 'permanent',
    });
    expect(created).toMatchObject({ status: 201 });
    await credentialOn(created.body.id, (l) => l.status === 'set');
    expect(Object.values(mockSlots(network.nodes.get(STICK.nodeId)!))).toEqual(
      expect.arrayContaining(['7531', '2468']),
    );
  }, 60_000);
});

describe('what a Z-Wave lock reports, in the register', () => {
  it("records a low-battery alarm as the lock's battery, shown by the API", async () => {
    const [lock] = (await store.listLocks()).filter((l) => l.driverConfig.nodeId === FRONT.nodeId);
    await keypad.batteryLow(network.nodes.get(FRONT.nodeId)!);
    const battery = await until('the battery reading', async () => {
      const { body } = await api('GET', `/api/v1/locks/${lock!.id}`);
      return body.battery ?? undefined;
    });
    expect(battery.voltsPerCell).toBeLessThanOrEqual(1.2);
    expect(battery.level).not.toBe('ok');
    const audit = await store.ctx.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'lock.battery')
      .where('subject_id', '=', lock!.id)
      .executeTakeFirstOrThrow();
    expect(audit.detail).toMatch(/"level":"low"/);
    keypad.newBatteries(network.nodes.get(FRONT.nodeId)!);
  });
});

describe('a zwave-js-server that is not there', () => {
  it('shows a retryable failed_to_set while the server is down and sets the code once it is back', async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    let server = await serverAt(port);
    // A server no lock uses yet: an admin's to add.
    const lock = await api(
      'POST',
      '/api/v1/locks',
      { name: 'Back door', model: '914', driver: 'zwave-server', url, nodeId: BACK.nodeId },
      'admin',
    );
    expect(lock).toMatchObject({ status: 201 });
    const first = await api('POST', '/api/v1/credentials', {
      name: 'Bo',
      code: '4812',
      lockIds: [lock.body.id],
      kind: 'permanent',
    });
    await credentialOn(first.body.id, (l) => l.status === 'set');

    await server.destroy();
    const second = await api('POST', '/api/v1/credentials', {
      name: 'Cy',
      code: '5923',
      lockIds: [lock.body.id],
      kind: 'permanent',
    });
    const failing = await credentialOn(second.body.id, (l) => l.error === 'failed_to_set');
    expect(failing.status).toBe('unset');
    const networks = await api('GET', '/api/v1/zwave/networks');
    expect(networks.body.networks).toContainEqual(
      expect.objectContaining({ target: url, state: expect.stringMatching(/failed|closed/) }),
    );
    const failure = await store.ctx.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'sync.failed')
      .where('subject_id', '=', lock.body.id)
      .executeTakeFirstOrThrow();
    expect(failure.detail).toMatch(/"retryable":true/);
    expect(failure.detail).toContain(url);

    server = await serverAt(port);
    await credentialOn(second.body.id, (l) => l.status === 'set' && l.error === null);
    expect(Object.values(mockSlots(network.nodes.get(BACK.nodeId)!))).toEqual(
      expect.arrayContaining(['4812', '5923']),
    );
  }, 90_000);

  it("keeps serving when a lock's server never answered, and drives the lock once it does", async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    // A server no lock uses yet: an admin's to add.
    const lock = await api(
      'POST',
      '/api/v1/locks',
      { name: 'Garage', model: '916', driver: 'zwave-server', url, nodeId: LATE.nodeId },
      'admin',
    );
    expect(lock).toMatchObject({ status: 201 });
    const created = await api('POST', '/api/v1/credentials', {
      name: 'Di',
      code: '70315',
      lockIds: [lock.body.id],
      kind: 'permanent',
    });
    await until('the network to be reported failed', async () => {
      const { body } = await api('GET', '/api/v1/zwave/networks');
      return body.networks.find(
        (n: { target: string; state: string }) => n.target === url && n.state === 'failed',
      );
    });
    await until('an unreachable audit row', async () =>
      store.ctx.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'sync.unreachable')
        .where('subject_id', '=', lock.body.id)
        .executeTakeFirst(),
    );
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // The code waiting for a lock never reached says why, in the credential and the lock's slots.
    await credentialOn(created.body.id, (l) => l.status === 'unset' && l.error === 'failed_to_set');
    const waiting = await api('GET', `/api/v1/locks/${lock.body.id}`);
    expect(waiting.body.slots).toContainEqual(
      expect.objectContaining({ credentialId: created.body.id, status: 'unset', error: 'failed_to_set' }),
    );

    await serverAt(port);
    await credentialOn(created.body.id, (l) => l.status === 'set' && l.error === null);
    // The code it already held is left alone and shown as unmanaged.
    expect(mockSlots(network.nodes.get(LATE.nodeId)!)).toMatchObject({ 2: '86420' });
    const view = await api('GET', `/api/v1/locks/${lock.body.id}`);
    expect(view.body.slots).toContainEqual(expect.objectContaining({ slot: 2, status: 'unmanaged' }));
  }, 90_000);
});
