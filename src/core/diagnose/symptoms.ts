import {
  badContact,
  boltBinding,
  codeDeleted,
  codeLengthUnknown,
  codeNotOnLock,
  corruptedMemory,
  deadBatteries,
  deletedUnknown,
  entryTimeout,
  incompleteCode,
  lockFullUnknown,
  lockout,
  mistypedCode,
  partialMatch,
  prefixMatch,
  prefixUnknown,
  programButtonContact,
  programmingDisabled,
  programmingEqualsUnknown,
  programmingNeverUnlocks,
  programmingTimeout,
  sequenceError,
  weakBatteries,
} from './causes.js';
import { type Evidence, lockedOutLikely, mayBeProgramming, mayBeUnlocking } from './evidence.js';
import { hasCodeRefusal, ruleCauses } from './rule-causes.js';
import type { Cause } from './types.js';
import { L } from './words.js';

type Maybe = Cause | null;

function slotsFull(ev: Evidence): boolean {
  return Object.keys(ev.state.slots).length >= ev.model.slots;
}

/**
 * The guide's tree for a code the lock refused, with nothing in the known state naming the
 * collision: each branch stays as likely as what is unknown allows.
 */
function unconfirmedRefusals(ev: Evidence, weight: number): Maybe[] {
  const { model, attempt, unknown } = ev;
  const refused = hasCodeRefusal(ev);
  const out: Maybe[] = [];
  // With an attempted code checked against a known lock, a collision the state does not show is
  // ruled out, except through what the caller did not know.
  if (!refused) {
    if (!attempt) out.push(prefixUnknown(ev, L.even * weight));
    else if (unknown.has('slots')) out.push(prefixUnknown(ev, L.possible * weight));
  }
  if (model.quirks.deletedCodeMemory && !refused) {
    const none = !unknown.has('deleted') && ev.state.deleted.length === 0;
    if (!attempt && !none) out.push(deletedUnknown(ev, L.possible * weight));
    else if (unknown.has('deleted')) out.push(deletedUnknown(ev, (L.possible - 0.05) * weight));
  }
  const pc = model.programmingCode;
  if (pc && !pc.mayShareUserPrefix && !refused && (!attempt || attempt.kind === 'user')) {
    // With no programming code set there is nothing to collide with.
    const none = !unknown.has('programmingCode') && ev.state.programmingCode === null;
    if (!attempt && !none) out.push(programmingEqualsUnknown(ev, 0.25 * weight));
    else if (unknown.has('programmingCode')) out.push(programmingEqualsUnknown(ev, 0.15 * weight));
  }
  if (!refused) {
    if (!attempt) out.push(codeLengthUnknown(ev, 0.15 * weight));
    if (unknown.has('slots')) out.push(lockFullUnknown(ev, 0.1 * weight));
    else if (slotsFull(ev) && (!attempt || attempt.slot === undefined)) {
      out.push(lockFullUnknown(ev, L.alsoConfirmed * weight));
    }
  }
  return out;
}

function switchCause(ev: Evidence, known: number, unknown: number): Maybe {
  if (!ev.model.quirks.programmingSwitch || !mayBeProgramming(ev)) return null;
  if (ev.unknown.has('programmingSwitch')) return programmingDisabled(ev, unknown);
  return ev.state.programmingSwitch ? null : programmingDisabled(ev, known);
}

function batteryForRed(ev: Evidence, byLevel: Record<'weak' | 'low' | 'unknown' | 'dead', number>): Maybe {
  if (ev.battery === 'ok') return null;
  return weakBatteries(ev, byLevel[ev.battery]);
}

/** Red flash and 3 beeps: the lock refused a code, a key came out of order, or a wrong code. */
function red3Beeps(ev: Evidence): Maybe[] {
  const { attempt } = ev;
  const programming = mayBeProgramming(ev);
  const out: Maybe[] = [];
  if (programming) {
    out.push(...ruleCauses(ev, L.confirmed));
    out.push(...unconfirmedRefusals(ev, 1));
  }
  // Weak cells usually show red flashes without the beeps, so a known collision comes first.
  out.push(batteryForRed(ev, { weak: L.alsoConfirmed, low: 0.4, unknown: 0.3, dead: L.even }));
  out.push(switchCause(ev, L.alsoConfirmed, 0.25));
  if (programming) {
    const clean = attempt !== null && !hasCodeRefusal(ev) && ev.unknown.size === 0;
    out.push(sequenceError(ev, hasCodeRefusal(ev) ? L.unlikely : clean ? L.likely : L.possible));
    out.push(programmingTimeout(ev, 0.15));
  }
  if (mayBeUnlocking(ev)) out.push(...wrongCodeAtDoor(ev));
  out.push(corruptedMemory(ev, ev.ctx.batteriesReplaced ? L.likely : L.remote));
  return out;
}

/** A code entered to open the door that the lock did not take (red-3-beeps while unlocking). */
function wrongCodeAtDoor(ev: Evidence): Maybe[] {
  const { attempt } = ev;
  const sure = ev.ctx.doing === 'unlocking';
  if (!attempt) return [codeNotOnLock(ev, sure ? L.likely : 0.3)];
  if (attempt.opens !== null) return [];
  if (attempt.isProgramming) return [programmingNeverUnlocks(ev, sure ? L.confirmed : L.even)];
  if (attempt.wasDeleted) return [codeDeleted(ev, sure ? L.confirmed : L.even)];
  const partial = partialMatch(ev);
  if (partial !== null) return [incompleteCode(ev, partial, sure ? L.alsoConfirmed : L.even)];
  const near = prefixMatch(ev);
  if (near !== null) return [mistypedCode(ev, near, sure ? 0.8 : L.even)];
  const known = !ev.unknown.has('slots');
  return [codeNotOnLock(ev, sure ? (known ? L.alsoConfirmed : L.likely) : known ? L.even : L.possible)];
}

