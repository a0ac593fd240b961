import { prefixKey, prefixText, pressSequence } from '../codes/keypad.js';
import { occupiedSlots } from '../codes/lock-state.js';
import { describeSignals } from '../guide/words.js';
import type { Evidence } from './evidence.js';
import type { Cause } from './types.js';
import { BATTERY_FIX, confirmName, freshSlot, seconds, sequenceHint, TEST_OPEN, USE_KEY } from './words.js';

/**
 * One builder per cause: the words and the fix. How likely each is depends on the symptom and
 * is decided in symptoms.ts.
 */
type Build = (ev: Evidence, likelihood: number) => Cause;

function possible(likelihood: number) {
  return { likelihood, basis: 'possible' as const };
}

function volts(ev: Evidence): string {
  return ev.unknown.has('voltsPerCell') ? '' : ` (${ev.state.voltsPerCell} V per cell)`;
}

/** The guide's first check when nothing names the colliding code. */
export const prefixUnknown: Build = (ev, likelihood) => {
  const slot = freshSlot(ev);
  const code = ev.attempt?.code;
  return {
    id: 'prefix-conflict',
    ...possible(likelihood),
    source: 'guide',
    explanation: code
      ? `A code on the lock that you did not list may start with the same four digits as ${code} (${prefixText(prefixKey(code, ev.model))}); the lock refuses two codes that start alike.`
      : 'The new code may start with the same four digits as a code already on the lock (the programming code included): the first four digits of every code must differ, and this is the commonest cause.',
    fix: [
      'Test every working code with the door open and note any that starts with the same four digits.',
      'Delete the newest code first: conflicts often occur there (keyward guide --op delete-user --slot N).',
      `Re-add the code in a slot not used before${slot ? ` (slot ${slot} is free)` : ''}, or choose a code with other first four digits; keyward check CODE --slots ... tells before you press a key.`,
    ],
  };
};

export const deletedUnknown: Build = (ev, likelihood) => ({
  id: 'deleted-code-memory',
  ...possible(likelihood),
  source: 'guide',
  explanation: `The ${ev.model.id} remembers deleted codes until a factory reset ("even deleted ones occupy memory"): a code deleted since then${ev.attempt ? ` that started ${prefixText(prefixKey(ev.attempt.code, ev.model))}` : ''} still blocks its first four digits${
    !ev.attempt && !ev.unknown.has('deleted') && ev.state.deleted.length > 0
      ? ` (blocked here: ${[...new Set(ev.state.deleted.map((d) => prefixText(prefixKey(d, ev.model))))].join(', ')})`
      : ''
  }.`,
  fix: [
    'Choose a code with first four digits no code on this lock has ever had.',
    'Or factory reset (keyward guide --op factory-reset), which clears the memory, and re-add every code.',
  ],
});

export const programmingEqualsUnknown: Build = (ev, likelihood) => ({
  id: 'programming-code-equals-user',
  ...possible(likelihood),
  source: 'guide',
  explanation: `The programming code and a user code cannot share their first four digits ("programming code = user code: impossible")${
    ev.unknown.has('programmingCode')
      ? '; you did not give the programming code, so this cannot be ruled out'
      : ev.state.programmingCode
        ? `: a new user code must not start ${prefixText(prefixKey(ev.state.programmingCode, ev.model))}`
        : ''
  }.`,
  fix: [
    'Choose a user code whose first four digits differ from the programming code, or change the programming code first (keyward guide --op set-programming-code --code C).',
  ],
});

export const weakBatteries: Build = (ev, likelihood) => {
  const { battery } = ev.model;
  const reading =
    ev.battery === 'weak'
      ? `The batteries are weak${volts(ev)}: at or below ${battery.programmingFailsAtOrBelow} V per cell programming fails with red flashes.`
      : ev.battery === 'low'
        ? `The batteries are low${volts(ev)}: the guide says replace below ${battery.replaceBelow} V per cell, and failing cells drop further under the motor's load.`
        : ev.battery === 'dead'
          ? `The reading${volts(ev)} is below the level where the lock goes silent, yet it answered: the cells are nearly flat.`
          : ev.symptom === 'code-does-not-unlock'
            ? 'Weak batteries may leave too little power to drive the bolt, and you gave no battery reading.'
            : 'Weak batteries make programming fail with red flashes ("low power causes red flashes"), and you gave no battery reading.';
  return {
    id: 'weak-batteries',
    likelihood,
    basis: ev.battery === 'weak' || ev.battery === 'dead' ? 'confirmed' : 'possible',
    source: 'guide',
    rule: 'battery',
    explanation: reading,
    fix: [BATTERY_FIX, `Replace them whenever a cell reads below ${battery.replaceBelow} V.`],
  };
};

