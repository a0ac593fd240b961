import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeStatus } from 'zwave-js';
import { getModel } from '../src/core/catalog/index.js';
import type { DriverEvent } from '../src/sync/driver.js';
import type { ZWaveLockDriver } from '../src/sync/zwave/lock-driver.js';
import { openZWaveLock, openZWaveServerLock } from '../src/sync/zwave/network.js';
import { fallAsleep, mockSlots, wakeUp } from './support/zwave-mock/kwikset-node.js';
import { startTestNetwork, type TestNetwork } from './zwave-fixture.js';

/**
 * A lock that sleeps (Wake Up CC) instead of listening for beams: zwave-js holds its frames until
 * it wakes. Keyward must not hang on it, must say so, must not stack frames for it, and the
 * change must land when it wakes.
 */
const SLEEPER = { nodeId: 2, model: getModel('914'), codes: { 1: '2580' }, sleeps: true };
const tuning = { notificationWaitMs: 400, attempts: 2, backoffMs: 20, callTimeoutMs: 1_500 };

let network: TestNetwork;

beforeAll(async () => {
  network = await startTestNetwork([SLEEPER]);
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each([
  ['zwave', 2, '3691'],
  ['zwave-server', 3, '4812'],
] as const)('a sleeping lock on the %s driver', (kind, slot, code) => {
  it('gets a visible retryable error, no stacked frames, and the change when it wakes', async () => {
    const mock = network.nodes.get(SLEEPER.nodeId)!;
    const node = network.driver.controller.nodes.get(SLEEPER.nodeId)!;
    const model = getModel('914');
    const driver: ZWaveLockDriver =
      kind === 'zwave'
        ? openZWaveLock(network.driver, SLEEPER.nodeId, model, tuning)
        : await openZWaveServerLock({ url: network.url, nodeId: SLEEPER.nodeId }, model, tuning);
    const events: DriverEvent[] = [];
    driver.onEvent((e) => events.push(e));
    try {
      fallAsleep(mock);
      const result = await driver.setSlot(slot, code);
      expect(result).toMatchObject({ ok: false, error: 'failed_to_set', retryable: true });
      expect(result.ok || result.message).toMatch(/asleep or out of range/);
      expect(events).toContainEqual(expect.objectContaining({ type: 'unreachable' }));
      await until('zwave-js to know it sleeps', () => node.status === NodeStatus.Asleep);

      // The reconciler's retry while it sleeps: zwave-js still holds the first frame.
      network.frames.reset();
      const again = await driver.setSlot(slot, code);
      expect(again).toMatchObject({ ok: false, error: 'failed_to_set', retryable: true });
      expect(again.ok || again.message).toMatch(/not yet taken the last frame for slot/);
      expect(network.frames.count(SLEEPER.nodeId)).toBe(0);
      expect(mockSlots(mock)[slot]).toBeUndefined();

      await wakeUp(mock);
      await until('the held set to reach the lock', () => mockSlots(mock)[slot] === code);
      // The lock's own report of the late set names the slot; the driver reads the code back
      // (waking the lock again if it went back to sleep) so the reconciler can match it.
      await until(
        'the late set to be reported',
        async () => {
          if (events.some((e) => e.type === 'code-added-at-keypad' && e.code === code)) return true;
          if (node.status === NodeStatus.Asleep) await wakeUp(mock);
          return false;
        },
        30_000,
      );
      expect(events).toContainEqual(expect.objectContaining({ type: 'code-added-at-keypad', slot, code }));
      expect(mockSlots(mock)).toMatchObject({ 1: '2580', [slot]: code });
    } finally {
      await driver.close();
    }
  }, 90_000);
});
