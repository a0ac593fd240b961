import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { KeywardError } from '../src/core/errors.js';
import { SimClock } from '../src/sync/clock.js';
import type { ZWaveFault } from '../src/sync/zwave/faults.js';
import { ZWaveNetworks } from '../src/sync/zwave/registry.js';

describe('opening Z-Wave locks from their configuration', () => {
  it('fails with DRIVER_FAILED naming the port when the controller cannot be opened', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyward-noport-'));
    const networks = new ZWaveNetworks({ dataDir });
    try {
      const opening = networks.open({ driver: 'zwave', serialPort: '/dev/ttyUSB198', nodeId: 5 });
      await expect(opening).rejects.toBeInstanceOf(KeywardError);
      await expect(opening).rejects.toMatchObject({ code: 'DRIVER_FAILED' });
      await expect(opening).rejects.toThrow(/ttyUSB198/);
    } finally {
      await networks.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fails with DRIVER_FAILED when no zwave-js-server answers at the address', async () => {
    const networks = new ZWaveNetworks();
    const opening = networks.open({ driver: 'zwave-server', url: 'ws://127.0.0.1:9', nodeId: 5 });
    await expect(opening).rejects.toMatchObject({ code: 'DRIVER_FAILED' });
  });
});

describe('what a Z-Wave network drops', () => {
  it('reports a message from zwave-js-server that is not JSON to onFault, without repeating it', async () => {
    // A server that answers the two start-up commands, then sends one broken message.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        const { messageId, command } = JSON.parse(String(data)) as { messageId: string; command: string };
        const result = command === 'start_listening' ? { state: { nodes: [] } } : {};
        socket.send(JSON.stringify({ type: 'result', messageId, success: true, result }));
        if (command === 'start_listening') socket.send('{"userCode": "2580"');
      });
    });
    const port = (wss.address() as { port: number }).port;
    const faults: ZWaveFault[] = [];
    const networks = new ZWaveNetworks({}, { clock: new SimClock(42), onFault: (f) => faults.push(f) });
    try {
      await networks.discover({ url: `ws://127.0.0.1:${port}` });
      for (let i = 0; i < 100 && faults.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(faults).toEqual([
        {
          at: 42,
          target: `ws://127.0.0.1:${port}`,
          during: 'reading a message from zwave-js-server',
          message: 'a message of 19 characters that is not JSON was ignored',
        },
      ]);
    } finally {
      await networks.close();
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
