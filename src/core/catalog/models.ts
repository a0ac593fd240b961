import {
  type BatteryProfile,
  type Digit,
  FACT_NAMES,
  type FactName,
  type Key,
  type Lockout,
  type ModelProfile,
  type Quirks,
  type Signal,
  type SignalDialect,
  type SourceId,
} from './types.js';

const DIGITS: readonly Digit[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const TEN_BUTTONS: readonly (readonly Digit[])[] = DIGITS.map((d) => [d]);
/** 5-button pads: 1|2, 3|4, 5|6, 7|8, 9|0 (Alarm.com partner docs; docs/lock-rules.md). */
const FIVE_BUTTONS: readonly (readonly Digit[])[] = [
  ['1', '2'],
  ['3', '4'],
  ['5', '6'],
  ['7', '8'],
  ['9', '0'],
];

const green = (count: number): Signal => ({ led: 'green', count });
const red = (count: number): Signal => ({ led: 'red', count });
const amber = (count: number): Signal => ({ led: 'amber', count });
const short = (count: number): Signal => ({ beep: 'short', count });
const long = (count: number): Signal => ({ beep: 'long', count });

/** The guide's common language: green + 1-2 beeps success, red + 3 beeps failure. */
const BASE_SIGNALS: SignalDialect = {
  slotSelected: [green(1)],
  saved: [green(1), short(1)],
  programmingCodeSaved: [green(1), short(2)],
  stepTaken: [],
  menuOpened: [short(2)],
  failure: [red(1), short(3)],
  lowBattery: [red(3)],
  timeout: [red(1)],
  unlocked: [green(1)],
  locked: [amber(1)],
  wrongCode: [red(1), short(3)],
  lockout: [red(15), short(15)],
  resetArmed: [red(1), short(1)],
  deleteAllArmed: [amber(2)],
  keypadDisabled: [red(1)],
  resetDone: [green(1), short(1)],
  deletedByCode: [long(1)],
};

/** Alarm 167 at 4.8 V and 168 at 4.5 V over 4 AA cells (zwave-js); guide: replace below 1.3 V. */
const BATTERY: BatteryProfile = {
  cells: 4,
  replaceBelow: 1.3,
  programmingFailsAtOrBelow: 1.2,
  critical: 1.125,
  deadBelow: 1.0,
};

const LOCKOUT: Lockout = { wrongAttempts: 3, windowMs: 60_000, durationMs: 60_000 };

const NO_QUIRKS: Quirks = {
  deletedCodeMemory: false,
  programmingSwitch: false,
  deleteAllCodes: true,
  supervisionBroken: false,
  reportsSlotZeroWhenFull: false,
};

const GUIDE_QUIRKS: Quirks = { ...NO_QUIRKS, deletedCodeMemory: true, deleteAllCodes: false };

function buttonKeys(): Key[] {
  return [...DIGITS, 'program', 'kwikset', 'lock'];
}

function touchKeys(): Key[] {
  return [...DIGITS, 'program', 'enter', 'lock'];
}

type Draft = Omit<ModelProfile, 'keys' | 'aliases' | 'confirmKey' | 'saveKey' | 'buttons'>;

/**
 * Details no source settles, decided once for the twin the way SmartCode firmware of this family
 * behaves, and written beside every model so a reader knows they are choices.
 */
const TWIN_CHOICES: readonly string[] = [
  'Twin: a slot is cleared by selecting it with Program presses and pressing Lock without entering a code.',
  'Twin: a new code in an occupied slot is compared with the code it replaces too, so a same-prefix replacement needs a delete first.',
  'Twin: a programming sequence left without a key for the programming time-out ends with one red flash.',
  'Twin: weak batteries let the sequence run and fail at the save with red flashes; dead batteries give no response at all.',
  'Twin: keys pressed during the wrong-code lockout answer with one red flash and do nothing.',
  'Twin: code lengths are checked when the code is saved, not while it is typed.',
];

function withChoices(profile: ModelProfile): ModelProfile {
  return { ...profile, notes: [...profile.notes, ...TWIN_CHOICES] };
}

/** On button pads the Kwikset logo button is also the lock button; touchscreens have both. */
function buttonModel(draft: Draft & { fiveButton?: boolean }): ModelProfile {
  const { fiveButton, ...rest } = draft;
  return {
    ...rest,
    buttons: fiveButton ? FIVE_BUTTONS : TEN_BUTTONS,
    keys: buttonKeys(),
    aliases: { lock: 'kwikset' },
    confirmKey: 'kwikset',
    saveKey: 'lock',
  };
}

function touchModel(draft: Draft): ModelProfile {
  return {
    ...draft,
    buttons: TEN_BUTTONS,
    keys: touchKeys(),
    aliases: {},
    confirmKey: 'enter',
    saveKey: 'lock',
  };
}

function sourced(
  base: SourceId[],
  overrides: Partial<Record<FactName, SourceId[]>>,
): Record<FactName, SourceId[]> {
  const out = {} as Record<FactName, SourceId[]>;
  for (const fact of FACT_NAMES) out[fact] = overrides[fact] ?? base;
  return out;
}

const KWIKSET = 0x0090;
/** The Home Connect module of the 910 family, shared by 910, 912, 914 and 916 (zwave-js 910.json). */
const HOME_CONNECT_IDS = [
  { productType: 0x0001, productIds: [0x0001, 0x0236] },
  { productType: 0x0003, productIds: [0x0238, 0x0000] },
];

export const MODELS: readonly ModelProfile[] = (
  [
    buttonModel({
      id: '264',
      name: 'SmartCode 264 Deadbolt',
      keypad: '10-key',
      radio: 'none',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: {
        length: { min: 4, max: 10 },
        default: '0000',
        style: 'keypad',
        mayShareUserPrefix: false,
      },
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: GUIDE_QUIRKS,
      signals: { ...BASE_SIGNALS, programmingCodeSaved: [green(2), short(2)] },
      zwave: null,
      sources: sourced(['guide'], {
        keypad: ['guide', 'family-assumption'],
        radio: ['guide', 'family-assumption'],
        lockout: ['family-assumption', 'manual-909'],
        battery: ['guide', 'zwave-js-config'],
        zwave: ['guide'],
      }),
      notes: [
        'Guide: programming code 4-10 digits, default 0000; Kwikset, 4, Kwikset within 5 seconds; double green flash + 2 beeps.',
        'The guide gives user codes 4-8 digits on button models, so the 264 takes 4-8 user digits but a 4-10 digit programming code.',
        'Keypad drawn as the 10-key SmartCode pad (the guide names a Kwikset button and digits 0-9).',
        'Wrong-code lockout not in the guide: Keyward assumes the 909/916/HC620 behaviour of the same family.',
        'Deleted codes keep their prefix reserved until a factory reset (guide, troubleshooting).',
      ],
    }),
    touchModel({
      id: '275',
      name: 'SmartCode 275 Contemporary (touchscreen)',
      keypad: 'touchscreen',
      radio: 'none',
      slots: 30,
      userCodeLength: { min: 4, max: 10 },
      programmingCode: {
        length: { min: 4, max: 10 },
        default: '0000',
        style: 'keypad',
        mayShareUserPrefix: false,
      },
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: GUIDE_QUIRKS,
      signals: {
        ...BASE_SIGNALS,
        stepTaken: [short(1)],
        programmingCodeSaved: [short(2), green(1)],
        failure: [red(1), short(3)],
      },
      zwave: null,
      sources: sourced(['guide'], {
        programmingTimeout: ['family-assumption'],
        lockout: ['family-assumption', 'manual-916'],
        battery: ['guide', 'zwave-js-config'],
      }),
      notes: [
        'Guide: 0000, enter arrow (single beep), 4, enter (single beep), new 4-10 digit code, enter: 2 beeps + green, or 3 beeps on a prefix conflict.',
        'User codes 4-10 digits (guide: touchscreen models). The field says 4-8 on touchscreens; the guide wins for the 275.',
        'Programming time-out not in the guide: Keyward assumes the 264 value of 5 s.',
      ],
    }),
    buttonModel({
      id: '913',
      name: 'SmartCode 913 Z-Wave Deadbolt',
      keypad: '10-key',
      radio: 'zwave',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: {
        length: { min: 4, max: 8 },
        default: null,
        style: 'keypad',
        mayShareUserPrefix: false,
      },
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: GUIDE_QUIRKS,
      signals: BASE_SIGNALS,
      zwave: null,
      sources: sourced(['guide'], {
        keypad: ['family-assumption'],
        programmingCode: ['design-field'],
        programmingTimeout: ['family-assumption'],
        lockout: ['family-assumption', 'manual-909'],
        battery: ['guide', 'zwave-js-config'],
        signals: ['guide', 'family-assumption'],
        zwave: ['guide', 'family-assumption'],
      }),
      notes: [
        'The guide names the 913 as a Z-Wave model for remote code management and gives no keypad procedure of its own.',
        'Field: the programming (master) code is optional and off by default on 888/913/914; while none is set it can only be set through the Z-Wave controller.',
        'No zwave-js device file names the 913; discovery offers it as a candidate for Kwikset nodes it cannot match.',
      ],
    }),
    buttonModel({
      id: '955',
      name: 'SmartCode 955 (interior program button)',
      keypad: '10-key',
      radio: 'zwave',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: {
        length: { min: 4, max: 8 },
        default: null,
        style: 'menu',
        mayShareUserPrefix: false,
      },
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: { ...GUIDE_QUIRKS, programmingSwitch: true },
      signals: {
        ...BASE_SIGNALS,
        menuOpened: [short(2)],
        stepTaken: [short(1), green(1)],
        programmingCodeSaved: [long(1), green(1)],
        deletedByCode: [long(1)],
      },
      zwave: null,
      sources: sourced(['guide'], {
        keypad: ['guide', 'family-assumption'],
        programmingTimeout: ['family-assumption'],
        lockout: ['family-assumption', 'manual-909'],
        battery: ['guide', 'zwave-js-config'],
        zwave: ['guide', 'family-assumption'],
      }),
      notes: [
        'Guide: Program once gives 2 beeps (programming mode); 3 gives a short beep + green flash; code, Kwikset, code, Kwikset; 1 long beep + green flash.',
        'Guide: delete without the programming code: Program (2 beeps), 2 (green flash), Kwikset, code, Kwikset, code, Kwikset, long beep.',
        "Because the 955's first Program press opens its menu, Keyward's add-user steps on it are: Program, 1 (green flash), then the guide's Program presses for the slot, the code and Lock.",
        'The guide gives no default programming code for the 955: a new lock has none until one is set with the 3 function.',
        'Programming needs the interior programming switch on (guide, troubleshooting).',
      ],
    }),
    buttonModel({
      id: '888',
      name: 'SmartCode 888 Touchpad Electronic Deadbolt (Z-Wave)',
      keypad: '5-button',
      fiveButton: true,
      radio: 'zwave',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: {
        length: { min: 4, max: 8 },
        default: null,
        style: 'keypad',
        mayShareUserPrefix: true,
      },
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: { ...NO_QUIRKS, reportsSlotZeroWhenFull: true },
      signals: BASE_SIGNALS,
      zwave: { manufacturerId: KWIKSET, productType: 0x0003, productIds: [0x0541] },
      sources: sourced(['design-field', 'manual-888'], {
        keypad: ['design-field', 'alarm-com', 'smartthings'],
        lockout: ['family-assumption', 'manual-909'],
        battery: ['zwave-js-config', 'guide'],
        quirks: ['smartthings', 'family-assumption'],
        signals: ['guide', 'family-assumption'],
        zwave: ['zwave-js-config'],
      }),
      notes: [
        '5-button pad: 1|2, 3|4, 5|6, 7|8, 9|0; 1357 and 2468 are the same code.',
        'Master code optional and off by default; the 888 manual permits it to equal a user code, so the prefix rule does not bind it.',
        'Twin: a master code that is also a user code unlocks the door when entered, so it can then only be changed through the controller.',
        'No deleted-code memory: the guide that reports it names other models, and the field sources do not report it here.',
      ],
    }),
    buttonModel({
      id: '909',
      name: 'SmartCode 909 Deadbolt',
      keypad: '5-button',
      fiveButton: true,
      radio: 'none',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: null,
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: NO_QUIRKS,
      signals: BASE_SIGNALS,
      zwave: null,
      sources: sourced(['design-field', 'manual-909'], {
        keypad: ['design-field', 'alarm-com'],
        battery: ['zwave-js-config', 'guide'],
        signals: ['guide', 'manual-909'],
        zwave: ['design-field'],
      }),
      notes: ['No radio: every change is a keypress procedure.', '5-button pad: 625 four-press codes.'],
    }),
    buttonModel({
      id: '910',
      name: 'SmartCode 910 Deadbolt (Home Connect)',
      keypad: '5-button',
      fiveButton: true,
      radio: 'zwave-or-zigbee',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: null,
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: { ...NO_QUIRKS, reportsSlotZeroWhenFull: true },
      signals: BASE_SIGNALS,
      zwave: { manufacturerId: KWIKSET, ...HOME_CONNECT_IDS[0]! },
      sources: sourced(['design-field'], {
        keypad: ['design-field', 'alarm-com', 'zigbee-model-ids'],
        programmingTimeout: ['family-assumption', 'manual-909'],
        lockout: ['family-assumption', 'manual-909'],
        battery: ['zwave-js-config', 'guide'],
        quirks: ['smartthings'],
        signals: ['guide', 'family-assumption'],
        zwave: ['zwave-js-config'],
      }),
      notes: [
        'Zigbee model id SMARTCODE_DEADBOLT_5.',
        'Time-out and lockout as the 909 of the same keypad family.',
      ],
    }),
    buttonModel({
      id: '912',
      name: 'SmartCode 912 Lever (Home Connect)',
      keypad: '5-button',
      fiveButton: true,
      radio: 'zwave-or-zigbee',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: null,
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: { ...NO_QUIRKS, reportsSlotZeroWhenFull: true },
      signals: BASE_SIGNALS,
      zwave: { manufacturerId: KWIKSET, ...HOME_CONNECT_IDS[0]! },
      sources: sourced(['design-field'], {
        keypad: ['design-field', 'zigbee-model-ids', 'smartthings'],
        programmingTimeout: ['family-assumption', 'manual-909'],
        lockout: ['family-assumption', 'manual-909'],
        battery: ['zwave-js-config', 'guide'],
        quirks: ['smartthings'],
        signals: ['guide', 'family-assumption'],
        zwave: ['zwave-js-config', 'family-assumption'],
      }),
      notes: [
        'Zigbee model id SMARTCODE_LEVER_5.',
        'Shares the 910 Home Connect module ids, so discovery asks which of the two it is.',
      ],
    }),
    buttonModel({
      id: '914',
      name: 'SmartCode 914 Deadbolt (Home Connect)',
      keypad: '10-key',
      radio: 'zwave-or-zigbee',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: {
        length: { min: 4, max: 8 },
        default: null,
        style: 'keypad',
        mayShareUserPrefix: false,
      },
      programmingTimeoutMs: 5_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: NO_QUIRKS,
      signals: BASE_SIGNALS,
      zwave: { manufacturerId: KWIKSET, ...HOME_CONNECT_IDS[1]! },
      sources: sourced(['design-field'], {
        keypad: ['design-field', 'zigbee-model-ids'],
        programmingTimeout: ['family-assumption', 'manual-909'],
        lockout: ['family-assumption', 'manual-909'],
        battery: ['zwave-js-config', 'guide'],
        quirks: ['family-assumption'],
        signals: ['guide', 'family-assumption'],
        zwave: ['zwave-js-config', 'family-assumption'],
      }),
      notes: [
        'Zigbee model id SMARTCODE_DEADBOLT_10_W3, _10T_W3, _10_W3_L or _10_L (the plain SMARTCODE_DEADBOLT_10 is a Weiser model); 30 user codes plus an optional master code, off by default.',
        'While no master code is set it can only be set through the controller.',
      ],
    }),
    touchModel({
      id: '916',
      name: 'SmartCode 916 Touchscreen Deadbolt',
      keypad: 'touchscreen',
      radio: 'zwave-or-zigbee',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: {
        length: { min: 4, max: 8 },
        default: null,
        style: 'keypad',
        mayShareUserPrefix: false,
      },
      programmingTimeoutMs: 20_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: NO_QUIRKS,
      signals: { ...BASE_SIGNALS, stepTaken: [short(1)] },
      zwave: { manufacturerId: KWIKSET, ...HOME_CONNECT_IDS[1]! },
      sources: sourced(['design-field', 'manual-916'], {
        battery: ['zwave-js-config', 'guide'],
        quirks: ['family-assumption'],
        signals: ['guide', 'family-assumption'],
        zwave: ['zwave-js-config', 'family-assumption'],
      }),
      notes: [
        'User codes 4-8 digits (field). The guide says 4-10 on touchscreens; the field wins for models the guide does not name.',
        'Programming time-out 20 s (touchscreens 915/916).',
      ],
    }),
    touchModel({
      id: '954',
      name: 'Obsidian 954 Keyway-less Touchscreen Deadbolt',
      keypad: 'touchscreen',
      radio: 'zwave',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: null,
      programmingTimeoutMs: 20_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: NO_QUIRKS,
      signals: { ...BASE_SIGNALS, stepTaken: [short(1)] },
      zwave: null,
      sources: sourced(['design-field'], {
        programmingTimeout: ['family-assumption', 'manual-916'],
        lockout: ['family-assumption', 'manual-916'],
        battery: ['zwave-js-config', 'guide'],
        quirks: ['family-assumption'],
        signals: ['guide', 'family-assumption'],
        zwave: ['design-field'],
      }),
      notes: [
        'Time-out and lockout as the 916 touchscreen.',
        'No zwave-js device file matched; discovery asks.',
      ],
    }),
    buttonModel({
      id: 'HC620',
      name: 'Home Connect 620',
      keypad: '10-key',
      radio: 'zwave',
      slots: 30,
      userCodeLength: { min: 4, max: 8 },
      programmingCode: null,
      programmingTimeoutMs: 6_000,
      lockout: LOCKOUT,
      battery: BATTERY,
      quirks: { ...NO_QUIRKS, supervisionBroken: true },
      signals: BASE_SIGNALS,
      zwave: {
        manufacturerId: KWIKSET,
        productType: 0x0811,
        productIds: [0x03a8, 0x13a8, 0x23a8, 0x23a9, 0x00a9],
      },
      sources: sourced(['design-field', 'manual-hc620'], {
        keypad: ['design-field', 'family-assumption'],
        battery: ['zwave-js-config', 'guide'],
        quirks: ['zwave-js-config'],
        signals: ['guide', 'family-assumption'],
        zwave: ['zwave-js-config'],
      }),
      notes: ['zwave-js disables Supervision on this lock: it keeps spamming Supervision Reports otherwise.'],
    }),
  ] as ModelProfile[]
).map(withChoices);
