import { batteryVolts } from './battery.js';
import type { LockFact } from './facts.js';
import { type LockSession, readBack } from './lock-session.js';
import type { Outcome } from './notification-wait.js';
import { errorText } from './write-result.js';

/**
 * What the lock says, turned into driver events: an answer to a pending write goes to that
 * write; anything else is news for the reconciler.
 */
export function onLockFact(session: LockSession, fact: LockFact, setVolts: (volts: number) => void): void {
  const at = session.clock.now();
  switch (fact.fact) {
    case 'added':
    case 'duplicate':
    case 'full':
    case 'deleted':
      if (!session.waits.answer(fact)) unsolicited(session, fact, at);
      return;
    case 'all-deleted':
      session.known.clear();
      session.emit({ type: 'all-codes-deleted', at });
      return;
    case 'used':
      session.emit({ type: 'code-used', slot: fact.slot, at });
      return;
    case 'lockout':
      session.emit({ type: 'wrong-code-lockout', at });
      return;
    case 'programming-code-changed':
      session.emit({ type: 'programming-code-changed', at });
      return;
    case 'battery': {
      const volts = batteryVolts(fact.level, fact.percent);
      setVolts(volts);
      session.emit({ type: 'battery', voltsPerCell: volts, level: fact.level, at });
      return;
    }
  }
}

/** A change nobody here asked for: someone at the keypad. */
function unsolicited(session: LockSession, fact: { fact: Outcome; slot: number | null }, at: number): void {
  const slot = fact.slot;
  switch (fact.fact) {
    case 'duplicate':
      session.emit({ type: 'duplicate-refused', slot, at });
      return;
    case 'full':
      session.emit({ type: 'lock-full', at });
      return;
    case 'deleted':
      if (slot === null) return;
      session.known.delete(slot);
      session.emit({ type: 'code-deleted-at-keypad', slot, at });
      return;
    case 'added':
      if (slot === null) return;
      // The alarm names the slot, not the code: one read tells the reconciler what to adopt
      // or revert. It waits its turn behind any write in progress.
      void session.serial(async () => {
        let code: string | null = null;
        try {
          const read = await readBack(session, slot);
          if (read?.status === 'occupied') code = read.code;
        } catch (error) {
          // The slot is taken but its code unknown: the reconciler treats it as masked.
          session.known.set(slot, null);
          session.emit({
            type: 'fault',
            at: session.clock.now(),
            message: `node ${session.link.nodeId}: slot ${slot} could not be read after a code was added at the keypad: ${errorText(error)}`,
            during: 'read-back after a keypad alarm',
          });
        }
        session.emit({ type: 'code-added-at-keypad', slot, code, at });
      });
      return;
  }
}
