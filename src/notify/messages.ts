import { ACTIVITY_LABELS, isActivityType } from '../activity/kinds.js';
import type { ActivityEvent } from '../store/activity.js';

/** What a person reads: a title, one sentence, and the page to open. Never a code's digits. */
export interface Message {
  title: string;
  text: string;
  url: string;
}

export interface MessageContext {
  /** The lock's name as the host gave it (null: the event concerns no lock). */
  lockName: string | null;
  /** The event's time on the site's clock, "16:04". */
  time: string;
  /** Where the UI is served, without a trailing slash ("https://keyward.example.com"). */
  baseUrl: string;
}

/** Why a code could not be set, in a host's words (the access-code errors of lifecycle.ts). */
const REASONS: Record<string, string> = {
  unconfirmed: 'the lock did not answer',
  failed_to_set: 'the lock did not take it',
  failed_to_remove: 'the lock did not clear it',
  duplicate_on_device: 'another code on the lock starts with the same digits',
  no_free_slot: 'the lock is full',
  prefix_reserved: 'the lock still remembers a deleted code that starts the same way',
  modified_at_keypad: 'it was changed at the keypad',
};

/** The message for one event (pure). */
export function messageFor(e: ActivityEvent, c: MessageContext): Message {
  const lock = c.lockName ?? 'a lock';
  const who = e.personName;
  const slot = e.slot === null ? '' : ` (slot ${e.slot})`;
  const d = e.detail;
  const url = e.lockId ? `${c.baseUrl}/#/locks/${encodeURIComponent(e.lockId)}` : `${c.baseUrl}/#/activity`;
  const say = (title: string, text: string): Message => ({ title, text, url });
  switch (e.type) {
    case 'code.used':
      return say(
        `Door opened: ${lock}`,
        who ? `${who} used their code at ${lock}, ${c.time}` : `A code was used at ${lock}${slot}, ${c.time}`,
      );
    case 'guest.arrived':
      return say(`Guest arrived: ${who ?? 'a guest'}`, `${who ?? 'A guest'} arrived at ${lock}, ${c.time}`);
    case 'lock.lockout':
      return say(
        `Wrong codes at ${lock}`,
        `Too many wrong codes were tried at ${lock}: its keypad is locked for a while, ${c.time}`,
      );
    case 'code.added_at_keypad':
      return say(`Code added at ${lock}`, `Someone added a code at the keypad of ${lock}${slot}, ${c.time}`);
    case 'code.removed_at_keypad':
      return say(
        `Code removed at ${lock}`,
        `Someone removed a code at the keypad of ${lock}${slot}, ${c.time}`,
      );
    case 'code.set':
      return say(`Ready at ${lock}`, `The code for ${who ?? `slot ${e.slot}`} is now on ${lock}, ${c.time}`);
    case 'code.removed':
      return say(
        `Removed from ${lock}`,
        `The code for ${who ?? `slot ${e.slot}`} was removed from ${lock}, ${c.time}`,
      );
    case 'code.failed': {
      const reason = REASONS[String(d.error)] ?? 'the lock refused it';
      const verb = d.op === 'remove' ? 'removed from' : 'set on';
      const again = d.retrying ? '; Keyward will try again' : '';
      return say(
        `Problem at ${lock}`,
        `The code for ${who ?? `slot ${e.slot}`} could not be ${verb} ${lock}: ${reason}${again}`,
      );
    }
    case 'battery.low':
      return say(
        `Batteries low: ${lock}`,
        d.level === 'critical'
          ? `The batteries of ${lock} are nearly empty: replace them now`
          : `The batteries of ${lock} are low: replace them soon`,
      );
    case 'lock.unreachable':
      return say(`${lock} is not answering`, `${lock} stopped answering at ${c.time}; Keyward keeps trying`);
    case 'lock.reachable':
      return say(`${lock} is back`, `${lock} is answering again, ${c.time}`);
    default: {
      const label = isActivityType(e.type) ? ACTIVITY_LABELS[e.type] : e.type;
      return say(`${label}: ${lock}`, `${label} at ${lock}, ${c.time}`);
    }
  }
}

/** The test message ("send a test"). */
export function testMessage(baseUrl: string, subscriptionName: string): Message {
  return {
    title: 'Keyward test',
    text: `This is a test from Keyward: "${subscriptionName}" will be told here.`,
    url: `${baseUrl}/#/notifications`,
  };
}