/** Red flashes without the three beeps: low batteries, the lockout, a time-out. */
function redFlashes(ev: Evidence): Maybe[] {
  const n = ev.ctx.redFlashes;
  const of = ev.redFlashesOf;
  const out: Maybe[] = [];
  const lockoutSeen = n === of.lockout || lockedOutLikely(ev);
  if (mayBeProgramming(ev)) {
    // The 264's guide: "if red flashes, first 4 digits duplicate another code".
    out.push(...ruleCauses(ev, lockoutSeen ? L.even : L.alsoConfirmed));
    out.push(...unconfirmedRefusals(ev, 0.6));
  }
  const lowSeen = n === of.lowBattery;
  out.push(
    ev.battery === 'ok'
      ? lowSeen
        ? weakBatteries(ev, L.unlikely)
        : null
      : batteryForRed(ev, {
          weak: L.confirmed,
          low: lowSeen ? L.alsoConfirmed - 0.1 : 0.55,
          unknown: lowSeen ? L.alsoConfirmed - 0.1 : 0.45,
          dead: L.even,
        }),
  );
  if (n === of.lockout) out.push(lockout(ev, L.confirmed));
  else if (lockedOutLikely(ev)) out.push(lockout(ev, n === 1 ? L.alsoConfirmed : L.likely));
  else if (mayBeUnlocking(ev)) out.push(lockout(ev, 0.25));
  if (mayBeProgramming(ev)) out.push(programmingTimeout(ev, n === of.timeout ? 0.6 : 0.3));
  out.push(switchCause(ev, 0.6, 0.2));
  out.push(corruptedMemory(ev, ev.ctx.batteriesReplaced ? 0.75 : 0.1));
  return out;
}

/** No light, no sound. */
function noResponse(ev: Evidence): Maybe[] {
  const level = ev.battery;
  const cellsGood = level === 'ok';
  const out: Maybe[] = [
    deadBatteries(
      ev,
      level === 'dead'
        ? L.confirmed
        : level === 'weak'
          ? L.likely
          : level === 'low'
            ? L.even
            : cellsGood
              ? 0.15
              : 0.75,
    ),
    badContact(ev, cellsGood ? 0.8 : 0.45),
  ];
  if (ev.model.programmingCode?.style === 'menu' && mayBeProgramming(ev)) {
    out.push(programButtonContact(ev, 0.3));
  }
  if (lockedOutLikely(ev)) out.push(lockout(ev, L.even));
  else if (mayBeUnlocking(ev)) out.push(lockout(ev, 0.1));
  return out;
}

/** A code entered at the door leaves the bolt out. */
function doesNotUnlock(ev: Evidence): Maybe[] {
  const { attempt, model } = ev;
  const out: Maybe[] = [];
  const lockedOut = lockedOutLikely(ev);
  if (lockedOut) out.push(lockout(ev, L.alsoConfirmed));
  const level = ev.battery;
  if (level === 'dead') out.push(deadBatteries(ev, L.alsoConfirmed));
  else if (level !== 'ok') {
    out.push(weakBatteries(ev, level === 'weak' ? 0.6 : level === 'low' ? 0.3 : L.unlikely));
  }
  if (!attempt) {
    out.push(codeNotOnLock(ev, 0.45));
    out.push(sequenceError(ev, L.possible));
    out.push(entryTimeout(ev, 0.25));
    if (!lockedOut) out.push(lockout(ev, 0.25));
    if (model.programmingCode) out.push(programmingNeverUnlocks(ev, 0.25));
    out.push(boltBinding(ev, 0.15));
    return out;
  }
  // On the 888 the master code may also be a user code, and then it opens: the slot decides.
  if (attempt.opens !== null) {
    // The code is on the lock, so the fault is in how it was entered or in the door.
    out.push(sequenceError(ev, L.even));
    out.push(entryTimeout(ev, L.possible));
    if (!lockedOut) out.push(lockout(ev, 0.3));
    out.push(boltBinding(ev, 0.4));
  } else if (attempt.isProgramming) out.push(programmingNeverUnlocks(ev, L.confirmed));
  else if (attempt.wasDeleted) out.push(codeDeleted(ev, L.confirmed));
  else {
    const partial = partialMatch(ev);
    const near = prefixMatch(ev);
    if (partial !== null) out.push(incompleteCode(ev, partial, L.alsoConfirmed));
    else if (near !== null) out.push(mistypedCode(ev, near, 0.8));
    const known = !ev.unknown.has('slots');
    out.push(
      codeNotOnLock(ev, partial !== null || near !== null ? L.even : known ? L.alsoConfirmed : L.even),
    );
    if (!lockedOut) out.push(lockout(ev, 0.2));
    if (!known) out.push(sequenceError(ev, 0.3));
  }
  return out;
}

export const BY_SYMPTOM: Record<Evidence['symptom'], (ev: Evidence) => Maybe[]> = {
  'red-3-beeps': red3Beeps,
  'red-flashes': redFlashes,
  'no-response': noResponse,
  'code-does-not-unlock': doesNotUnlock,
};
