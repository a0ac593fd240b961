// Frames Keyward sends to a Kwikset Zigbee lock through Zigbee2MQTT, counted at a Zigbee2MQTT
// stand-in on the machine's Mosquitto: per changed code (a set and its one read-back), and to
// verify a lock that did not change, against reading all 30 users, in the same run. Every frame
// wakes a sleepy lock, so frames are the figure; wall time is shown but the stand-in answers in
// 5 ms where a real lock takes about a second.
// Run: npm run build && node bench/zigbee-frames.mjs [codes=10]
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { Broker } from '../dist/sync/zigbee2mqtt/broker.js';
import { Zigbee2MqttLock } from '../dist/sync/zigbee2mqtt/lock-driver.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { module: standInModule } = await runnerImport(join(ROOT, 'test/support/z2m-standin.ts'), {
  configFile: false,
  root: ROOT,
  logLevel: 'warn',
});
const BROKER = process.env.KEYWARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const CODES = Number(process.argv[2] ?? 10);
const base = `kwbench-z2m-${process.pid}`;
const standIn = new standInModule.Z2MStandIn(BROKER, base);
await standIn.start([
  {
    friendlyName: 'bench',
    modelId: 'SMARTCODE_DEADBOLT_10_W3',
    model: '99140-031',
    buttons: 10,
    exposePin: true,
  },
]);
const broker = new Broker({ url: BROKER });
await broker.connected();
const lock = new Zigbee2MqttLock({ broker, device: 'bench', baseTopic: base, slots: 30, exposePin: true });
const frames = standIn.devices.get('bench').frames;
const codeFor = (slot) => String(1000 + slot * 37) + String(slot % 10);

await lock.read(); // first contact: every user once, as the reconciler does
let t = performance.now();
let before = { ...frames };
for (let slot = 1; slot <= CODES; slot++) {
  const r = await lock.setSlot(slot, codeFor(slot));
  if (!r.ok) throw new Error(`slot ${slot}: ${r.message}`);
}
const change = { sets: frames.set - before.set, gets: frames.get - before.get, ms: performance.now() - t };

t = performance.now();
before = { ...frames };
const sum = await lock.checksum();
const verify = { gets: frames.get - before.get, ms: performance.now() - t };
if (sum !== lock.expectedChecksum(standIn.slots('bench')))
  throw new Error('checksum disagrees with the lock');

t = performance.now();
before = { ...frames };
await lock.read();
const readAll = { gets: frames.get - before.get, ms: performance.now() - t };

console.log(
  JSON.stringify({
    bench: 'zigbee-frames',
    codes: CODES,
    perChangedCode: { set: change.sets / CODES, get: change.gets / CODES },
    verifyUnchanged: { keyward: verify.gets, readAll30: readAll.gets },
    wallMs: {
      changeAll: Math.round(change.ms),
      verify: Math.round(verify.ms),
      readAll: Math.round(readAll.ms),
    },
  }),
);
await lock.close();
await broker.close();
await standIn.stop();
