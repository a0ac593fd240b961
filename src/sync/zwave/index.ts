export { type DiscoveredLock, discoverOnDriver, discoverOnServer, matchModels } from './discovery.js';
export { ZWaveLockDriver, type ZWaveLockDriverOptions } from './lock-driver.js';
export { openZWaveLock, openZWaveServerLock, startZWaveNetwork, type ZWaveNetworkConfig } from './network.js';
export { type SecurityKeysConfig, zwaveCacheDir, zwaveOptions } from './options.js';
export { type ZWaveLockConfig, ZWaveNetworks } from './registry.js';
