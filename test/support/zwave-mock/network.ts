import {
  MockController,
  type MockControllerOptions,
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
import {
  installKwiksetBehaviors,
  type MockKwiksetOptions,
  mockKwiksetNodeOptions,
  wakeUp,
} from './kwikset-node.js';

/**
 * Request frames on the air per node (acks not counted): those the controller sends, each a
 * wake-up beam for a FLiRS lock, and those the lock sends back (reports, notifications).
 */
export class FrameCounter {
  private readonly sent = new Map<number, number>();
  private readonly received = new Map<number, number>();

  /** Frames the controller sent to the node. */
  count(nodeId: number): number {
    return this.sent.get(nodeId) ?? 0;
  }

  /** Frames the node sent to the controller. */
  fromNode(nodeId: number): number {
    return this.received.get(nodeId) ?? 0;
  }

  add(nodeId: number): void {
    this.sent.set(nodeId, this.count(nodeId) + 1);
  }

  addFromNode(nodeId: number): void {
    this.received.set(nodeId, this.fromNode(nodeId) + 1);
  }

  reset(): void {
    this.sent.clear();
    this.received.clear();
  }
}

export interface MockNetwork {
  driver: Driver;
  controller: MockController;
  nodes: Map<number, MockNode>;
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
  // The mock controller holds the same network keys as the driver, so securely included mock
  // locks (MockKwiksetOptions.securityClasses) speak S0/S2 with it.
  const keys = (options.driverOptions.securityKeys ?? {}) as MockControllerOptions['securityKeys'];
  const controller = await MockController.create({
    mockPort,
    serial,
    homeId: 0x4b657977,
    ownNodeId: 1,
    ...(keys ? { securityKeys: keys } : {}),
  });
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
    const sendToController = node.sendToController.bind(node);
    node.sendToController = (frame) => {
      if (frame.type === MockZWaveFrameType.Request) frames.addFromNode(node.id);
      return sendToController(frame);
    };
    node.defineBehavior(...createDefaultMockNodeBehaviors());
    installKwiksetBehaviors(node, lock);
    nodes.set(lock.nodeId, node);
  }

  const ready = new Promise<void>((resolve) => driver.once('all nodes ready', () => resolve()));
  continueStartup();
  // A sleeping node is interviewed only while awake: it wakes every second until it is done,
  // as a real one would after being woken by hand at inclusion.
  const sleepers = options.locks.filter((l) => l.sleeps).map((l) => nodes.get(l.nodeId)!);
  const nudge =
    sleepers.length === 0
      ? undefined
      : setInterval(() => {
          for (const node of sleepers) {
            const known = driver.ready ? driver.controller.nodes.get(node.id) : undefined;
            if (!known?.ready) void wakeUp(node).catch(() => undefined);
          }
        }, 1_000);
  void ready.then(() => clearInterval(nudge));
  if (options.waitForReady ?? true) await ready;

  return {
    driver,
    controller,
    nodes,
    frames,
    async close() {
      clearInterval(nudge);
      await driver.destroy();
      controller.destroy();
    },
  };
}
