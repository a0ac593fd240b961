/**
 * The kinds of activity (docs/http.md, "Activity"): the `type` of each event in
 * GET /api/v1/events and of each webhook. Declared once for the API's schema, the CLI, the web
 * page's filter and the subscriptions' validation.
 */
export const ACTIVITY_TYPES = [
  'code.used',
  'guest.arrived',
  'lock.lockout',
  'code.added_at_keypad',
  'code.removed_at_keypad',
  'code.set',
  'code.failed',
  'code.removed',
  'code.adopted',
  'code.moved',
  'battery.low',
  'lock.unreachable',
  'lock.reachable',
  'lock.codes_cleared',
  'lock.full',
  'lock.duplicate_refused',
  'lock.programming_code_changed',
] as const;

export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** A host's name for each kind (filters, CSV, the activity page). */
export const ACTIVITY_LABELS: Record<ActivityType, string> = {
  'code.used': 'Code used',
  'guest.arrived': 'Guest arrived',
  'lock.lockout': 'Keypad locked out (wrong codes)',
  'code.added_at_keypad': 'Code added at the keypad',
  'code.removed_at_keypad': 'Code removed at the keypad',
  'code.set': 'Code set on the lock',
  'code.failed': 'Code could not be set or removed',
  'code.removed': 'Code removed from the lock',
  'code.adopted': 'Code found on the lock and kept',
  'code.moved': 'Code moved to another slot',
  'battery.low': 'Battery low',
  'lock.unreachable': 'Lock not answering',
  'lock.reachable': 'Lock answering again',
  'lock.codes_cleared': 'Every code cleared at the lock',
  'lock.full': 'Lock full',
  'lock.duplicate_refused': 'Lock refused a code at the keypad',
  'lock.programming_code_changed': 'Programming code changed',
};

export function isActivityType(t: string): t is ActivityType {
  return (ACTIVITY_TYPES as readonly string[]).includes(t);
}
