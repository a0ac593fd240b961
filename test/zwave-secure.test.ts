import { Security2CCMessageEncapsulation, SecurityCCCommandEncapsulation, UserCodeCCSet } from '@zwave-js/cc';
import { SecurityClass } from '@zwave-js/core';
import { MockZWaveFrameType } from '@zwave-js/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import type { DriverEvent } from '../src/sync/driver.js';
import { discoverOnDriver } from '../src/sync/zwave/discovery.js';
import type { ZWaveLockDriver } from '../src/sync/zwave/lock-driver.js';
import { openZWaveLock, openZWaveServerLock } from '../src/sync/zwave/network.js';
import { keypad, mockSlots } from './support/zwave-mock/kwikset-node.js';
import { settle, startTestNetwork, type TestNetwork } from './zwave-fixture.js';

/**
 * Locks included securely, as Kwikset locks usually are (S0 on older modules, S2 Access Control
 * on newer ones). The mock controller holds the same network keys as Keyward's driver; every
 * frame between them is encrypted by zwave-js's own S0/S2 code.
 */
const KEYS = {
  S0_Legacy: '0f0e0d0c0b0a09080706050403020100',
  S2_Unauthenticated: '2123456789abcdef0123456789abcdef',
  S2_Authenticated: '1123456789abcdef0123456789abcdef',
  S2_AccessControl: '0123456789abcdef0123456789abcdef',
};
const LOCKS = {
  s2: {
    nodeId: 2,
    model: getModel('888'),
    codes: { 1: '2580' },
    securityClasses: [SecurityClass.S2_AccessControl],
  },
  s0: { nodeId: 3, model: getModel('888'), codes: { 1: '2580' }, securityClasses: [SecurityClass.S0_Legacy] },
};
const tuning = { notificationWaitMs: 400, attempts: 2, backoffMs: 20, callTimeoutMs: 10_000 };

let network: TestNetwork;

beforeAll(async () => {
  network = await startTestNetwork(Object.values(LOCKS), KEYS);
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe.each([
  ['S2 Access Control', 's2', SecurityClass.S2_AccessControl],
  ['S0', 's0', SecurityClass.S0_Legacy],
] as const)('a lock included with %s', (_name, which, securityClass) => {
  const lock = LOCKS[which];

  it('is interviewed securely and keeps the codes it holds', () => {
    const node = network.driver.controller.nodes.get(lock.nodeId)!;
    expect(node.getHighestSecurityClass()).toBe(securityClass);
    expect(mockSlots(network.nodes.get(lock.nodeId)!)).toMatchObject({ 1: '2580' });
    expect(discoverOnDriver(network.driver).find((l) => l.nodeId === lock.nodeId)?.codes).toEqual({
      1: '2580',
    });
  });

  it.each(['zwave', 'zwave-server'] as const)(
    'takes, refuses and reports codes over the secure channel (%s driver)',
    async (kind) => {
      const model = getModel('888');
      const driver: ZWaveLockDriver =
        kind === 'zwave'
          ? openZWaveLock(network.driver, lock.nodeId, model, tuning)
          : await openZWaveServerLock({ url: network.url, nodeId: lock.nodeId }, model, tuning);
      const events: DriverEvent[] = [];
      driver.onEvent((e) => events.push(e));
      const mock = network.nodes.get(lock.nodeId)!;
      // 5-button pad: each run uses codes on buttons the other run does not.
      const [slot, code, clash] = kind === 'zwave' ? [2, '3691', '25803'] : [3, '4813', '25805'];
      try {
        mock.clearReceivedControllerFrames();
        expect(await driver.setSlot(slot, code)).toEqual({ ok: true, confirmedBy: 'notification' });
        // The set went out encrypted: a User Code frame sent in the clear would be refused.
        const wrapper = which === 's2' ? Security2CCMessageEncapsulation : SecurityCCCommandEncapsulation;
        mock.assertReceivedControllerFrame(
          (f) => f.type === MockZWaveFrameType.Request && f.payload instanceof wrapper,
          { errorMessage: 'no encrypted frame reached the lock' },
        );
        mock.assertReceivedControllerFrame(
          (f) => f.type === MockZWaveFrameType.Request && f.payload instanceof UserCodeCCSet,
          { noMatch: true, errorMessage: 'a User Code Set went out in the clear' },
        );
        expect(await driver.setSlot(slot + 2, clash)).toMatchObject({
          ok: false,
          error: 'duplicate_on_device',
        });
        expect(await driver.clearSlot(slot)).toEqual({ ok: true, confirmedBy: 'notification' });
        expect(mockSlots(mock)).toEqual({ 1: '2580' });
        await keypad.unlockWith(mock, 1);
        await settle(300);
        expect(events).toContainEqual(expect.objectContaining({ type: 'code-used', slot: 1 }));
      } finally {
        await driver.close();
      }
    },
    60_000,
  );
});
