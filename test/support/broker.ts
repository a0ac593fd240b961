import { Socket } from 'node:net';

/** The machine's Mosquitto; CI starts one. */
export const BROKER_URL = process.env.KEYWARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** Whether a broker answers on 127.0.0.1:1883 (CI must have one: its suites never skip there). */
export async function brokerUp(): Promise<boolean> {
  const u = new URL(BROKER_URL);
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.connect(Number(u.port || 1883), u.hostname);
  });
}

/** Skip outside CI when there is no broker, saying so; in CI a missing broker fails the suite. */
export async function skipWithoutBroker(): Promise<boolean> {
  if (await brokerUp()) return false;
  if (process.env.CI) throw new Error(`no MQTT broker at ${BROKER_URL}: CI must start Mosquitto (.ci/run)`);
  console.warn(`skipped: no MQTT broker at ${BROKER_URL} (start Mosquitto to run the MQTT suites)`);
  return true;
}

/** A topic prefix no other test run uses, so retained messages never leak between runs. */
export function uniqueBase(name: string): string {
  return `kwtest-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
