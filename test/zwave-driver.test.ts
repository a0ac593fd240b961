import { UserCodeCCGet } from '@zwave-js/cc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import type { DriverEvent } from '../src/sync/driver.js';
import { discoverOnDriver, discoverOnServer } from '../src/sync/zwave/discovery.js';
import type { ZWaveLockDriver } from '../src/sync/zwave/lock-driver.js';
import { openZWaveLock, openZWaveServerLock } from '../src/sync/zwave/network.js';
import { keypad, type MockKwiksetOptions, mockSlots } from './support/zwave-mock/kwikset-node.js';
import { settle, startTestNetwork, type TestNetwork, until } from './zwave-fixture.js';

/** Thirty codes with thirty different first-four-digit prefixes, as a full lock holds. */
function thirtyCodes(): Record<number, string> {
  const codes: Record<number, string> = {};
  for (let slot = 1; slot <= 30; slot++) codes[slot] = String(1000 + slot * 37);
  return codes;
}

/**
 * Each scenario has its own lock. Both drivers run every scenario on the same locks, one after
 * the other, so each scenario leaves its lock as it found it.
 */
const ROLES = {
  adopt: { at: 2, model: '910', codes: { 1: '1357', 3: '97531' } },
  writes: { at: 3, model: '914', codes: { 1: '2580' } },
  full: { at: 4, model: '914', codes: thirtyCodes(), reportedUsers: 31 },
  silent: { at: 5, model: '914', codes: { 1: '2580' }, notifiesSets: false },
  keypad: { at: 6, model: '916', codes: {} },
  unreachable: { at: 7, model: '914', codes: {} },
  mute: { at: 8, model: '914', codes: {}, notifiesSets: false },
} as const;

type Role = keyof typeof ROLES;
const KINDS = ['zwave', 'zwave-server'] as const;

function lockOptions(): MockKwiksetOptions[] {
  return Object.values(ROLES).map(({ at, model, ...rest }) => ({
    nodeId: at,
    model: getModel(model),
    ...rest,
  }));
}

let network: TestNetwork;
const tuning = { notificationWaitMs: 400, attempts: 2, backoffMs: 20, callTimeoutMs: 10_000 };

