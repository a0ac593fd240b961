// Home Assistant discovery for 1,000 locks, through the machine's Mosquitto: from the bridge's
// start to the moment a subscriber standing in for Home Assistant has every retained config
// (5 per lock) and every lock's state. The source is in memory, so the figure is the bridge and
// the broker, not the database.
// Run: npm run build && node bench/mqtt-discovery.mjs [locks=1000]
import mqtt from 'mqtt';
import { HomeAssistantBridge } from '../dist/mqtt/home-assistant.js';

const LOCKS = Number(process.argv[2] ?? 1000);
const BROKER = process.env.KEYWARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const prefix = `kwbench-${process.pid}`;
const instance = `bench-${process.pid}`;
const locks = Array.from({ length: LOCKS }, (_, i) => ({
  id: `lock${String(i).padStart(5, '0')}`,
  name: `Cabin ${i + 1}`,
  model: i % 2 ? '914' : '912',
  driver: 'sim',
}));
const status = { state: 'In step', reason: null, battery: 87, codes: 4 };

const ha = await mqtt.connectAsync(BROKER, { clientId: `${prefix}-ha` });
let configs = 0;
let states = 0;
let done;
const all = new Promise((r) => {
  done = r;
});
const wantConfigs = LOCKS * 5;
ha.on('message', (topic, payload) => {
  if (payload.length === 0) return;
  if (topic.endsWith('/config')) configs++;
  else if (topic.endsWith('/state')) states++;
  if (configs === wantConfigs && states === LOCKS) done(performance.now());
});
await ha.subscribeAsync([`${prefix}/#`, `keyward/${instance}/lock/+/state`]);

const bridge = new HomeAssistantBridge({
  url: BROKER,
  discovery: { prefix, instance, version: 'bench' },
  refreshMs: 3_600_000,
  source: {
    locks: async () => locks,
    status: async (ids) => new Map(ids.map((id) => [id, status])),
    personName: async () => null,
    subscribe: () => () => {},
    resync: () => {},
  },
});
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await bridge.start();
const published = performance.now();
const received = await Promise.race([all, new Promise((r) => setTimeout(() => r(null), 30_000))]);
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    bench: 'mqtt-discovery',
    locks: LOCKS,
    configs,
    states,
    publishedMs: Math.round(published - t0),
    receivedByHomeAssistantMs: received === null ? 'timeout' : Math.round(received - t0),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  }),
);
// Leave the broker as it was: retained configs of a benchmark must not linger.
await bridge.stop();
const OBJECTS = [
  'sensor/sync_state',
  'sensor/battery',
  'binary_sensor/problem',
  'event/code_used',
  'button/resync',
];
for (const l of locks) {
  await Promise.all([
    ...OBJECTS.map((o) => {
      const [component, object] = o.split('/');
      return ha.publishAsync(`${prefix}/${component}/keyward_${l.id}/${object}/config`, '', { retain: true });
    }),
    ha.publishAsync(`keyward/${instance}/lock/${l.id}/state`, '', { retain: true }),
  ]);
}
await ha.publishAsync(`keyward/${instance}/status`, '', { retain: true });
await ha.endAsync();
