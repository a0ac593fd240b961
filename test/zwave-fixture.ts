import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZwavejsServer } from '@zwave-js/server';
import { type SecurityKeysConfig, zwaveOptions } from '../src/sync/zwave/options.js';
import type { MockKwiksetOptions } from './support/zwave-mock/kwikset-node.js';
import { type MockNetwork, startMockNetwork } from './support/zwave-mock/network.js';

export interface TestNetwork extends MockNetwork {
  dataDir: string;
  /** ws:// address of an in-process zwave-js-server on the same driver. */
  url: string;
  stop(): Promise<void>;
}

/** A TCP port nothing listens on now (127.0.0.1). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export const quietLogger = { error() {}, warn() {}, info() {}, debug() {} };

/** A zwave-js-server for this driver, started on 127.0.0.1:port, quiet, without mDNS. */
export async function serveDriver(driver: MockNetwork['driver'], port: number): Promise<ZwavejsServer> {
  const server = new ZwavejsServer(driver, {
    port,
    host: '127.0.0.1',
    logger: quietLogger,
    enableDNSServiceDiscovery: false,
  });
  await server.start(false);
  return server;
}

/** A mock Z-Wave network with Keyward's options, plus a zwave-js-server on it (127.0.0.1). */
export async function startTestNetwork(
  locks: MockKwiksetOptions[],
  securityKeys?: SecurityKeysConfig,
): Promise<TestNetwork> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-zwave-'));
  const network = await startMockNetwork({
    locks,
    driverOptions: zwaveOptions({ dataDir, ...(securityKeys ? { securityKeys } : {}) }),
  });
  const port = await freePort();
  const server = await serveDriver(network.driver, port);
  return {
    ...network,
    dataDir,
    url: `ws://127.0.0.1:${port}`,
    async stop() {
      await server.destroy();
      await network.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the probe holds; a loaded machine may take longer than a fixed pause. */
export async function until(what: string, probe: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lets the lock's notifications (sent a few ms after its ack) reach the driver. */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