export const deadBatteries: Build = (ev, likelihood) => ({
  id: 'dead-batteries',
  likelihood,
  basis: ev.battery === 'dead' ? 'confirmed' : 'possible',
  source: 'guide',
  rule: 'battery',
  explanation:
    ev.battery === 'dead'
      ? `The batteries are dead${volts(ev)}: below ${ev.model.battery.deadBelow} V per cell the lock gives no light and no sound.`
      : ev.ctx.batteriesReplaced
        ? 'New cells went in, but a cell fitted the wrong way round or a spent "new" one leaves the lock as silent as dead batteries.'
        : "No response is the guide's sign of dead batteries (or a bad contact).",
  fix: [USE_KEY, 'Fit four new alkaline AA cells, each the right way round.'],
});

export const badContact: Build = (_ev, likelihood) => ({
  id: 'bad-contact',
  ...possible(likelihood),
  source: 'guide',
  explanation:
    'A loose battery pack or a faulty contact gives no response even with good cells (the guide: "reseat batteries immediately").',
  fix: [
    USE_KEY,
    'Slide the battery pack out and back in until it seats firmly; wipe the contacts if they look dull or corroded.',
    'If it stays silent, check that the cable from the outside keypad to the inside unit is plugged in and not pinched.',
  ],
});

export const programButtonContact: Build = (_ev, likelihood) => ({
  id: 'program-button-contact',
  ...possible(likelihood),
  source: 'guide',
  explanation:
    'The Program button behind the interior cover was not pressed cleanly: the guide warns that bent tools damage its contacts.',
  fix: ['Press it with the SmartKey tool or a straightened paperclip, straight in, once: expect 2 beeps.'],
});

export const programmingDisabled: Build = (ev, likelihood) => ({
  id: 'programming-disabled',
  likelihood,
  basis: ev.unknown.has('programmingSwitch') ? 'possible' : 'confirmed',
  source: 'guide',
  rule: 'programming-disabled',
  explanation: ev.unknown.has('programmingSwitch')
    ? `On the ${ev.model.id} programming works only while the interior programming switch is on; it may be off.`
    : `The interior programming switch of the ${ev.model.id} is off, so every programming step is refused.`,
  fix: ['Turn on the interior programming switch (keyward guide --op programming-switch), then start again.'],
});

export const corruptedMemory: Build = (ev, likelihood) => ({
  id: 'corrupted-memory',
  ...possible(likelihood),
  source: 'guide',
  explanation: ev.ctx.batteriesReplaced
    ? 'Red flashes persist with new batteries: the guide says corrupted memory is likely.'
    : 'If red flashes persist after new batteries, the guide says corrupted memory is likely.',
  fix: [
    'Write down every code you need, then factory reset (keyward guide --op factory-reset): it erases every code.',
    'Re-add each code and test each one with the door open; reprogramming takes 15 minutes or more.',
  ],
});

export const lockout: Build = (ev, likelihood) => {
  const { wrongAttempts, windowMs, durationMs } = ev.model.lockout;
  return {
    id: 'wrong-code-lockout',
    likelihood,
    basis: (ev.ctx.wrongAttempts ?? 0) >= wrongAttempts ? 'confirmed' : 'possible',
    source: 'field',
    explanation: `${wrongAttempts} wrong codes within ${seconds(windowMs)} disable the keypad for ${seconds(durationMs)}: it shows 15 red flashes and 15 beeps, then ignores every code (even a right one) with one red flash.`,
    fix: [
      `Wait ${seconds(durationMs)} without touching the keypad, then enter the code once, carefully.`,
      USE_KEY,
    ],
  };
};

