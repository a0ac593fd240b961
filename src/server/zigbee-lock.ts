import { brokerUrlProblem } from '../sync/zigbee2mqtt/broker-url.js';

interface ZigbeeLockInput {
  device?: string | undefined;
  baseTopic?: string | undefined;
  mqttUrl?: string | undefined;
}

/** What is wrong with a new `zigbee2mqtt` lock's settings, in words naming the field. */
export function zigbeeLockProblems(v: ZigbeeLockInput): string[] {
  const out: string[] = [];
  if (!v.device) out.push("a zigbee2mqtt lock needs device: the lock's friendly name in Zigbee2MQTT");
  if (v.mqttUrl !== undefined) {
    const problem = brokerUrlProblem(v.mqttUrl);
    if (problem) out.push(`mqttUrl ${problem}`);
    else {
      const u = new URL(v.mqttUrl);
      // Stored settings are readable by every admin and in backups: the broker's password is
      // given to the server through its environment instead.
      if (u.username || u.password)
        out.push(
          'mqttUrl must not carry a user or password: set KEYWARD_MQTT_USERNAME and KEYWARD_MQTT_PASSWORD',
        );
    }
  }
  return out;
}

/** The stored settings of a new `zigbee2mqtt` lock (validated by zigbeeLockProblems). */
export function zigbeeLockConfig(v: ZigbeeLockInput): Record<string, unknown> {
  return {
    device: v.device,
    baseTopic: v.baseTopic ?? 'zigbee2mqtt',
    ...(v.mqttUrl ? { mqttUrl: v.mqttUrl } : {}),
  };
}
