import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeywardError } from '../src/core/errors.js';
import { ZWaveNetworks } from '../src/sync/zwave/registry.js';

describe('opening Z-Wave locks from their configuration', () => {
  it('fails with DRIVER_FAILED naming the port when the controller cannot be opened', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyward-noport-'));
    const networks = new ZWaveNetworks({ dataDir });
    try {
      const opening = networks.open({ driver: 'zwave', serialPort: '/dev/keyward-no-such-stick', nodeId: 5 });
      await expect(opening).rejects.toBeInstanceOf(KeywardError);
      await expect(opening).rejects.toMatchObject({ code: 'DRIVER_FAILED' });
      await expect(opening).rejects.toThrow(/keyward-no-such-stick/);
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