export const programmingTimeout: Build = (ev, likelihood) => ({
  id: 'programming-timeout',
  ...possible(likelihood),
  source: 'field',
  explanation: `More than ${seconds(ev.model.programmingTimeoutMs)} passed between two keys: the ${ev.model.id} leaves programming with a red flash and drops what was entered.`,
  fix: [
    'Write the new code down first, then start again from the first step without pausing between keys.',
    'keyward guide lists each key and the signal to expect.',
  ],
});

export const entryTimeout: Build = (ev, likelihood) => ({
  id: 'entry-timeout',
  ...possible(likelihood),
  source: 'field',
  explanation: `A pause of more than ${seconds(ev.model.programmingTimeoutMs)} between digits makes the keypad forget what was typed, so the rest reads as a wrong code.`,
  fix: [`Enter the whole code without pausing, then press ${confirmName(ev.model)}.`],
});

export const sequenceError: Build = (ev, likelihood) => ({
  id: 'sequence-error',
  ...possible(likelihood),
  source: 'guide',
  explanation:
    ev.symptom === 'code-does-not-unlock'
      ? `A code opens the ${ev.model.id} only when it is followed by ${confirmName(ev.model)}; another key, or none, leaves the bolt out.`
      : `A key pressed out of order makes the lock answer with a red flash and 3 beeps (the guide: "duplicate code or sequence error"). On the ${ev.model.id}: ${sequenceHint(ev.model)}.`,
  fix:
    ev.symptom === 'code-does-not-unlock'
      ? [`Enter the code, then press ${confirmName(ev.model)}.`]
      : [
          'Start again from the first step, following keyward guide --op add-user --slot N --code C (each key and the signal to expect).',
          TEST_OPEN,
        ],
});

export const lockFullUnknown: Build = (ev, likelihood) => ({
  id: 'lock-full',
  likelihood,
  basis: ev.unknown.has('slots') ? 'possible' : 'confirmed',
  source: 'guide',
  rule: 'capacity',
  explanation: ev.unknown.has('slots')
    ? `The lock holds at most ${ev.model.slots} codes and refuses one more; you did not give its codes.`
    : `All ${ev.model.slots} slots hold a code: the lock refuses a ${ev.model.slots + 1}st.`,
  fix: ['Delete a code you no longer need first (keyward guide --op delete-user --slot N).'],
});

export const codeLengthUnknown: Build = (ev, likelihood) => ({
  id: 'code-length',
  ...possible(likelihood),
  source: 'guide',
  rule: 'length',
  explanation: `The ${ev.model.id} takes user codes of ${ev.model.userCodeLength.min}-${ev.model.userCodeLength.max} digits${ev.model.programmingCode ? ` and a programming code of ${ev.model.programmingCode.length.min}-${ev.model.programmingCode.length.max}` : ''}; a code outside that is refused.`,
  fix: ['Count the digits, and choose a code within the range.'],
});

export const programmingNeverUnlocks: Build = (ev, likelihood) => {
  const known = ev.attempt?.isProgramming === true;
  return {
    id: 'programming-code-never-unlocks',
    likelihood,
    basis: known ? 'confirmed' : 'possible',
    source: 'guide',
    conflictsWith: 'programming',
    explanation: known
      ? `${ev.attempt?.code} is the programming code: it only manages settings and never opens the door (the guide).`
      : 'The programming code never opens the door: it only manages settings. If the code you entered is the programming code, that is why.',
    fix: [
      'Open with a user code or the key.',
      'To open with a code, add one as a user code with first four digits that differ from the programming code (keyward guide --op add-user --slot N --code C).',
    ],
  };
};

export const codeNotOnLock: Build = (ev, likelihood) => {
  const code = ev.attempt?.code;
  const slotsKnown = !ev.unknown.has('slots');
  const lockedOutNext = ev.model.lockout.wrongAttempts - (ev.ctx.wrongAttempts ?? 0);
  return {
    id: 'code-not-on-lock',
    likelihood,
    basis: code && slotsKnown ? 'confirmed' : 'possible',
    source: 'field',
    explanation:
      code && slotsKnown
        ? `${code} is in none of the lock's slots, so the keypad treats it as a wrong code (${describeSignals(ev.model.signals.wrongCode)}).`
        : 'The code entered is not in any slot (never added, deleted, or mistyped), so the keypad treats it as a wrong code.',
    fix: [
      lockedOutNext <= 1
        ? `Stop: one more wrong code locks the keypad for ${seconds(ev.model.lockout.durationMs)}. ${USE_KEY}`
        : USE_KEY,
      'Add the code, with the door open, if it should open this door (keyward guide --op add-user --slot N --code C).',
    ],
  };
};

