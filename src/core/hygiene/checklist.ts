import type { ModelProfile } from '../catalog/types.js';
import { describeSignals } from '../guide/words.js';

export interface ChecklistItem {
  id: 'test-codes' | 'clean-keypad' | 'battery-voltage' | 'key-turns';
  title: string;
  /** How to do it on this model, and what to expect. */
  detail: string;
  /** What is already known from the lock state: `ok`, `act` (do something now) or `unknown`. */
  status: 'ok' | 'act' | 'unknown';
  /** Why the status is what it is, when something is known. */
  finding?: string;
}

export interface ChecklistInput {
  model: ModelProfile;
  /** Codes on the lock, when known, so the test step can say how many. */
  codeCount?: number;
  voltsPerCell?: number;
  /** The graphite is due once a year; true when the calendar says it is due now. */
  lubricationDue?: boolean;
}

/** The guide's "Monthly Maintenance Checklist", worded for one lock. */
export function monthlyChecklist(input: ChecklistInput): ChecklistItem[] {
  const { model } = input;
  const confirm = model.confirmKey === 'kwikset' ? 'the Kwikset button' : 'the enter arrow';
  const { replaceBelow, programmingFailsAtOrBelow } = model.battery;
  const volts = input.voltsPerCell;
  const codes =
    input.codeCount === undefined
      ? 'every user code'
      : input.codeCount === 1
        ? 'the one user code'
        : `all ${input.codeCount} user codes`;

  let battery: Pick<ChecklistItem, 'status' | 'finding'> = { status: 'unknown' };
  if (volts !== undefined) {
    battery =
      volts < replaceBelow
        ? {
            status: 'act',
            finding: `${volts} V per cell is below ${replaceBelow} V: replace all ${model.battery.cells} now${volts <= programmingFailsAtOrBelow ? ' (programming already fails at this level)' : ''}`,
          }
        : { status: 'ok', finding: `${volts} V per cell, at or above ${replaceBelow} V` };
  }

  return [
    {
      id: 'test-codes',
      title: 'Test every user code with the door open',
      detail: `With the door open and the bolt thrown, enter ${codes}, each followed by ${confirm}: each should give ${describeSignals(model.signals.unlocked)} and draw the bolt. Close the door only when every code works.`,
      status: 'unknown',
    },
    {
      id: 'clean-keypad',
      title: 'Wipe the keypad with a dry microfiber cloth',
      detail:
        model.keypad === 'touchscreen'
          ? 'Dirt on the touchscreen makes it miss or repeat touches; wipe it dry, no sprays.'
          : 'Dirt causes stuck buttons; wipe each button dry, no sprays.',
      status: 'unknown',
    },
    {
      id: 'battery-voltage',
      title: 'Check the battery voltage',
      detail: `Measure each of the ${model.battery.cells} AA cells; replace all of them with new alkalines when any reads below ${replaceBelow} V.`,
      ...battery,
    },
    {
      id: 'key-turns',
      title: 'Verify the physical key turns smoothly',
      detail:
        'Turn the key both ways with the door closed; if it drags, lubricate the cylinder with graphite powder (once a year; never oil).',
      ...(input.lubricationDue === undefined
        ? { status: 'unknown' as const }
        : input.lubricationDue
          ? { status: 'act' as const, finding: 'the yearly graphite is due' }
          : { status: 'unknown' as const, finding: 'graphite done within the year' }),
    },
  ];
}

/** The guide's "Code Hygiene Essentials": practices, not dates. */
export const CODE_HYGIENE = [
  'Never use predictable codes: addresses, phone numbers, birthdays or 1234 (keyward check CODE flags them).',
  'Store codes offline in a password manager, not on a sticky note on the door.',
  'Keep the first four digits of every code different (the lock refuses a second code that starts alike).',
] as const;
