// Radio frames Keyward sends to a Kwikset lock, counted at zwave-js's mock controller, against
// the naive way (set, then read back every slot). Every frame to a lock costs a wake-up beam
// (about 1 s on a FLiRS lock) and battery, so frames are the figure that matters; the mock's
// wall time is reported too but has no radio delays in it.
// The naive column is measured on its own lock, the same model, with zwave-js's own User Code API.
// Run: npm run build && node bench/zwave-frames.mjs
// The lock driver is the built one (dist/); the mock locks are test support, not part of the
// build, so they are loaded from their TypeScript source through Vite, as the tests load them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { getModel } from '../dist/core/catalog/index.js';
import { openZWaveLock } from '../dist/sync/zwave/network.js';
import { zwaveOptions } from '../dist/sync/zwave/options.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const {
  module: { startMockNetwork },
} = await runnerImport(join(ROOT, 'test/support/zwave-mock/network.ts'), {
  configFile: false,
  root: ROOT,
  logLevel: 'warn',
});

const SLOTS = 30;
const model = getModel('914');
/** Thirty codes whose first four digits all differ, so the lock takes every one. */
const codeFor = (slot) => String(1000 + slot * 37) + String(slot % 10);

const LOCKS = {
  keyward: 2, // empty, filled by Keyward
  naive: 3, // empty, filled the naive way
  silent: 4, // sends no notification after a set: Keyward must read back
  legacy: 5, // User Code v1: no checksum
};

const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bench-zwave-'));
const started = performance.now();
const network = await startMockNetwork({
  locks: [
    { nodeId: LOCKS.keyward, model },
    { nodeId: LOCKS.naive, model },
    { nodeId: LOCKS.silent, model, notifiesSets: false },
    { nodeId: LOCKS.legacy, model, userCodeVersion: 1, codes: { 1: '2580', 2: '3691' } },
  ],
  driverOptions: zwaveOptions({ dataDir }),
});
const startupMs = performance.now() - started;
const frames = (nodeId) => network.frames.count(nodeId);

// Keyward: each code set and confirmed through the lock driver.
const driver = openZWaveLock(network.driver, LOCKS.keyward, model);
network.frames.reset();
let t = performance.now();
for (let slot = 1; slot <= SLOTS; slot++) {
  const result = await driver.setSlot(slot, codeFor(slot));
  if (!result.ok) throw new Error(`slot ${slot}: ${result.error}`);
}
const keywardFillMs = performance.now() - t;
const keywardFillFrames = frames(LOCKS.keyward);
const keywardFillReplies = network.frames.fromNode(LOCKS.keyward);

network.frames.reset();
await driver.read();
const keywardVerifyFrames = frames(LOCKS.keyward);
network.frames.reset();
const changed = await driver.setSlot(7, '9753');
if (!changed.ok) throw new Error(`change: ${changed.error}`);
const keywardChangeFrames = frames(LOCKS.keyward);
await driver.close();

// Naive: set, then re-read every slot to see what the lock holds.
const api = network.driver.controller.nodes.get(LOCKS.naive).commandClasses['User Code'];
const readAll = async () => {
  for (let s = 1; s <= SLOTS; s++) await api.get(s);
};
network.frames.reset();
t = performance.now();
for (let slot = 1; slot <= SLOTS; slot++) {
  await api.set(slot, 1, codeFor(slot));
  await readAll();
}
const naiveFillMs = performance.now() - t;
const naiveFillFrames = frames(LOCKS.naive);
const naiveFillReplies = network.frames.fromNode(LOCKS.naive);
network.frames.reset();
await readAll();
const naiveVerifyFrames = frames(LOCKS.naive);

// A lock that does not notify: the set and one read-back.
const silent = openZWaveLock(network.driver, LOCKS.silent, model, { notificationWaitMs: 200 });
network.frames.reset();
for (let slot = 1; slot <= 5; slot++) await silent.setSlot(slot, codeFor(slot));
const silentPerCode = frames(LOCKS.silent) / 5;
await silent.close();

// A v1 lock has no checksum: verifying it costs one frame per slot.
const legacy = openZWaveLock(network.driver, LOCKS.legacy, model);
network.frames.reset();
await legacy.read();
const legacyVerifyFrames = frames(LOCKS.legacy);
await legacy.close();

await network.close();
rmSync(dataDir, { recursive: true, force: true });

const naivePerCode = naiveFillFrames / SLOTS;
const rows = [
  ['frames per changed code (lock notifies)', keywardFillFrames / SLOTS, naivePerCode],
  ['frames to change one code on a full lock', keywardChangeFrames, naivePerCode],
  ['frames per changed code (lock silent, read-back)', silentPerCode, naivePerCode],
  ['frames to verify an unchanged lock (checksum, v2)', keywardVerifyFrames, naiveVerifyFrames],
  ['frames to verify an unchanged lock (v1, no checksum)', legacyVerifyFrames, naiveVerifyFrames],
  ['frames, empty to 30 codes', keywardFillFrames, naiveFillFrames],
  ['frames the lock sends back, empty to 30 codes', keywardFillReplies, naiveFillReplies],
  ['air time, empty to 30 codes, at ~1 s per beam (s)', keywardFillFrames, naiveFillFrames],
  ['mock wall time, empty to 30 codes (ms)', Math.round(keywardFillMs), Math.round(naiveFillMs)],
];
console.log(`mock network start and interview of 4 locks: ${Math.round(startupMs)} ms`);
console.log('| figure | Keyward | naive | ratio |');
console.log('| --- | --- | --- | --- |');
for (const [name, ours, naive] of rows) {
  console.log(`| ${name} | ${ours} | ${naive} | ${(naive / ours).toFixed(1)}x |`);
}
