export type KeypadKind = '5-button' | '10-key' | 'touchscreen';
export type Radio = 'none' | 'zwave' | 'zigbee' | 'zwave-or-zigbee';
export type Key =
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | 'program'
  | 'kwikset'
  | 'lock'
  | 'enter';
export type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

export type Signal =
  | { led: 'green' | 'red' | 'amber'; count: number }
  | { beep: 'short' | 'long'; count: number };

export interface LengthRange {
  min: number;
  max: number;
}

/**
 * How the lock answers each event. Each model speaks its own dialect: the 264 shows a double green
 * flash for a new programming code where the 955 gives one long beep.
 */
export interface SignalDialect {
  /** Program button pressed to select a slot (one per press). */
  slotSelected: Signal[];
  /** A user code saved or a slot cleared. */
  saved: Signal[];
  /** A new programming code taken. */
  programmingCodeSaved: Signal[];
  /** A step of a programming sequence taken (275: a single beep after each enter). */
  stepTaken: Signal[];
  /** A programming mode opened with the interior Program button (955: two beeps). */
  menuOpened: Signal[];
  /** A user code refused, or a sequence error. */
  failure: Signal[];
  /** Programming attempted on weak batteries. */
  lowBattery: Signal[];
  /** A programming sequence abandoned because the next key came too late. */
  timeout: Signal[];
  unlocked: Signal[];
  locked: Signal[];
  wrongCode: Signal[];
  lockout: Signal[];
  /** Factory reset: Program held 30 s after power-up. */
  resetArmed: Signal[];
  /** Program held 3 s while idle: the next Lock press deletes every user code. */
  deleteAllArmed: Signal[];
  /** A key pressed while the keypad is disabled by the wrong-code lockout. */
  keypadDisabled: Signal[];
  resetDone: Signal[];
  /** A 955 code deleted by its own digits. */
  deletedByCode: Signal[];
}

export type ProgrammingStyle =
  /** 955: the interior Program button opens a menu (1 add, 2 delete by code, 3 programming code). */
  | 'menu'
  /** 264, 913, 914, 888, 275, 916: programming code, confirm, 4, confirm, new code, confirm. */
  | 'keypad';

export interface ProgrammingCodeProfile {
  length: LengthRange;
  /** The code a factory-new lock has; null when the feature is off until someone sets it. */
  default: string | null;
  style: ProgrammingStyle;
  /** 888 manual: the master code may equal a user code, so the prefix rule does not bind it. */
  mayShareUserPrefix: boolean;
}

export interface Lockout {
  wrongAttempts: number;
  windowMs: number;
  durationMs: number;
}

export interface BatteryProfile {
  cells: number;
  /** Guide: replace below this many volts per cell. */
  replaceBelow: number;
  /** zwave-js alarm 167 (low, <= 4.8 V): programming fails with red flashes at or below this. */
  programmingFailsAtOrBelow: number;
  /** zwave-js alarm 168 (critical, <= 4.5 V). */
  critical: number;
  /** Below this the lock gives no response at all. */
  deadBelow: number;
}

export interface Quirks {
  /** Guide: deleted codes keep their first four digits reserved until a factory reset. */
  deletedCodeMemory: boolean;
  /** 955: programming works only with the interior switch on. */
  programmingSwitch: boolean;
  /** Field models: hold Program 3 s, release, press Lock to delete every user code. */
  deleteAllCodes: boolean;
  /** zwave-js config: Supervision is disabled because the lock mishandles it. */
  supervisionBroken: boolean;
  /** SmartThings: reports code id 0 when all slots are full. */
  reportsSlotZeroWhenFull: boolean;
}

export interface ZWaveIdentity {
  manufacturerId: number;
  productType: number;
  productIds: number[];
}

/** Facts that must each carry a source. */
export const FACT_NAMES = [
  'keypad',
  'radio',
  'slots',
  'userCodeLength',
  'programmingCode',
  'programmingTimeout',
  'lockout',
  'battery',
  'quirks',
  'signals',
  'zwave',
] as const;

export type FactName = (typeof FACT_NAMES)[number];

export interface ModelProfile {
  id: string;
  name: string;
  keypad: KeypadKind;
  /**
   * The digit buttons as pressed: on a 5-button pad each button carries two digits and the lock
   * only sees which button went down.
   */
  buttons: readonly (readonly Digit[])[];
  /** Every key label the model accepts. */
  keys: readonly Key[];
  /** Confirms a code at the keypad (unlock, programming code). */
  confirmKey: 'kwikset' | 'enter';
  /** Saves a user code after the Program presses (guide: "press lock button to save"). */
  saveKey: 'lock';
  /** Keys that are one physical button: on button pads the Kwikset logo is the lock button. */
  aliases: Readonly<Partial<Record<Key, Key>>>;
  radio: Radio;
  slots: number;
  userCodeLength: LengthRange;
  programmingCode: ProgrammingCodeProfile | null;
  programmingTimeoutMs: number;
  lockout: Lockout;
  battery: BatteryProfile;
  quirks: Quirks;
  signals: SignalDialect;
  zwave: ZWaveIdentity | null;
  sources: Readonly<Record<FactName, readonly SourceId[]>>;
  /** Disagreements between sources and choices made where they are silent. */
  notes: readonly string[];
}

export type SourceId =
  | 'guide'
  | 'design-field'
  | 'manual-888'
  | 'manual-909'
  | 'manual-916'
  | 'manual-hc620'
  | 'zwave-js-config'
  | 'zigbee-model-ids'
  | 'alarm-com'
  | 'smartthings'
  | 'family-assumption';
