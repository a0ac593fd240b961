import type { SlotStatus } from './lifecycle.js';
import { DAY_MS, isActive, nextActivityChange, type Schedule } from './schedule.js';
import { offsetAt, type Zone } from './zone.js';

/**
 * What a host reads about one lock: whether it is in step with the register, and what is coming.
 * One pure function decides it for every page (the dashboard card, the lock page, the people
 * page, `keyward status`), so no two of them can disagree about a slot.
 */
export const LOCK_STATES = ['in-step', 'syncing', 'needs-visit', 'problem'] as const;
export type LockStateWord = (typeof LOCK_STATES)[number];

export const UPCOMING_KINDS = ['arrival', 'departure', 'window-opens', 'window-closes'] as const;
export type UpcomingKind = (typeof UPCOMING_KINDS)[number];

/** Where a code stands on one lock, in the host's terms. */
export const SLOT_PHASES = [
  /** Wanted now and confirmed on the lock. */
  'on-lock',
  /** Wanted now, on its way over the radio. */
  'adding',
  /** No longer wanted, coming off over the radio. */
  'removing',
  /** Wanted later (a stay or a window that has not started): nothing to do yet. */
  'scheduled',
  /** A keypad-only lock: someone has to type it in. */
  'visit-to-add',
  /** A keypad-only lock: someone has to take it off at the keypad. */
  'visit-to-remove',
  /** The lock refuses it, or it failed so often that sync stopped trying. */
  'problem',
  /** Over: off the lock, and not wanted again. */
  'done',
] as const;
export type SlotPhase = (typeof SLOT_PHASES)[number];

export const PROBLEM_CODES = ['unreachable', 'sync-failed', 'code-refused', 'code-stuck'] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface Problem {
  code: ProblemCode;
  message: string;
}

/** One credential's assignment to the lock (removed ones are left out by the caller). */
export interface CodeOnLock {
  credentialId: string;
  name: string;
  slot: number;
  status: SlotStatus;
  error: string | null;
  schedule: Schedule;
  /** Sync gave up retrying this slot (five failures in a row, or a refusal that cannot change). */
  suspended?: boolean;
}

/** What sync last said of the lock as a whole; null when all was well. */
export interface LockFault {
  kind: 'unreachable' | 'error';
  message: string;
  at: number;
}

export interface LockFacts {
  name: string;
  /** sim, manual, zwave, zwave-server, ...: only `manual` has no radio. */
  driver: string;
  /** The Z-Wave server's address or the stick's serial port, for the problem's words. */
  address: string | null;
  zone: Zone;
  codes: readonly CodeOnLock[];
  /** Writes sync has started and not yet seen confirmed (intents). */
  inFlight: number;
  fault: LockFault | null;
}

export interface SlotState {
  credentialId: string;
  name: string;
  slot: number;
  phase: SlotPhase;
  /** The reason, in plain words, when phase is problem. */
  problem: string | null;
  /** When a scheduled code goes on (its next activity change). */
  from: number | null;
}

export interface Upcoming {
  at: number;
  kind: UpcomingKind;
  credentialId: string;
  name: string;
}

export interface LockState {
  state: LockStateWord;
  problem: Problem | null;
  slots: SlotState[];
  upcoming: Upcoming[];
}

export const UPCOMING_HORIZON_MS = 7 * DAY_MS;
export const UPCOMING_LIMIT = 20;
/** Edges looked at per code: a cleaner's weekday windows give ten in a week. */
const EDGES_PER_CODE = 16;

/** Errors a lock gives for good: trying again changes nothing until someone acts. */
const REFUSALS: Readonly<Record<string, string>> = {
  duplicate_on_device: 'the lock already holds this code, or one starting with the same digits',
  no_free_slot: 'every slot of the lock is taken',
  prefix_reserved: 'the lock remembers a deleted code starting with the same digits',
};

const CONNECTION_WORDS =
  /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|socket|websocket|connect|serial|port/i;