beforeAll(async () => {
  network = await startTestNetwork(lockOptions());
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe.each(KINDS)('the %s driver', (kind) => {
  const nodeId = (role: Role) => ROLES[role].at;
  const open = async (role: Role): Promise<ZWaveLockDriver> => {
    const model = getModel(ROLES[role].model);
    if (kind === 'zwave') return openZWaveLock(network.driver, nodeId(role), model, tuning);
    return openZWaveServerLock({ url: network.url, nodeId: nodeId(role) }, model, tuning);
  };
  const mock = (role: Role) => network.nodes.get(nodeId(role))!;
  const frames = (role: Role) => network.frames.count(nodeId(role));

  it('adopts the codes a lock already holds and verifies the lock with one checksum frame', async () => {
    const driver = await open('adopt');
    network.frames.reset();
    const report = await driver.read();
    expect(report.slots).toEqual({ 1: '1357', 3: '97531' });
    expect(frames('adopt')).toBe(1);
    // The register's view of the lock can be checked against the lock's own checksum.
    expect(driver.expectedChecksum({ 1: '1357', 3: '97531' })).toBe(await driver.checksum());
    expect(driver.expectedChecksum({ 1: '1357' })).not.toBe(await driver.checksum());
    await driver.close();
  });

  it('adds, changes and deletes a code, each confirmed by the lock with one frame', async () => {
    const driver = await open('writes');
    network.frames.reset();
    expect(await driver.setSlot(2, '3691')).toEqual({ ok: true, confirmedBy: 'notification' });
    expect(frames('writes')).toBe(1);
    expect(await driver.setSlot(2, '4812')).toEqual({ ok: true, confirmedBy: 'notification' });
    expect(mockSlots(mock('writes'))).toEqual({ 1: '2580', 2: '4812' });
    expect(await driver.clearSlot(2)).toEqual({ ok: true, confirmedBy: 'notification' });
    expect(mockSlots(mock('writes'))).toEqual({ 1: '2580' });
    expect(frames('writes')).toBe(3);
    await driver.close();
  });

  it('reports a duplicate refused with 0x0F and the lock keeps its codes', async () => {
    const driver = await open('writes');
    const result = await driver.setSlot(5, '25809');
    expect(result).toMatchObject({ ok: false, error: 'duplicate_on_device', retryable: false });
    expect(mockSlots(mock('writes'))).toEqual({ 1: '2580' });
    await driver.close();
  });

  it('sends nothing to confirm a slot that already holds the code but one read-back', async () => {
    const driver = await open('writes');
    network.frames.reset();
    expect(await driver.setSlot(1, '2580')).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(frames('writes')).toBe(1);
    await driver.close();
  });

  it('reports a full lock: a 31st code is refused with 0x13 and never stored', async () => {
    const driver = await open('full');
    const result = await driver.setSlot(31, '9876');
    expect(result).toMatchObject({ ok: false, error: 'no_free_slot' });
    expect(Object.keys(mockSlots(mock('full')))).toHaveLength(30);
    await driver.close();
  });

  it('refuses a slot beyond the lock without sending a frame', async () => {
    const driver = await open('writes');
    network.frames.reset();
    expect(await driver.setSlot(31, '9876')).toMatchObject({ ok: false, error: 'no_free_slot' });
    expect(frames('writes')).toBe(0);
    await driver.close();
  });

  it('confirms by reading the slot back when the lock sends no notification', async () => {
    const driver = await open('silent');
    // zwave-js's cache does not learn of a clear confirmed by notification, so each run takes
    // a slot the cache has never seen filled.
    const slot = kind === 'zwave' ? 2 : 4;
    network.frames.reset();
    expect(await driver.setSlot(slot, '3691')).toEqual({ ok: true, confirmedBy: 'read-back' });
    expect(frames('silent')).toBe(2);
    const refused = await driver.setSlot(3, '25801');
    expect(refused).toMatchObject({ ok: false, error: 'duplicate_on_device' });
    expect(refused.ok || refused.message).toContain(
      'slot 1 holds the same code or one with the same first four',
    );
    expect(refused.ok || refused.message).not.toMatch(/2580/);
    expect(mockSlots(mock('silent'))).toEqual({ 1: '2580', [slot]: '3691' });
    expect(await driver.clearSlot(slot)).toMatchObject({ ok: true });
    await driver.close();
  });

  it('emits keypad edits, code use and low battery as driver events', async () => {
    const driver = await open('keypad');
    const events: DriverEvent[] = [];
    driver.onEvent((e) => events.push(e));
    // The 916 remembers deleted codes, so each run adds a code of its own.
    const code = kind === 'zwave' ? '86420' : '75319';
    const seen = (type: DriverEvent['type']) => events.some((e) => e.type === type);
    expect(await keypad.addCode(mock('keypad'), 4, code)).toBe(true);
    // The addition is read back before the code is used and deleted, or it would read empty.
    await until('the keypad addition to be read back', () => seen('code-added-at-keypad'));
    await keypad.unlockWith(mock('keypad'), 4);
    await keypad.deleteCode(mock('keypad'), 4);
    await keypad.batteryLow(mock('keypad'));
    await until(
      'use, deletion and battery',
      () => seen('code-used') && seen('code-deleted-at-keypad') && seen('battery'),
    );
    // Time for a second report of the same alarm, had zwave-js sent one.
    await settle(300);
    const types = events.map((e) => e.type);
    expect(events).toContainEqual(expect.objectContaining({ type: 'code-added-at-keypad', slot: 4, code }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'code-used', slot: 4 }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'code-deleted-at-keypad', slot: 4 }));
    const battery = events.find((e) => e.type === 'battery');
    expect(battery).toMatchObject({ level: 'low' });
    expect(battery?.type === 'battery' && battery.voltsPerCell).toBeLessThanOrEqual(1.2);
    // One alarm is one event, though zwave-js reports a mapped alarm as values and a notification.
    expect(types.filter((t) => t === 'code-used')).toHaveLength(1);
    expect((await driver.read()).voltsPerCell).toBeLessThanOrEqual(1.2);
    keypad.newBatteries(mock('keypad'));
    await driver.close();
  });

  it('retries a lock that does not answer, then returns a visible error and an unreachable event', async () => {
    const driver = await open('unreachable');
    const events: DriverEvent[] = [];
    driver.onEvent((e) => events.push(e));
    mock('unreachable').autoAckControllerFrames = false;
    try {
      const result = await driver.setSlot(1, '3691');
      expect(result).toMatchObject({ ok: false, error: 'failed_to_set', retryable: true });
      expect(result.ok || result.message).toMatch(/did not answer .* after 2 attempt/);
      expect(events.filter((e) => e.type === 'unreachable')).toHaveLength(1);
    } finally {
      mock('unreachable').autoAckControllerFrames = true;
      await driver.close();
    }
  }, 60_000);

  it('calls a write unconfirmed when the lock acknowledges but never reports the slot', async () => {
    const driver = await open('mute');
    mock('mute').defineBehavior({
      handleCC: (_controller, _self, cc) => (cc instanceof UserCodeCCGet ? { action: 'stop' } : undefined),
    });
    const result = await driver.setSlot(1, '3691');
    expect(result).toMatchObject({ ok: false, error: 'unconfirmed', retryable: true });
    await driver.close();
  }, 60_000);
});

describe('discovery', () => {
  it('lists the Kwikset locks with their codes and names the catalog models they may be', async () => {
    const found = discoverOnDriver(network.driver);
    const adopt = found.find((l) => l.nodeId === ROLES.adopt.at);
    expect(adopt).toMatchObject({ match: 'ambiguous', codes: { 1: '1357', 3: '97531' }, ready: true });
    expect(adopt?.candidates).toEqual(expect.arrayContaining(['910', '912']));
    expect(found).toHaveLength(Object.keys(ROLES).length);
  });

  it('finds the same locks through zwave-js-server', async () => {
    const local = discoverOnDriver(network.driver);
    const remote = await discoverOnServer(network.url);
    const adopt = remote.find((l) => l.nodeId === ROLES.adopt.at);
    expect(adopt?.codes).toEqual(local.find((l) => l.nodeId === ROLES.adopt.at)?.codes);
    expect(remote.map((l) => l.nodeId)).toEqual(local.map((l) => l.nodeId));
  });
});
