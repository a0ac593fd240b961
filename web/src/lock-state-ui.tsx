import {
  LOCK_STATE_LABELS,
  SLOT_PHASE_LABELS,
  type SlotPhase,
  type UpcomingKind,
  visitSentence,
} from '../../src/core/access/lock-state.js';
import type { LockSummary, Upcoming, Visit } from './api.js';
import './status.css';

const DAY_MS = 86_400_000;

// Made once: a formatter per call costs more than the rest of a card (200 cards, 1,000 visits).
const NEAR = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
const FAR = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
});

/** "Fri 4:00 PM" within the coming week, else "Fri 12 Dec 4:00 PM": how a host says when. */
export function shortWhen(ms: number, now = Date.now()): string {
  const near = ms - now < 6 * DAY_MS && ms > now - DAY_MS;
  return (near ? NEAR : FAR).format(ms);
}

/** The lock's state as a badge; a problem carries its reason in plain words. */
export function StateBadge({ lock }: { lock: Pick<LockSummary, 'state' | 'problem'> }) {
  return (
    <span className={`lock-state ${lock.state}`} data-state={lock.state}>
      {LOCK_STATE_LABELS[lock.state]}
      {lock.problem ? `: ${lock.problem.message}` : ''}
    </span>
  );
}

const UPCOMING_WORDS: Record<UpcomingKind, string> = {
  arrival: 'arrives',
  departure: 'leaves',
  'window-opens': "'s hours start",
  'window-closes': "'s hours end",
};

/** "Smith family arrives": the event in a sentence. */
export function upcomingText(u: Pick<Upcoming, 'kind' | 'name'>): string {
  const w = UPCOMING_WORDS[u.kind];
  return w.startsWith("'") ? `${u.name}${w}` : `${u.name} ${w}`;
}

export function visitText(lockName: string, v: Visit): string {
  return visitSentence(lockName, v, v.at === null ? '' : shortWhen(v.at));
}

/** A code's place on a lock in the host's words, the same on the lock page and the people page. */
export function phaseText(phase: SlotPhase, from: number | null): string {
  if (phase === 'scheduled' && from !== null) return `Goes on ${shortWhen(from)}`;
  return SLOT_PHASE_LABELS[phase];
}

export function PhaseBadge({
  phase,
  from,
  problem,
}: {
  phase: SlotPhase;
  from: number | null;
  problem?: string | null | undefined;
}) {
  return (
    <>
      <span className={`phase ${phase}`} data-phase={phase}>
        {phaseText(phase, from)}
      </span>
      {problem && <span className="error"> · {problem}</span>}
    </>
  );
}