export const codeDeleted: Build = (ev, likelihood) => ({
  id: 'code-deleted',
  likelihood,
  basis: 'confirmed',
  source: 'field',
  explanation: `${ev.attempt?.code} was deleted from the lock, so it no longer opens the door${ev.model.quirks.deletedCodeMemory ? '; its first four digits stay reserved until a factory reset, so it cannot simply be added back' : ''}.`,
  fix: ev.model.quirks.deletedCodeMemory
    ? [
        USE_KEY,
        'Give this person a new code with other first four digits, or factory reset (keyward guide --op factory-reset) and re-add every code.',
      ]
    : [USE_KEY, 'Add it again if it should open this door (keyward guide --op add-user --slot N --code C).'],
});

/**
 * The code entered and a stored code agree over the shorter of the two but differ in length:
 * a digit left out or added, the commonest slip at the door.
 */
export function partialMatch(ev: Evidence): number | null {
  const code = ev.attempt?.code;
  if (!code || !/^[0-9]+$/.test(code)) return null;
  const presses = pressSequence(code, ev.model);
  for (const [slot, stored] of occupiedSlots(ev.state)) {
    if (stored.length === code.length) continue;
    const held = pressSequence(stored, ev.model);
    if (held.startsWith(presses) || presses.startsWith(held)) return slot;
  }
  return null;
}

/** A stored code with the same first four presses but other digits after them. */
export function prefixMatch(ev: Evidence): number | null {
  const code = ev.attempt?.code;
  if (!code || !/^[0-9]+$/.test(code) || code.length < 4) return null;
  const key = prefixKey(code, ev.model);
  for (const [slot, stored] of occupiedSlots(ev.state)) if (prefixKey(stored, ev.model) === key) return slot;
  return null;
}

export function incompleteCode(ev: Evidence, slot: number, likelihood: number): Cause {
  const stored = ev.state.slots[String(slot)] ?? '';
  const code = ev.attempt?.code ?? '';
  // On a 5-button pad the digits may differ while the buttons are the same.
  const sameDigits = stored.startsWith(code) || code.startsWith(stored);
  const unit = sameDigits ? 'digits' : 'button presses';
  return {
    id: 'incomplete-code',
    likelihood,
    basis: 'confirmed',
    source: 'field',
    conflictsWith: slot,
    explanation: `Slot ${slot} holds a ${stored.length}-digit code that ${stored.length > code.length ? `begins with the ${code.length} ${unit} entered` : `is the first ${stored.length} of the ${code.length} ${unit} entered`}: the lock wants every digit of it, and no more.`,
    fix: [`Enter all ${stored.length} digits of slot ${slot}'s code, then press ${confirmName(ev.model)}.`],
  };
}

export function mistypedCode(ev: Evidence, slot: number, likelihood: number): Cause {
  return {
    id: 'mistyped-code',
    likelihood,
    basis: 'possible',
    source: 'field',
    conflictsWith: slot,
    explanation: `Slot ${slot} holds a code with the same first four digits but different digits after them: a digit was probably mistyped.`,
    fix: [`Enter slot ${slot}'s code again slowly, then press ${confirmName(ev.model)}.`],
  };
}

export const boltBinding: Build = (ev, likelihood) => ({
  id: 'bolt-binding',
  ...possible(likelihood),
  source: 'field',
  explanation:
    ev.attempt?.opens != null
      ? `${ev.attempt.code} is in slot ${ev.attempt.opens}, so the lock takes it; if it answers with green but the bolt stays out, the bolt is binding on the strike.`
      : 'If the lock answers with green but the bolt stays out, the bolt is binding on the strike.',
  fix: [
    'Turn the key: if it turns stiffly, push or pull the door while turning; adjust the strike plate so the bolt runs free.',
    'Lubricate with graphite powder once a year (never oil).',
  ],
});
