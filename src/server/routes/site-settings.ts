import { z } from 'zod';
import { route } from '../route.js';
import { IdParams } from '../schemas.js';

const CheckTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 16:00')
  .describe('HH:MM, the site local time');

export const siteSettingsRoutes = [
  route({
    method: 'PATCH',
    url: '/api/v1/sites/:id',
    tag: 'sites',
    summary: "Change a site's check-in and check-out times (guests' arrival and departure default to them)",
    access: 'admin',
    params: IdParams,
    body: z.object({ checkInTime: CheckTime.optional(), checkOutTime: CheckTime.optional() }).strict(),
    handler: ({ deps, params, body, principal }) =>
      deps.storeFor(principal).setSiteCheckTimes(params.id, body),
  }),
];
