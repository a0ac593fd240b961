import { z } from 'zod';
import { SignalOut } from './api-types.js';

/** The answers of the activity and notification routes (docs/http.md, "Activity", "Notifications"). */
export const ActivityEventOut = z.object({
  id: z.string(),
  at: z.number().describe('ms since 1970'),
  type: z.string().describe('code.used, guest.arrived, lock.lockout, code.set, code.failed, ...'),
  lockId: z.string().nullable(),
  credentialId: z.string().nullable(),
  personName: z.string().nullable().describe("the person's name, else the name on the guest's code"),
  slot: z.number().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export const ActivityPageOut = z.object({
  events: z.array(ActivityEventOut),
  next: z.string().nullable().describe('pass as `before` for the next (older) page; null at the end'),
});

export const KeypadOut = z.object({ signals: z.array(SignalOut), bolt: z.enum(['locked', 'unlocked']) });

export const SubscriptionOut = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.enum(['webhook', 'ntfy', 'email']),
  target: z.string().describe('the webhook or ntfy URL, or the e-mail address'),
  events: z.array(z.string()),
  lockIds: z.array(z.string()).nullable(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  createdAt: z.number(),
});
export const NewSubscriptionOut = SubscriptionOut.extend({
  secret: z.string().optional().describe('whsec_<base64>: shown once, for webhooks'),
});
export const SubscriptionListOut = z.object({ subscriptions: z.array(SubscriptionOut) });

export const DeliveryOut = z.object({
  id: z.string(),
  eventId: z.string().nullable(),
  kind: z.enum(['event', 'test']),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.number().nullable(),
  createdAt: z.number(),
});
export const DeliveryListOut = z.object({ deliveries: z.array(DeliveryOut) });
export const AttemptListOut = z.object({
  attempts: z.array(
    z.object({
      at: z.number(),
      statusCode: z.number().nullable(),
      error: z.string().nullable(),
      durationMs: z.number(),
    }),
  ),
});

export type ActivityEventView = z.output<typeof ActivityEventOut>;
export type ActivityPage = z.output<typeof ActivityPageOut>;
export type KeypadAnswer = z.output<typeof KeypadOut>;
export type SubscriptionView = z.output<typeof SubscriptionOut>;
export type NewSubscription = z.output<typeof NewSubscriptionOut>;
export type SubscriptionList = z.output<typeof SubscriptionListOut>;
export type DeliveryView = z.output<typeof DeliveryOut>;
export type DeliveryList = z.output<typeof DeliveryListOut>;
export type AttemptList = z.output<typeof AttemptListOut>;
