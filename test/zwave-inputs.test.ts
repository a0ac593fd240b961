import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { buildApp } from '../src/server/app.js';
import type { Role, Store } from '../src/store/index.js';
import { SimClock } from '../src/sync/clock.js';
import { ZWaveHub } from '../src/sync/zwave/hub.js';
import { ZWaveNetworks } from '../src/sync/zwave/registry.js';
import { Harness, TEST_KEY } from './store/dialects.js';
import { cli } from './support/fake-io.js';
import { bearer } from './support/server-app.js';
import { freePort } from './zwave-fixture.js';

/**
 * Issue 14, section 3: a serial port or server address is one rule everywhere, a stick and a
 * new server are an admin's to configure, the API cannot be used to probe hosts, and the open
 * networks are bounded. No Z-Wave network is needed: what is refused never reaches one.
 */
let harness: Harness;
let store: Store;
let hub: ZWaveHub;
let app: FastifyInstance;
const tokens = {} as Record<Role, string>;
const closers: Array<() => Promise<unknown>> = [];

const savedKey = process.env.KEYWARD_SECRET_KEY;

beforeAll(async () => {
  // The command line opens the same database with the same key.
  process.env.KEYWARD_SECRET_KEY = TEST_KEY.toString('hex');
  harness = new Harness();
  store = await harness.fresh('sqlite');
  for (const role of ['admin', 'manager', 'viewer'] as const)
    tokens[role] = (await store.createApiToken({ name: role, role })).token;
  hub = new ZWaveHub();
  ({ app } = await buildApp({ store, logLevel: false, web: false, zwave: hub }));
});

afterAll(async () => {
  await app?.close();
  await hub?.close();
  for (const close of closers) await close().catch(() => undefined);
  await harness?.cleanup();
  if (savedKey === undefined) delete process.env.KEYWARD_SECRET_KEY;
  else process.env.KEYWARD_SECRET_KEY = savedKey;
});

async function api(method: 'GET' | 'POST', url: string, role: Role, body?: unknown) {
  const res = await app.inject({
    method,
    url,
    headers: bearer(tokens[role]),
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
  return { status: res.statusCode, body: res.json() };
}

const zwaveLock = (serialPort: string) => ({
  name: 'Door',
  model: '910',
  driver: 'zwave',
  serialPort,
  nodeId: 5,
});
const serverLock = (url: string) => ({ name: 'Door', model: '910', driver: 'zwave-server', url, nodeId: 5 });

/** Servers that are not zwave-js-servers, each failing differently. */
async function impostors(): Promise<Record<string, string>> {
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => http.close(resolve)));
  const listening = async (wss: WebSocketServer) => {
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    closers.push(() => new Promise((resolve) => wss.close(resolve)));
    return wss;
  };
  const hangUp = await listening(new WebSocketServer({ port: 0, host: '127.0.0.1' }));
  hangUp.on('connection', (socket) => socket.close());
  const refuses = await listening(new WebSocketServer({ port: 0, host: '127.0.0.1' }));
  refuses.on('connection', (socket) =>
    socket.on('message', (data) => {
      const { messageId } = JSON.parse(String(data)) as { messageId: string };
      socket.send(
        JSON.stringify({ type: 'result', messageId, success: false, errorCode: 'schema_incompatible' }),
      );
    }),
  );
  const port = (s: { address(): unknown }) => (s.address() as { port: number }).port;
  return {
    closed: `ws://127.0.0.1:${await freePort()}`,
    http: `ws://127.0.0.1:${port(http)}`,
    hangUp: `ws://127.0.0.1:${port(hangUp)}`,
    refuses: `ws://127.0.0.1:${port(refuses)}`,
  };
}

