import { z } from 'zod';
import { ACTIVITY_TYPES } from '../../core/activity/kinds.js';
import { KeywardError } from '../../core/errors.js';
import { assertOutboundUrl } from '../../notify/outbound.js';
import { newWebhookSecret } from '../../notify/signature.js';
import { deliveryAttempts, enqueueTest, listDeliveries, retryNow } from '../../store/outbox.js';
import {
  addSubscription,
  type Channel,
  getSubscription,
  listSubscriptions,
  removeSubscription,
  setSubscriptionEnabled,
} from '../../store/subscriptions.js';
import {
  AttemptListOut,
  DeliveryListOut,
  DeliveryOut,
  NewSubscriptionOut,
  SubscriptionListOut,
  SubscriptionOut,
} from '../api-types-activity.js';
import type { ServerDeps } from '../deps.js';
import { route } from '../route.js';
import { Id, IdParams } from '../schemas.js';

const EventTypes = z
  .array(z.union([z.literal('*'), z.enum(ACTIVITY_TYPES)]))
  .min(1)
  .max(ACTIVITY_TYPES.length + 1);

const Common = {
  name: z.string().trim().min(1).max(200).optional(),
  events: EventTypes,
  lockIds: z.array(Id).max(1000).nullable().optional(),
};

const SubscriptionBody = z.object({
  channel: z.enum(['webhook', 'ntfy', 'email']),
  target: z.string().trim().min(1).max(2000),
  ...Common,
});

const EMAIL = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/;

/** Checks the target for its channel and the locks, then stores; a webhook gets its secret. */
async function create(deps: ServerDeps, input: z.infer<typeof SubscriptionBody>) {
  const channel: Channel = input.channel;
  if (channel === 'email') {
    if (!EMAIL.test(input.target)) throw new KeywardError('BAD_INPUT', 'target: must be an e-mail address');
  } else await assertOutboundUrl(input.target, { allowPrivate: deps.notifications?.allowPrivate ?? false });
  if (input.lockIds) for (const id of input.lockIds) await deps.store.getLock(id);
  const secret = channel === 'webhook' ? newWebhookSecret() : undefined;
  const sub = await addSubscription(deps.store.ctx, {
    name: input.name ?? defaultName(channel, input.target),
    channel,
    target: input.target,
    events: input.events.includes('*') ? ['*'] : [...new Set(input.events)],
    lockIds: input.lockIds ?? null,
    ...(secret ? { secret } : {}),
  });
  return secret ? { ...sub, secret } : sub;
}

function defaultName(channel: Channel, target: string): string {
  if (channel === 'email') return target;
  try {
    const u = new URL(target);
    return channel === 'ntfy' ? `ntfy ${u.pathname.replace(/^\//, '')}` : u.host;
  } catch {
    return channel;
  }
}

/** The subscription, or NOT_FOUND (and for /webhooks/..., only a webhook). */
async function found(deps: ServerDeps, id: string, channel?: Channel) {
  const sub = await getSubscription(deps.store.ctx, id);
  if (channel && sub.channel !== channel) throw new KeywardError('NOT_FOUND', `no webhook ${id}`);
  return sub;
}

const DeliveryParams = z.object({ id: Id, deliveryId: Id });

export const webhookRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/webhooks',
    tag: 'notifications',
    summary: 'Add a webhook (Standard Webhooks); its secret is shown once',
    access: 'admin',
    status: 201,
    body: z.object({ url: z.string().trim().min(1).max(2000), ...Common }),
    response: NewSubscriptionOut,
    handler: ({ deps, body }) =>
      create(deps, {
        channel: 'webhook',
        target: body.url,
        events: body.events,
        ...(body.name ? { name: body.name } : {}),
        ...(body.lockIds !== undefined ? { lockIds: body.lockIds } : {}),
      }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/webhooks/:id/deliveries',
    tag: 'notifications',
    summary: "A webhook's deliveries, newest first",
    access: 'admin',
    params: IdParams,
    response: DeliveryListOut,
    handler: async ({ deps, params }) => {
      await found(deps, params.id, 'webhook');
      return { deliveries: await listDeliveries(deps.store.ctx, params.id, 200) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/subscriptions',
    tag: 'notifications',
    summary: 'Add a notification: a webhook, an ntfy topic or an e-mail address',
    access: 'admin',
    status: 201,
    body: SubscriptionBody,
    response: NewSubscriptionOut,
    handler: ({ deps, body }) => create(deps, body),
  }),
  route({
    method: 'GET',
    url: '/api/v1/subscriptions',
    tag: 'notifications',
    summary: 'Every notification subscription',
    access: 'admin',
    response: SubscriptionListOut,
    handler: async ({ deps }) => ({ subscriptions: await listSubscriptions(deps.store.ctx) }),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/subscriptions/:id',
    tag: 'notifications',
    summary: 'Turn a subscription on or off',
    access: 'admin',
    params: IdParams,
    body: z.object({ enabled: z.boolean() }),
    response: SubscriptionOut,
    handler: async ({ deps, params, body }) => {
      await setSubscriptionEnabled(deps.store.ctx, params.id, body.enabled, 'turned off by hand');
      return getSubscription(deps.store.ctx, params.id);
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/subscriptions/:id',
    tag: 'notifications',
    summary: 'Remove a subscription and its deliveries',
    access: 'admin',
    params: IdParams,
    handler: async ({ deps, params }) => {
      await removeSubscription(deps.store.ctx, params.id);
      return { id: params.id, removed: true };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/subscriptions/:id/deliveries',
    tag: 'notifications',
    summary: "A subscription's deliveries, newest first",
    access: 'admin',
    params: IdParams,
    response: DeliveryListOut,
    handler: async ({ deps, params }) => {
      await found(deps, params.id);
      return { deliveries: await listDeliveries(deps.store.ctx, params.id, 200) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/subscriptions/:id/test',
    tag: 'notifications',
    summary: 'Send a test now',
    access: 'admin',
    status: 202,
    params: IdParams,
    response: DeliveryOut,
    handler: async ({ deps, params }) => {
      await found(deps, params.id);
      const d = await enqueueTest(deps.store.ctx, params.id);
      deps.notifications?.wake();
      return d;
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/subscriptions/:id/deliveries/:deliveryId/retry',
    tag: 'notifications',
    summary: 'Retry a delivery now',
    access: 'admin',
    params: DeliveryParams,
    response: DeliveryOut,
    handler: async ({ deps, params }) => {
      const d = await retryNow(deps.store.ctx, params.id, params.deliveryId);
      deps.notifications?.wake();
      return d;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/subscriptions/:id/deliveries/:deliveryId/attempts',
    tag: 'notifications',
    summary: "A delivery's attempts, oldest first",
    access: 'admin',
    params: DeliveryParams,
    response: AttemptListOut,
    handler: async ({ deps, params }) => {
      await found(deps, params.id);
      return { attempts: await deliveryAttempts(deps.store.ctx, params.deliveryId) };
    },
  }),
];