/** The plain words for a lock that does not answer, naming the address when the link is the fault. */
export function unreachableMessage(
  facts: Pick<LockFacts, 'name' | 'driver' | 'address'>,
  detail: string,
): string {
  const link = CONNECTION_WORDS.test(detail);
  if (facts.driver === 'zwave-server' && facts.address && link)
    return `The Z-Wave server at ${facts.address} cannot be reached`;
  if (facts.driver === 'zwave' && facts.address && link)
    return `The Z-Wave stick at ${facts.address} cannot be opened`;
  return `${facts.name} does not answer (${detail})`;
}

function slotOf(code: CodeOnLock, keypadOnly: boolean, zone: Zone, now: number): SlotState {
  const base = {
    credentialId: code.credentialId,
    name: code.name,
    slot: code.slot,
    problem: null,
    from: null,
  };
  const wanted = isActive(code.schedule, now, zone);
  const pending = wanted ? code.status !== 'set' : code.status !== 'unset';
  const refusal = code.error ? REFUSALS[code.error] : undefined;
  if (pending && (refusal || code.suspended)) {
    const why = refusal ?? 'it failed several times in a row, so Keyward stopped trying';
    const what = wanted ? `cannot set ${code.name}'s code` : `cannot remove ${code.name}'s code`;
    return { ...base, phase: 'problem', problem: `Slot ${code.slot} ${what}: ${why}` };
  }
  if (wanted) {
    if (code.status === 'set') return { ...base, phase: 'on-lock' };
    return { ...base, phase: keypadOnly ? 'visit-to-add' : 'adding' };
  }
  if (code.status !== 'unset') return { ...base, phase: keypadOnly ? 'visit-to-remove' : 'removing' };
  const from = nextActivityChange(code.schedule, now, zone);
  return from === null ? { ...base, phase: 'done' } : { ...base, phase: 'scheduled', from };
}

/**
 * When each code's presence changes within the horizon: its arrival and departure, and the
 * weekly windows opening and closing in between. A code used up or revoked has nothing coming.
 */
export function upcomingOf(
  codes: readonly CodeOnLock[],
  zone: Zone,
  now: number,
  horizonMs = UPCOMING_HORIZON_MS,
  limit = UPCOMING_LIMIT,
): Upcoming[] {
  const end = now + horizonMs;
  const out: Upcoming[] = [];
  for (const c of codes) {
    const s = c.schedule;
    if (s.revokedAt !== null && s.revokedAt <= now) continue;
    if (s.useLimit !== null && s.uses >= s.useLimit) continue;
    const stop = Math.min(end, s.revokedAt ?? Number.POSITIVE_INFINITY);
    const item = (at: number, kind: UpcomingKind) =>
      out.push({ at, kind, credentialId: c.credentialId, name: c.name });
    if (s.startsAt !== null && s.startsAt > now && s.startsAt <= stop) item(s.startsAt, 'arrival');
    if (s.endsAt !== null && s.endsAt > now && s.endsAt <= stop) item(s.endsAt, 'departure');
    if (s.windows.length === 0) continue;
    let t = now;
    for (let i = 0; i < EDGES_PER_CODE; i++) {
      const next = nextActivityChange(s, t, zone);
      if (next === null || next > stop) break;
      t = next;
      if (next === s.startsAt || next === s.endsAt) continue;
      item(next, isActive(s, next, zone) ? 'window-opens' : 'window-closes');
    }
  }
  const rank = (k: UpcomingKind) => UPCOMING_KINDS.indexOf(k);
  out.sort(
    (a, b) =>
      a.at - b.at ||
      rank(a.kind) - rank(b.kind) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0),
  );
  return out.slice(0, limit);
}

/**
 * The lock's state at `now`. A fault of the lock itself comes first (nothing else can be known
 * while it does not answer), then a code the lock refuses, then a keypad-only lock with changes
 * to type in, then changes on their way; otherwise every code wanted now is confirmed on the
 * lock. A code wanted only later changes nothing: it is scheduled, not syncing.
 */
