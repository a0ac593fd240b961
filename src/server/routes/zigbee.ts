import { z } from 'zod';
import { KeywardError } from '../../core/errors.js';
import { route } from '../route.js';
import { zigbeeLockProblems } from '../zigbee-lock.js';

const TopicPart = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^#+]+$/, 'must not contain # or +');

const FoundOut = z.object({
  device: z.string().describe("the friendly name: a zigbee2mqtt lock's device"),
  ieeeAddress: z.string(),
  modelId: z.string().nullable().describe('what the lock reports, e.g. SMARTCODE_DEADBOLT_5'),
  z2mModel: z.string().nullable().describe("Zigbee2MQTT's model, e.g. 99100-045"),
  candidates: z.array(z.string()).describe('catalog models, likeliest first'),
  exact: z.boolean().describe('false: a Kwikset id Keyward does not know; every Zigbee model is offered'),
  codes: z.boolean().describe('Zigbee2MQTT can set codes on it'),
  exposePin: z.boolean().describe("codes can be read back (the device's expose_pin option)"),
  lockId: z.string().nullable().describe('the register lock for this device, if already added'),
});

export const zigbeeRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/zigbee/devices',
    tag: 'zigbee',
    summary: 'Kwikset locks Zigbee2MQTT knows, matched to catalog models',
    access: 'manager',
    query: z.object({
      baseTopic: TopicPart.optional().describe("Zigbee2MQTT's base topic (default zigbee2mqtt)"),
      mqttUrl: z.string().max(500).optional().describe("the broker (default: the server's --mqtt)"),
    }),
    response: z.object({ devices: z.array(FoundOut) }),
    handler: async ({ deps, query }) => {
      const problems = zigbeeLockProblems({ device: 'x', ...query });
      if (problems.length > 0) throw new KeywardError('BAD_INPUT', problems.join('; '));
      const baseTopic = query.baseTopic ?? 'zigbee2mqtt';
      const [found, locks] = await Promise.all([
        deps.zigbee.discover({ baseTopic, ...(query.mqttUrl ? { mqttUrl: query.mqttUrl } : {}) }),
        deps.store.listLocks(),
      ]);
      const added = new Map(
        locks
          .filter(
            (l) => l.driver === 'zigbee2mqtt' && (l.driverConfig.baseTopic ?? 'zigbee2mqtt') === baseTopic,
          )
          .map((l) => [l.driverConfig.device, l.id]),
      );
      return { devices: found.map((d) => ({ ...d, lockId: added.get(d.device) ?? null })) };
    },
  }),
];
