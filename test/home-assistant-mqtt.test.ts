import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from '../src/server/serve.js';
import { BROKER_URL, skipWithoutBroker, uniqueBase } from './support/broker.js';
import { Z2MStandIn } from './support/z2m-standin.js';

const skip = await skipWithoutBroker();

/**
 * `keyward serve --mqtt` against the machine's Mosquitto: a subscriber in the place of Home
 * Assistant checks what it would discover, and a Zigbee2MQTT stand-in holds a real lock.
 */
describe.skipIf(skip)('Home Assistant discovery over MQTT', () => {
  const prefix = uniqueBase('ha');
  const instance = uniqueBase('inst');
  const z2mBase = uniqueBase('z2m');
  const standIn = new Z2MStandIn(BROKER_URL, z2mBase);
  const dir = mkdtempSync(join(tmpdir(), 'keyward-ha-'));
  let server: Running;
  let ha: MqttClient;
  /** Every message seen under the prefix and keyward/<instance>, in order (retained included). */
  const seen: { topic: string; payload: string; retain: boolean }[] = [];
  let zigbeeLock: string;
  let simLock: string;

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
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const configs = (lockId: string) =>
    new Map(
      seen
        .filter((m) => m.topic.startsWith(`${prefix}/`) && m.topic.includes(`/keyward_${lockId}/`))
        .map((m) => [m.topic.slice(prefix.length + 1), m.payload] as const),
    );

  beforeAll(async () => {
    await standIn.start([
      {
        friendlyName: 'back_door',
        modelId: 'SMARTCODE_DEADBOLT_10_W3',
        model: '99140-031',
        buttons: 10,
        exposePin: true,
      },
    ]);
    ha = await mqtt.connectAsync(BROKER_URL, { clientId: `${prefix}-ha` });
    ha.on('message', (topic, payload, packet) =>
      seen.push({ topic, payload: payload.toString(), retain: packet.retain }),
    );
    await ha.subscribeAsync([`${prefix}/#`, `keyward/${instance}/#`]);
    server = await startServer({
      port: 0,
      dataDir: dir,
      env: {},
      logLevel: false,
      web: false,
      simLatencyMs: 1,
      mqtt: { url: BROKER_URL, discoveryPrefix: prefix, instance, refreshMs: 500 },
    });
    simLock = (await api('POST', '/api/v1/locks', { name: 'Cabin 2', model: '914', driver: 'sim' }))
      .id as string;
    zigbeeLock = (
      await api('POST', '/api/v1/locks', {
        name: 'Back door',
        model: '914',
        driver: 'zigbee2mqtt',
        device: 'back_door',
        baseTopic: z2mBase,
      })
    ).id as string;
  });
  afterAll(async () => {
    await server?.close();
    // Retained configs of this run would otherwise stay on the broker.
    for (const m of seen.filter((x) => x.retain || x.topic.endsWith('/config')))
      await ha.publishAsync(m.topic, '', { retain: true });
    await ha?.endAsync();
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes one device per lock with its sync state, problem sensor, code-used event and resync button', async () => {
    await expect.poll(() => configs(simLock).size, { timeout: 5000 }).toBe(5);
    const c = configs(simLock);
    expect([...c.keys()].sort()).toEqual(
      [
        `binary_sensor/keyward_${simLock}/problem/config`,
        `button/keyward_${simLock}/resync/config`,
        `event/keyward_${simLock}/code_used/config`,
        `sensor/keyward_${simLock}/battery/config`,
        `sensor/keyward_${simLock}/sync_state/config`,
      ].sort(),
    );
    for (const [topic, payload] of c) {
      const body = JSON.parse(payload);
      expect(body.device.identifiers, topic).toContain(`keyward_${simLock}`);
      expect(body.availability, topic).toEqual([{ topic: `keyward/${instance}/status` }]);
      expect(body.unique_id, topic).toMatch(new RegExp(`^keyward_${simLock}_`));
    }
    expect(JSON.parse(c.get(`event/keyward_${simLock}/code_used/config`)!).event_types).toContain(
      'code_used',
    );
    expect(JSON.parse(c.get(`sensor/keyward_${simLock}/sync_state/config`)!).options).toEqual([
      'In step',
      'Syncing',
      'Needs a visit',
      'Problem',
    ]);
  });

  it('ties a Zigbee2MQTT lock to its Zigbee2MQTT device and leaves its battery to Zigbee2MQTT', async () => {
    await expect
      .poll(
        () => {
          const body = configs(zigbeeLock).get(`sensor/keyward_${zigbeeLock}/sync_state/config`);
          return body ? JSON.parse(body).device.connections : undefined;
        },
        { timeout: 5000 },
      )
      .toEqual([['zigbee', '0x000d6f0000000000']]);
    const device = JSON.parse(
      configs(zigbeeLock).get(`sensor/keyward_${zigbeeLock}/sync_state/config`)!,
    ).device;
    expect(device.identifiers).toEqual([`keyward_${zigbeeLock}`, 'zigbee2mqtt_0x000d6f0000000000']);
    expect(configs(zigbeeLock).get(`sensor/keyward_${zigbeeLock}/battery/config`) ?? '').toBe('');
  });

  it('says it is online, retained, on keyward/<instance>/status', async () => {
    await expect
      .poll(() => seen.filter((m) => m.topic === `keyward/${instance}/status`).at(-1)?.payload)
      .toBe('online');
  });

  it('sends a code_used event with the person and the slot, never the digits, when a code is used at the lock', async () => {
    const person = (await api('POST', '/api/v1/people', { name: 'Ana Lima' })).id as string;
    await api('POST', '/api/v1/credentials', {
      name: "Ana's code",
      code: '583920',
      lockIds: [zigbeeLock],
      personId: person,
    });
    await expect
      .poll(() => Object.values(standIn.slots('back_door')), { timeout: 10_000 })
      .toContain('583920');
    // Confirmed in the register (not only on the lock), so the use is matched to Ana.
    await expect
      .poll(
        async () =>
          ((await api('GET', `/api/v1/locks/${zigbeeLock}`)).slots as { status: string }[]).some(
            (s) => s.status === 'set',
          ),
        { timeout: 10_000 },
      )
      .toBe(true);
    await standIn.typeCode('back_door', '583920');
    const topic = `keyward/${instance}/lock/${zigbeeLock}/code_used`;
    await expect.poll(() => seen.find((m) => m.topic === topic)?.payload, { timeout: 5000 }).toBeDefined();
    const event = JSON.parse(seen.find((m) => m.topic === topic)!.payload);
    const slot = Number(Object.entries(standIn.slots('back_door')).find(([, c]) => c === '583920')![0]);
    expect(event).toEqual({ event_type: 'code_used', person: 'Ana Lima', slot });
    for (const m of seen) expect(m.payload, m.topic).not.toContain('583920');
  });

  it('publishes every config again when Home Assistant announces itself online', async () => {
    const before = seen.filter((m) => m.topic.endsWith('/config')).length;
    await ha.publishAsync(`${prefix}/status`, 'online');
    await expect
      .poll(() => seen.filter((m) => m.topic.endsWith('/config')).length - before)
      .toBeGreaterThanOrEqual(9);
  });

  it('reads the whole lock again when its resync button is pressed, and ignores a lock it did not publish', async () => {
    const frames = standIn.devices.get('back_door')!.frames;
    const gets = frames.get;
    await ha.publishAsync(`keyward/${instance}/lock/not-a-lock/resync`, 'PRESS');
    await ha.publishAsync(`keyward/${instance}/lock/${zigbeeLock}/resync`, 'PRESS');
    // All 30 users read back: the lock itself is compared with the register.
    await expect.poll(() => frames.get - gets, { timeout: 10_000 }).toBe(30);
  });

  it('removes a lock from Home Assistant with empty retained configs when it is removed', async () => {
    await api('DELETE', `/api/v1/locks/${simLock}`);
    const topic = `${prefix}/sensor/keyward_${simLock}/sync_state/config`;
    await expect
      .poll(() => seen.filter((m) => m.topic === topic).at(-1)?.payload, { timeout: 5000 })
      .toBe('');
  });

  it('leaves a last will: the broker says offline when Keyward vanishes without a word', async () => {
    server.homeAssistant!.broker.client.stream.destroy();
    await expect
      .poll(() => seen.filter((m) => m.topic === `keyward/${instance}/status`).at(-1)?.payload, {
        timeout: 5000,
      })
      .toBe('offline');
  });
});