describe('a serial port when a lock is added', () => {
  it('refuses a path that is not a Z-Wave stick with a 400 naming the field, storing nothing', async () => {
    const before = (await store.listLocks()).length;
    for (const path of ['/etc/passwd', '/dev/sda', '/dev/serial/by-id/../../sda', 'tcp://10.0.0.5:4001']) {
      for (const role of ['manager', 'admin'] as const) {
        const res = await api('POST', '/api/v1/locks', role, zwaveLock(path));
        expect(res, `${role} ${path}`).toMatchObject({ status: 400, body: { error: { code: 'BAD_INPUT' } } });
        expect(res.body.error.message).toMatch(
          /^body\.serialPort: must be the device path of a Z-Wave stick/,
        );
      }
    }
    expect((await store.listLocks()).length).toBe(before);
  });

  it('takes a stick only from an admin', async () => {
    const manager = await api('POST', '/api/v1/locks', 'manager', zwaveLock('/dev/ttyUSB0'));
    expect(manager).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(manager.body.error.message).toMatch(/^serialPort: only an admin/);
    const admin = await api('POST', '/api/v1/locks', 'admin', zwaveLock('/dev/ttyUSB0'));
    expect(admin.status).toBe(201);
    // Known now, but configuring a stick stays an admin's.
    expect((await api('POST', '/api/v1/locks', 'manager', zwaveLock('/dev/ttyUSB0'))).status).toBe(403);
  });

  it('refuses the same paths from the command line and the store, with exit 2', async () => {
    const site = await store.addSite({ name: 'Cabin' });
    await expect(
      store.addLock({
        siteId: site.id,
        name: 'D',
        model: '910',
        driver: 'zwave',
        driverConfig: { serialPort: '/etc/shadow', nodeId: 5 },
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const db = store.location.startsWith('/') ? store.location : store.location.replace(/^sqlite:/, '');
    const added = await cli([
      'lock',
      'add',
      'D',
      '--site',
      site.id,
      '--model',
      '910',
      '--driver',
      'zwave',
      '--config',
      '{"serialPort":"/proc/self/mem","nodeId":5}',
      '--db',
      db,
    ]);
    expect(added.code).toBe(2);
    expect(added.stderr).toMatch(/serialPort must be the device path of a Z-Wave stick/);
    const url = await cli([
      'lock',
      'add',
      'D',
      '--site',
      site.id,
      '--model',
      '910',
      '--driver',
      'zwave-server',
      '--config',
      '{"url":"http://10.0.0.5:22","nodeId":5}',
      '--db',
      db,
    ]);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/url must be the address of a zwave-js-server/);
    for (const argv of [
      ['zwave', 'discover', '--serial-port', '/etc/passwd', '--db', db],
      ['zwave', 'adopt', '--serial-port', '/dev/sda', '--node', '2', '--db', db],
      ['zwave', 'discover', '--url', 'tcp://10.0.0.5:22', '--db', db],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });
});

describe('a server address when a lock is added', () => {
  it('takes only ws:// and wss://, with a 400 naming the field', async () => {
    for (const url of ['http://hass:3000', 'file:///etc/passwd', 'ws://hass:3000/#x', 'ws://ha ss:3000']) {
      const res = await api('POST', '/api/v1/locks', 'admin', serverLock(url));
      expect(res, url).toMatchObject({ status: 400, body: { error: { code: 'BAD_INPUT' } } });
      expect(res.body.error.message).toMatch(/^body\.url: must be the address of a zwave-js-server/);
    }
  });

  it('takes a server no lock uses only from an admin; then a manager may add locks on it', async () => {
    const url = `ws://127.0.0.1:${await freePort()}`;
    const manager = await api('POST', '/api/v1/locks', 'manager', serverLock(url));
    expect(manager).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(manager.body.error.message).toMatch(/^url: only an admin/);
    expect((await api('POST', '/api/v1/locks', 'admin', serverLock(url))).status).toBe(201);
    expect((await api('POST', '/api/v1/locks', 'manager', { ...serverLock(url), nodeId: 6 })).status).toBe(
      201,
    );
  });
});

describe('listing the nodes of a network', () => {
  it('refuses a manager an address no lock uses and no admin registered, without trying it', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    closers.push(() => new Promise((resolve) => wss.close(resolve)));
    let connections = 0;
    wss.on('connection', () => connections++);
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
    const res = await api('GET', `/api/v1/zwave/nodes?url=${encodeURIComponent(url)}`, 'manager');
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const stick = await api('GET', '/api/v1/zwave/nodes?serialPort=%2Fdev%2FttyACM3', 'manager');
    expect(stick).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const adopt = await api('POST', '/api/v1/zwave/adopt', 'manager', { url, nodes: [{ nodeId: 2 }] });
    expect(adopt.status).toBe(403);
    expect(connections).toBe(0);
  });

  it('tells a manager one sentence however a known server fails, and an admin why', async () => {
    const servers = await impostors();
    const messages: Record<string, { manager: string; admin: string }> = {};
    for (const [how, url] of Object.entries(servers)) {
      expect((await api('POST', '/api/v1/locks', 'admin', serverLock(url))).status).toBe(201);
      const q = `/api/v1/zwave/nodes?url=${encodeURIComponent(url)}`;
      const manager = await api('GET', q, 'manager');
      const admin = await api('GET', q, 'admin');
      expect(manager.status, how).toBe(502);
      expect(admin.status, how).toBe(502);
      messages[how] = { manager: manager.body.error.message, admin: admin.body.error.message };
      expect(manager.body.error.message).toBe(`could not reach the Z-Wave server at ${url}`);
    }
    // The admin's reasons differ (that is what a manager must not learn).
    expect(new Set(Object.values(messages).map((m) => m.admin.replace(/127\.0\.0\.1:\d+/, ''))).size).toBe(4);
    const statuses = await api('GET', '/api/v1/zwave/networks', 'manager');
    for (const url of Object.values(servers)) {
      const status = statuses.body.networks.find((n: { target: string }) => n.target === url);
      expect(status.error).toBe(`could not reach the Z-Wave server at ${url}`);
    }
  }, 60_000);
});

describe('the open networks are bounded', () => {
  async function liveServers(n: number): Promise<{ urls: string[]; open: () => number }> {
    const urls: string[] = [];
    let open = 0;
    for (let i = 0; i < n; i++) {
      const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
      wss.on('connection', (socket) => {
        open++;
        socket.on('close', () => open--);
        socket.on('message', (data) => {
          const { messageId, command } = JSON.parse(String(data)) as { messageId: string; command: string };
          const result = command === 'start_listening' ? { state: { nodes: [{ nodeId: 5 }] } } : {};
          socket.send(JSON.stringify({ type: 'result', messageId, success: true, result }));
        });
      });
      await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
      closers.push(() => new Promise((resolve) => wss.close(resolve)));
      urls.push(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
    }
    return { urls, open: () => open };
  }

  const settle = async (probe: () => boolean) => {
    for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('keeps at most maxIdle discovery connections, closes idle ones, and keeps a bounded status list', async () => {
    const clock = new SimClock(1_000);
    const networks = new ZWaveNetworks({}, { clock, pool: { maxIdle: 2, idleMs: 60_000 } });
    closers.push(() => networks.close());
    const { urls, open } = await liveServers(6);
    for (const url of urls) await networks.discover({ url });
    await settle(() => open() <= 2);
    expect(open()).toBe(2);
    await clock.advance(60_001);
    await settle(() => open() === 0);
    expect(open()).toBe(0);
    // Addresses that never answer leave a status each, but only so many.
    for (let i = 0; i < 40; i++)
      await networks.discover({ url: `ws://127.0.0.1:${await freePort()}` }).catch(() => undefined);
    expect(networks.status().length).toBeLessThanOrEqual(32);
  }, 60_000);

  it("never closes a lock's connection for being idle or to make room, only once the lock lets go", async () => {
    const clock = new SimClock(1_000);
    const networks = new ZWaveNetworks({}, { clock, pool: { maxIdle: 0, idleMs: 1_000 } });
    closers.push(() => networks.close());
    const { urls, open } = await liveServers(2);
    const lock = await networks.openLock({ driver: 'zwave-server', url: urls[0]!, nodeId: 5 });
    await networks.discover({ url: urls[1]! });
    await clock.advance(1_001);
    await settle(() => open() === 1);
    expect(open()).toBe(1);
    expect(lock.gone()).toBeUndefined();
    lock.release?.();
    await clock.advance(1_001);
    await settle(() => open() === 0);
    expect(open()).toBe(0);
  });
});
