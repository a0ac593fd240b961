import { z } from 'zod';
import { KeywardError } from '../../core/errors.js';
import { ZigbeeDevicesOut } from '../api-types.js';
import { route } from '../route.js';
import { zigbeeLockProblems } from '../zigbee-lock.js';

const TopicPart = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^#+]+$/, 'must not contain # or +');

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
    response: ZigbeeDevicesOut,
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
