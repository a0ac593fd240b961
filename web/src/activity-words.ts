import {
  ACTIVITY_LABELS,
  ACTIVITY_TYPES,
  FAILURE_REASONS,
  isActivityType,
} from '../../src/core/activity/kinds.js';
import type { ActivityEventView } from '../../src/server/api-types-activity.js';

export { ACTIVITY_LABELS, ACTIVITY_TYPES };

/** One line for an event, in a host's words: what happened, to whom, where. */
export function eventLine(e: ActivityEventView, lockName: string | undefined): string {
  const at = lockName ? ` at ${lockName}` : '';
  const who = e.personName ?? (e.slot !== null ? `slot ${e.slot}` : 'a code');
  const d = e.detail as Record<string, unknown>;
  switch (e.type) {
    case 'code.used':
      return e.personName ? `${e.personName} used their code${at}` : `A code was used${at} (slot ${e.slot})`;
    case 'guest.arrived':
      return `${e.personName ?? 'A guest'} arrived${at}`;
    case 'code.set':
      return `The code for ${who} is now on the lock${at}`;
    case 'code.removed':
      return `The code for ${who} was removed${at}`;
    case 'code.failed':
      return `The code for ${who} could not be ${d.op === 'remove' ? 'removed' : 'set'}${at}: ${
        FAILURE_REASONS[String(d.error)] ?? 'the lock refused it'
      }${d.retrying ? ' (trying again)' : ''}`;
    case 'battery.low':
      return `Batteries ${d.level === 'critical' ? 'nearly empty' : 'low'}${at}`;
    default:
      return `${isActivityType(e.type) ? ACTIVITY_LABELS[e.type] : e.type}${at}`;
  }
}
