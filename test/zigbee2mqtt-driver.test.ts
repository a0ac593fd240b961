import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverEvent } from '../src/sync/driver.js';
import { Broker } from '../src/sync/zigbee2mqtt/broker.js';
import { ZigbeeHub } from '../src/sync/zigbee2mqtt/hub.js';
import { Zigbee2MqttLock } from '../src/sync/zigbee2mqtt/lock-driver.js';
import { BROKER_URL, skipWithoutBroker, uniqueBase } from './support/broker.js';
import { Z2MStandIn } from './support/z2m-standin.js';

const skip = await skipWithoutBroker();
const base = uniqueBase('driver');

describe.skipIf(skip)('the Zigbee2MQTT lock driver against a stand-in on the real broker', () => {
  const standIn = new Z2MStandIn(BROKER_URL, base);
  let broker: Broker;
  const lock = (device: string, exposePin: boolean) =>
    new Zigbee2MqttLock({ broker, device, baseTopic: base, slots: 30, exposePin, replyMs: 3000 });

  beforeAll(async () => {
    await standIn.start([
      {
        friendlyName: 'front',
        modelId: 'SMARTCODE_DEADBOLT_10_W3',
        model: '99140-031',
        buttons: 10,
        exposePin: true,
      },
      {
        friendlyName: 'side',
        modelId: 'SMARTCODE_DEADBOLT_5',
        model: '99100-045',
        buttons: 5,
        exposePin: true,
      },
      {
        friendlyName: 'masked',
        modelId: 'SMARTCODE_LEVER_5',
        model: '99120-021',
        buttons: 5,
        exposePin: false,
      },
    ]);
    broker = new Broker({ url: BROKER_URL });
    await broker.connected();
  });
  afterAll(async () => {
    await broker?.close();
    await standIn.stop();
  });

  it('sets a code with one set and confirms it with one get, never by the publish', async () => {
    const front = lock('front', true);
    const result = await front.setSlot(3, '2468');
    expect(result).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(standIn.slots('front')).toEqual({ '3': '2468' });
    expect(front.frames).toEqual({ set: 1, get: 1 });
    await front.close();
  });

  it('reads a cleared slot as empty although the merged state still holds its old pin_code', async () => {
    const front = lock('front', true);
    expect(await front.clearSlot(3)).toEqual({ ok: true, confirmedBy: 'read-back' });
    const merged = standIn.devices.get('front')!.merged.users['2'];
    expect(merged).toEqual({ status: 'available', pin_code: '2468' }); // the stale PIN is really there
    expect(await front.readSlot(3)).toBeUndefined();
    await front.close();
  });

  it('reports a code the lock refused as not set, found by the read-back', async () => {
    const side = lock('side', true);
    expect((await side.setSlot(1, '1357')).ok).toBe(true);
    // 2468 is 1357 on a 5-button keypad: the lock refuses it and Zigbee2MQTT says nothing.
    const refused = await side.setSlot(2, '2468');
    expect(refused).toMatchObject({ ok: false, error: 'failed_to_set', retryable: true });
    expect(standIn.slots('side')).toEqual({ '1': '1357' });
    await side.close();
  });

  it('confirms by status alone on a device that does not expose PINs, and reads codes as masked', async () => {
    const masked = lock('masked', false);
    expect(await masked.setSlot(5, '13579')).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(await masked.readSlot(5)).toBeNull();
    const report = await masked.read();
    expect(report.slots).toEqual({ '5': null });
    // one read-back for the set, one for readSlot, thirty for the whole read
    expect(masked.frames.get).toBe(32);
    await masked.close();
  });

  it('turns keypad actions into events: a code used, a code added and one deleted at the keypad', async () => {
    const front = lock('front', true);
    const events: DriverEvent[] = [];
    front.onEvent((e) => events.push(e));
    expect((await front.setSlot(7, '86420')).ok).toBe(true);
    await standIn.typeCode('front', '86420');
    await standIn.addAtKeypad('front', 9, '11223');
    await standIn.deleteAtKeypad('front', 9);
    await expect
      .poll(() => events.map((e) => e.type))
      .toEqual(expect.arrayContaining(['code-used', 'code-added-at-keypad', 'code-deleted-at-keypad']));
    expect(events.find((e) => e.type === 'code-used')).toMatchObject({ slot: 7 });
    expect(events.find((e) => e.type === 'code-added-at-keypad')).toMatchObject({ slot: 9, code: null });
    await front.close();
  });

  it('checks an unchanged lock by reading back only the slots holding codes, and sees a code lost silently', async () => {
    const front = lock('front', true);
    await front.read(); // what any first contact does: every user once
    const codes = standIn.slots('front');
    const expected = front.expectedChecksum(codes);
    const before = front.frames.get;
    expect(await front.checksum()).toBe(expected);
    expect(front.frames.get - before).toBe(Object.keys(codes).length);
    standIn.forgetSilently('front', 7);
    expect(await front.checksum()).not.toBe(expected);
    await front.setSlot(7, '86420');
    await front.close();
  });

  it('says the lock is unreachable when Zigbee2MQTT marks it offline, and refuses to send', async () => {
    const front = lock('front', true);
    const events: DriverEvent[] = [];
    front.onEvent((e) => events.push(e));
    await front.readSlot(7);
    await standIn.setAvailability('front', false);
    await expect.poll(() => events.some((e) => e.type === 'unreachable')).toBe(true);
    await expect(front.readSlot(7)).rejects.toThrow(/offline/);
    const write = await front.setSlot(8, '97531');
    expect(write).toMatchObject({ ok: false, error: 'unconfirmed', retryable: true });
    await standIn.setAvailability('front', true);
    await expect.poll(async () => front.readSlot(7).catch(() => 'failed')).toBe('86420');
    await front.close();
  });

  it('lets go of a shared broker connection once per lock, however often the lock is closed', async () => {
    const hub = new ZigbeeHub({ defaultUrl: BROKER_URL, replyMs: 3000 });
    try {
      const a = hub.openLock({ id: 'lock_a', model: '916' }, { device: 'front', baseTopic: base });
      const b = hub.openLock({ id: 'lock_b', model: '916' }, { device: 'side', baseTopic: base });
      await a.close();
      await a.close();
      // the second lock still holds the connection the first one shared
      expect(await b.setSlot(9, '86421')).toEqual({ ok: true, confirmedBy: 'read-back' });
      await b.close();
    } finally {
      await hub.close();
    }
  });
});
