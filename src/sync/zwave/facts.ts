import type { LinkSignal } from './link.js';

/** What a lock said, whichever way it said it (Access Control notification or Kwikset V1 alarm). */
export type LockFact =
  | { fact: 'added'; slot: number | null }
  | { fact: 'duplicate'; slot: number | null }
  | { fact: 'full'; slot: number | null }
  | { fact: 'deleted'; slot: number | null }
  | { fact: 'all-deleted' }
  | { fact: 'used'; slot: number }
  | { fact: 'lockout' }
  | { fact: 'programming-code-changed' }
  | { fact: 'battery'; level: 'ok' | 'low' | 'critical'; percent: number | undefined };

const ACCESS_CONTROL = 0x06;
const POWER_MANAGEMENT = 0x08;

/** Access Control events (Notification CC, type 6). */
const ACCESS: Record<number, LockFact['fact']> = {
  6: 'used',
  12: 'all-deleted',
  13: 'deleted',
  14: 'added',
  15: 'duplicate',
  16: 'lockout',
  18: 'programming-code-changed',
  19: 'full',
};

/**
 * Kwikset V1 alarms zwave-js leaves unmapped (SmartThings lists them: 112 code set, 113
 * duplicate); the mapped ones (18/19, 32, 33, 167/168) arrive as notifications, but a lock
 * without a device config entry still sends them raw, so both are read here.
 */
const KWIKSET_ALARMS: Record<number, LockFact['fact'] | 'low' | 'critical'> = {
  19: 'used',
  32: 'all-deleted',
  33: 'deleted',
  112: 'added',
  113: 'duplicate',
  167: 'low',
  168: 'critical',
};

function slotOf(value: number | undefined): number | null {
  return value !== undefined && value > 0 ? value : null;
}

function fromKind(kind: LockFact['fact'], slot: number | null): LockFact | undefined {
  switch (kind) {
    case 'used':
      return slot === null ? undefined : { fact: 'used', slot };
    case 'added':
    case 'duplicate':
    case 'full':
    case 'deleted':
      return { fact: kind, slot };
    case 'all-deleted':
    case 'lockout':
    case 'programming-code-changed':
      return { fact: kind };
    default:
      return undefined;
  }
}

export function factOf(signal: LinkSignal): LockFact | undefined {
  switch (signal.kind) {
    case 'notification': {
      if (signal.type === POWER_MANAGEMENT) {
        if (signal.event === 0x0e) return { fact: 'battery', level: 'low', percent: undefined };
        if (signal.event === 0x0f) return { fact: 'battery', level: 'critical', percent: undefined };
        return undefined;
      }
      if (signal.type !== ACCESS_CONTROL) return undefined;
      const kind = ACCESS[signal.event];
      return kind && fromKind(kind, slotOf(signal.userId));
    }
    case 'alarm': {
      const kind = KWIKSET_ALARMS[signal.alarmType];
      if (kind === 'low' || kind === 'critical') {
        return { fact: 'battery', level: kind, percent: signal.alarmLevel };
      }
      return kind && fromKind(kind, slotOf(signal.alarmLevel));
    }
    case 'battery-status':
      if (signal.state === 0x0e) return { fact: 'battery', level: 'low', percent: undefined };
      if (signal.state === 0x0f) return { fact: 'battery', level: 'critical', percent: undefined };
      return undefined;
    case 'battery':
      return { fact: 'battery', level: signal.isLow ? 'low' : 'ok', percent: signal.percent };
  }
}
