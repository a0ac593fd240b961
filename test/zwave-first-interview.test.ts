import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import { discoverOnDriver } from '../src/sync/zwave/discovery.js';
import { zwaveCacheDir, zwaveOptions } from '../src/sync/zwave/options.js';
import { mockSlots } from './support/zwave-mock/kwikset-node.js';
import { type MockNetwork, startMockNetwork } from './support/zwave-mock/network.js';

const CODES = { 1: '1357', 2: '86420', 7: '97531' };
const lock = () => ({ nodeId: 2, model: getModel('910'), codes: { ...CODES } });

describe('the first interview of a lock that already holds codes', () => {
  let network: MockNetwork | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await network?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    network = undefined;
  });

  it('keeps every code when Keyward starts on it with an empty data directory, and caches inside it', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyward-first-'));
    network = await startMockNetwork({ locks: [lock()], driverOptions: zwaveOptions({ dataDir }) });
    expect(mockSlots(network.nodes.get(2)!)).toEqual(CODES);
    // ...and the interview read them, so they can be adopted without another frame.
    expect(discoverOnDriver(network.driver)[0]?.codes).toEqual(CODES);
    await network.close();
    network = undefined;
    expect(existsSync(zwaveCacheDir(dataDir))).toBe(true);
    expect(readdirSync(zwaveCacheDir(dataDir)).some((f) => f.endsWith('.jsonl'))).toBe(true);
  });

  it('would lose them with zwave-js defaults, which is why the option is not configurable', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyward-first-'));
    const defaults = { ...zwaveOptions({ dataDir }), interview: { queryAllUserCodes: false } };
    network = await startMockNetwork({ locks: [lock()], driverOptions: defaults });
    expect(mockSlots(network.nodes.get(2)!)).toEqual({});
  });

  it('always asks zwave-js to query user codes rather than clear them', () => {
    expect(zwaveOptions({ dataDir: '/data' }).interview?.queryAllUserCodes).toBe(true);
    expect(zwaveOptions({ dataDir: '/data' }).storage?.cacheDir).toBe(join('/data', 'zwave'));
  });

  it('refuses a security key that is not 16 bytes of hex', () => {
    expect(() => zwaveOptions({ securityKeys: { S0_Legacy: 'abc' } })).toThrow(/32 hex digits/);
    const keys = zwaveOptions({ securityKeys: { S2_AccessControl: '0123456789abcdef0123456789abcdef' } });
    expect(keys.securityKeys?.S2_AccessControl).toHaveLength(16);
  });
});