export function lockState(facts: LockFacts, now: number): LockState {
  const keypadOnly = facts.driver === 'manual';
  const slots = facts.codes
    .map((c) => slotOf(c, keypadOnly, facts.zone, now))
    .sort((a, b) => a.slot - b.slot || (a.credentialId < b.credentialId ? -1 : 1));
  const upcoming = upcomingOf(facts.codes, facts.zone, now);
  const stuck = slots.filter((s) => s.phase === 'problem');
  let problem: Problem | null = null;
  if (facts.fault?.kind === 'unreachable')
    problem = { code: 'unreachable', message: unreachableMessage(facts, facts.fault.message) };
  else if (stuck.length > 0)
    problem = {
      code: stuck.some((s) => s.problem?.includes('stopped trying')) ? 'code-stuck' : 'code-refused',
      message:
        stuck.length === 1 ? stuck[0]!.problem! : `${stuck[0]!.problem} (and ${stuck.length - 1} more)`,
    };
  else if (facts.fault?.kind === 'error')
    problem = {
      code: 'sync-failed',
      message: `Keyward could not update ${facts.name}: ${facts.fault.message}`,
    };
  if (problem) return { state: 'problem', problem, slots, upcoming };
  if (slots.some((s) => s.phase === 'visit-to-add' || s.phase === 'visit-to-remove'))
    return { state: 'needs-visit', problem: null, slots, upcoming };
  const moving = slots.some((s) => s.phase === 'adding' || s.phase === 'removing');
  if (moving || (!keypadOnly && facts.inFlight > 0))
    return { state: 'syncing', problem: null, slots, upcoming };
  return { state: 'in-step', problem: null, slots, upcoming };
}

/** A trip to a keypad-only lock: now, before a code is wanted, or after it is over. */
export interface Visit {
  credentialId: string;
  name: string;
  action: 'add' | 'remove';
  /** null: the change is due now. */
  at: number | null;
  when: 'now' | 'before' | 'after';
}

/**
 * The visits a keypad-only lock needs: its changes due now, then each arrival or window opening
 * (go before), each departure or window closing (go after), in time order.
 */
export function visitsOf(driver: string, state: Pick<LockState, 'slots' | 'upcoming'>): Visit[] {
  if (driver !== 'manual') return [];
  const out: Visit[] = [];
  for (const s of state.slots) {
    if (s.phase === 'visit-to-add' || s.phase === 'visit-to-remove')
      out.push({
        credentialId: s.credentialId,
        name: s.name,
        action: s.phase === 'visit-to-add' ? 'add' : 'remove',
        at: null,
        when: 'now',
      });
  }
  for (const u of state.upcoming) {
    const add = u.kind === 'arrival' || u.kind === 'window-opens';
    out.push({
      credentialId: u.credentialId,
      name: u.name,
      action: add ? 'add' : 'remove',
      at: u.at,
      when: add ? 'before' : 'after',
    });
  }
  return out;
}

/** The host's words for a visit, the time already written in the reader's zone. */
export function visitSentence(lockName: string, v: Visit, time: string): string {
  const what = v.action === 'add' ? `add ${v.name}'s code` : `remove ${v.name}'s code`;
  const when = v.when === 'now' ? 'now' : `${v.when} ${time}`;
  return `${lockName}: go to the door ${when} to ${what}`;
}

/** What a host reads for each lock state (web, CLI). */
export const LOCK_STATE_LABELS: Readonly<Record<LockStateWord, string>> = {
  'in-step': 'In step',
  syncing: 'Syncing',
  'needs-visit': 'Needs you at the door',
  problem: 'Problem',
};

/** What a host reads for each slot phase; a scheduled code adds when it goes on. */
export const SLOT_PHASE_LABELS: Readonly<Record<SlotPhase, string>> = {
  'on-lock': 'On the lock',
  adding: 'Being added',
  removing: 'Being removed',
  scheduled: 'Goes on later',
  'visit-to-add': 'Needs you at the door to add it',
  'visit-to-remove': 'Needs you at the door to remove it',
  problem: 'Problem',
  done: 'Off the lock',
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Fri 2026-12-04 16:00": a time as the site's clock shows it, for the CLI. */
export function siteTime(at: number, zone: Zone): string {
  const local = new Date(at + offsetAt(zone, at) * 60_000);
  return `${WEEKDAYS[local.getUTCDay()]} ${local.toISOString().slice(0, 16).replace('T', ' ')}`;
}
