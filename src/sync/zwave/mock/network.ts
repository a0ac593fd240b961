import {
  MockController,
  type MockNode,
  MockNode as MockNodeClass,
  MockZWaveFrameType,
} from '@zwave-js/testing';
import type { Driver, PartialZWaveOptions } from 'zwave-js';
import {
  createAndStartDriverWithMockPort,
  createDefaultMockControllerBehaviors,
  createDefaultMockNodeBehaviors,
} from 'zwave-js/Testing';
import { installKwiksetBehaviors, type MockKwiksetOptions, mockKwiksetNodeOptions } from './kwikset-node.js';

/** Frames the controller put on the air, per node: the radio cost that drains a lock's batteries. */
export class FrameCounter {
  private readonly counts = new Map<number, number>();

  count(nodeId: number): number {
    return this.counts.get(nodeId) ?? 0;
  }

  add(nodeId: number): void {
    this.counts.set(nodeId, this.count(nodeId) + 1);
  }

  reset(): void {
    this.counts.clear();
  }
}

export interface MockNetwork {
  driver: Driver;
  controller: MockController;
  nodes: Map<number, MockNode>;
  /** Request frames sent by the controller to each node (acks not counted). */
  frames: FrameCounter;
  close(): Promise<void>;
}

export interface MockNetworkOptions {
  locks: MockKwiksetOptions[];
  /** zwave-js options, built by zwaveOptions() so tests run what production runs. */
  driverOptions: PartialZWaveOptions;
  /** Wait for every node's interview (default true). */
  waitForReady?: boolean;
}

/**
 * A zwave-js driver on zwave-js's in-process mock controller with mock Kwikset locks: the real
 * driver, interview and CC code, without a radio.
 */
export async function startMockNetwork(options: MockNetworkOptions): Promise<MockNetwork> {
  const { driver, continueStartup, mockPort, serial } = await createAndStartDriverWithMockPort(
    options.driverOptions,
  );
  const controller = await MockController.create({ mockPort, serial, homeId: 0x4b657977, ownNodeId: 1 });
  controller.defineBehavior(...createDefaultMockControllerBehaviors());
  const frames = new FrameCounter();
  const sendToNode = controller.sendToNode.bind(controller);
  controller.sendToNode = (node, frame) => {
    if (frame.type === MockZWaveFrameType.Request) frames.add(node.id);
    return sendToNode(node, frame);
  };

  const nodes = new Map<number, MockNode>();
  for (const lock of options.locks) {
    const node = await MockNodeClass.create({ ...mockKwiksetNodeOptions(lock), controller });
    controller.addNode(node);
    node.defineBehavior(...createDefaultMockNodeBehaviors());
    installKwiksetBehaviors(node, lock);
    nodes.set(lock.nodeId, node);
  }

  const ready = new Promise<void>((resolve) => driver.once('all nodes ready', () => resolve()));
  continueStartup();
  if (options.waitForReady ?? true) await ready;

  return {
    driver,
    controller,
    nodes,
    frames,
    async close() {
      await driver.destroy();
      controller.destroy();
    },
  };
}
