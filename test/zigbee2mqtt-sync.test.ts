import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from '../src/server/serve.js';
import { BROKER_URL, skipWithoutBroker, uniqueBase } from './support/broker.js';
import { Z2MStandIn } from './support/z2m-standin.js';

const run = promisify(execFile);

interface ApiBody {
  id: string;
  slots: { slot: number; status: string; name: string | null }[];
  devices: { device: string; candidates: string[]; codes: boolean }[];
}
const skip = await skipWithoutBroker();

/** Zigbee locks as a host adds and uses them: `keyward serve --mqtt` with Zigbee2MQTT's stand-in. */
describe.skipIf(skip)('Zigbee2MQTT locks through the server', () => {
  const base = uniqueBase('z2m-sync');
  const standIn = new Z2MStandIn(BROKER_URL, base);
  const dir = mkdtempSync(join(tmpdir(), 'keyward-z2m-'));
  let server: Running;

  const api = async (method: string, path: string, body?: unknown) => {
    if (server.admin.kind !== 'created') throw new Error('a new data directory creates the admin token');
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.admin.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as ApiBody };
  };
  const slots = async (lockId: string) =>
    (await api('GET', `/api/v1/locks/${lockId}`)).body.slots as {
      slot: number;
      status: string;
      name: string | null;
    }[];

  beforeAll(async () => {
    await standIn.start([
      {
        friendlyName: 'porch',
        modelId: 'SMARTCODE_LEVER_5',
        model: '99120-021',
        buttons: 5,
        exposePin: true,
      },
      {
        friendlyName: 'garage',
        modelId: 'SMARTCODE_DEADBOLT_10_W3',
        model: '99140-031',
        buttons: 10,
        exposePin: true,
      },
      {
        friendlyName: 'old_kit',
        modelId: 'SMARTCODE_CONVERT_GEN1',
        model: '66492-001',
        buttons: 10,
        exposePin: false,
      },
    ]);
    // A code the owner typed in before Keyward knew the lock.
    await standIn.addAtKeypad('garage', 4, '90817');
    server = await startServer({
      port: 0,
      dataDir: dir,
      env: {},
      logLevel: false,
      web: false,
      mqtt: { url: BROKER_URL, discoveryPrefix: uniqueBase('ha'), instance: uniqueBase('i') },
    });
  });
  afterAll(async () => {
    await server?.close();
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the Kwikset locks Zigbee2MQTT knows, matched to models, and leaves out a conversion kit', async () => {
    const { status, body } = await api('GET', `/api/v1/zigbee/devices?baseTopic=${base}`);
    expect(status).toBe(200);
    expect(
      body.devices.map((d: { device: string; candidates: string[]; codes: boolean }) => [
        d.device,
        d.candidates,
        d.codes,
      ]),
    ).toEqual([
      ['garage', ['914'], true],
      ['porch', ['912'], true],
    ]);
  });

  it('lists them on the command line too', async () => {
    const { stdout } = await run(process.execPath, [
      'bin/keyward.js',
      'zigbee',
      'discover',
      '--mqtt',
      BROKER_URL,
      '--base-topic',
      base,
    ]);
    expect(stdout).toMatch(/garage\s+914\s+yes/);
    expect(stdout).toMatch(/porch\s+912\s+yes/);
    expect(stdout).not.toMatch(/old_kit/);
  });

  it('keeps the codes already on a newly added lock and shows them as not put there by Keyward', async () => {
    const { body } = await api('POST', '/api/v1/locks', {
      name: 'Garage',
      model: '914',
      driver: 'zigbee2mqtt',
      device: 'garage',
      baseTopic: base,
    });
    await expect
      .poll(async () => (await slots(body.id)).find((s) => s.slot === 4)?.status, { timeout: 15_000 })
      .toBe('unmanaged');
    expect(standIn.slots('garage')).toEqual({ '4': '90817' });
  });

  it('refuses a code that is a duplicate on a 5-button keypad before sending anything', async () => {
    const porch = (
      await api('POST', '/api/v1/locks', {
        name: 'Porch',
        model: '912',
        driver: 'zigbee2mqtt',
        device: 'porch',
        baseTopic: base,
      })
    ).body.id;
    const first = await api('POST', '/api/v1/credentials', {
      name: 'Cleaner',
      code: '13579',
      lockIds: [porch],
    });
    expect(first.status).toBe(201);
    await expect.poll(() => standIn.slots('porch'), { timeout: 15_000 }).toEqual({ '1': '13579' });
    const sets = standIn.devices.get('porch')!.frames.set;
    // 24680 is 13579 on buttons 1-2, 3-4, 5-6, 7-8, 9-0.
    const clash = await api('POST', '/api/v1/credentials', {
      name: 'Guest',
      code: '24680',
      lockIds: [porch],
    });
    expect(clash.status).toBeGreaterThanOrEqual(400);
    expect(clash.status).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 300));
    expect(standIn.devices.get('porch')!.frames.set).toBe(sets);
  });

  it('refuses a lock without a device, with a broker password in its address, or of a model with no Zigbee radio', async () => {
    const noDevice = await api('POST', '/api/v1/locks', { name: 'X', model: '914', driver: 'zigbee2mqtt' });
    expect(noDevice.status).toBe(400);
    expect(JSON.stringify(noDevice.body)).toMatch(/device/);
    const password = await api('POST', '/api/v1/locks', {
      name: 'X',
      model: '914',
      driver: 'zigbee2mqtt',
      device: 'x',
      mqttUrl: 'mqtt://user:secret@127.0.0.1:1883',
    });
    expect(password.status).toBe(400);
    expect(JSON.stringify(password.body)).not.toContain('secret');
    const noRadio = await api('POST', '/api/v1/locks', {
      name: 'X',
      model: '909',
      driver: 'zigbee2mqtt',
      device: 'x',
    });
    expect(noRadio.status).toBe(400);
    expect(JSON.stringify(noRadio.body)).toMatch(/Zigbee/);
  });
});
