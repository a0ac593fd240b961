import { z } from 'zod';
import { urlProblem } from '../../calendar/outbound-url.js';
import { refreshLeased } from '../../calendar/refresh.js';
import { INSTANCE_HOLDER } from '../../calendar/scheduler.js';
import { KeywardError } from '../../core/errors.js';
import {
  addCalendar,
  CODE_SOURCES,
  getCalendar,
  listCalendars,
  removeCalendar,
  updateCalendar,
} from '../../store/calendars.js';
import {
  CalendarDetailOut,
  CalendarListOut,
  CalendarOut,
  CalendarRefreshOut,
  CalendarRemovedOut,
} from '../api-types.js';
import type { ServerDeps } from '../deps.js';
import { route } from '../route.js';
import { Id, IdParams, QueryFlag } from '../schemas.js';

/** Booking calendars (issue 16 §2): the contract's shapes; docs/calendars.md explains them. */

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 16:00');
const Settings = {
  checkInTime: Clock.nullable()
    .optional()
    .describe("arrival time for all-day bookings, site time (default and null: the site's check-in time)"),
  checkOutTime: Clock.nullable()
    .optional()
    .describe("departure time for all-day bookings, site time (default and null: the site's check-out time)"),
  bufferBeforeMinutes: z.number().int().min(0).max(1440).optional(),
  bufferAfterMinutes: z.number().int().min(0).max(1440).optional(),
  codeFrom: z
    .enum(CODE_SOURCES)
    .optional()
    .describe("the guest's phone (last 4 digits) when given, else random"),
  refreshMinutes: z.number().int().min(1).max(1440).optional(),
  missesBeforeCancel: z.number().int().min(1).max(20).optional(),
};
const Url = z.string().min(1).max(2000);

const NewCalendar = z.object({
  name: z.string().trim().min(1).max(200),
  url: Url,
  lockIds: z.array(Id).min(1).max(50),
  ...Settings,
});
const CalendarPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  url: Url.optional(),
  lockIds: z.array(Id).min(1).max(50).optional(),
  ...Settings,
});

/** The server's rule for addresses it calls, checked when the address is given. */
function checkUrl(deps: ServerDeps, url: string | undefined): void {
  if (url === undefined) return;
  const problem = urlProblem(url, deps.calendars?.allowPrivateUrls ?? false);
  if (problem) throw new KeywardError('BAD_INPUT', `url: ${problem}`);
}

const strip = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export const calendarRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/calendars',
    tag: 'calendars',
    summary: 'Follow a booking calendar (ICS): each booking becomes a guest code on its locks',
    access: 'manager',
    status: 201,
    body: NewCalendar,
    response: CalendarOut,
    handler: async ({ deps, body, principal }) => {
      checkUrl(deps, body.url);
      return addCalendar(deps.storeFor(principal).ctx, strip(body) as typeof body);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/calendars',
    tag: 'calendars',
    summary: 'List booking calendars with how their last fetch went',
    access: 'viewer',
    response: CalendarListOut,
    handler: async ({ deps }) => ({ calendars: await listCalendars(deps.store.ctx) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/calendars/:id',
    tag: 'calendars',
    summary: 'Read a booking calendar and its bookings',
    access: 'viewer',
    params: IdParams,
    response: CalendarDetailOut,
    handler: ({ deps, params }) => getCalendar(deps.store.ctx, params.id),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/calendars/:id',
    tag: 'calendars',
    summary: "Change a booking calendar's address, locks or stay rules",
    access: 'manager',
    params: IdParams,
    body: CalendarPatch,
    response: CalendarOut,
    handler: async ({ deps, params, body, principal }) => {
      checkUrl(deps, body.url);
      return updateCalendar(deps.storeFor(principal).ctx, params.id, strip(body));
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/calendars/:id',
    tag: 'calendars',
    summary: "Stop following a booking calendar (?revokeCodes=true also cancels its guests' codes)",
    access: 'manager',
    params: IdParams,
    query: z.object({ revokeCodes: QueryFlag }),
    response: CalendarRemovedOut,
    handler: async ({ deps, params, query, principal }) => {
      const store = deps.storeFor(principal);
      const cal = await getCalendar(store.ctx, params.id);
      const { revoked } = await removeCalendar(store.ctx, params.id, { revokeCodes: query.revokeCodes });
      if (revoked.length) deps.nudge(cal.lockIds);
      return { id: params.id, removed: true as const, revoked };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/calendars/:id/refresh',
    tag: 'calendars',
    summary: 'Fetch a booking calendar now',
    access: 'manager',
    params: IdParams,
    response: CalendarRefreshOut,
    handler: async ({ deps, params, principal }) =>
      (await refreshLeased(deps.storeFor(principal), params.id, deps.calendars?.holder ?? INSTANCE_HOLDER, {
        ...deps.calendars,
        nudge: deps.nudge,
      }))!,
  }),
];
