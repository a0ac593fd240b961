import type { KeypadKind, ModelProfile } from '../catalog/types.js';
import { pressSequence } from './keypad.js';

export type AdviceRule =
  | 'repeated'
  | 'sequence'
  | 'date'
  | 'year'
  | 'keypad-walk'
  | 'common'
  | 'personal'
  | 'brute-force';

/** Hygiene: never a reason for the lock to refuse, always a reason for a person to choose again. */
export interface Advice {
  rule: AdviceRule;
  message: string;
}

/**
 * Where each key sits, as [row, column]. Kwikset's 10-key pads are two columns of five buttons
 * (1 2 / 3 4 / 5 6 / 7 8 / 9 0), unlike a phone, so a "shape" must be judged on the lock's own
 * layout: 1357 is a straight line down a Kwikset pad, 2580 is one on a touchscreen.
 */
const LAYOUTS: Record<KeypadKind, Readonly<Record<string, readonly [number, number]>>> = {
  '10-key': {
    '1': [0, 0],
    '2': [0, 1],
    '3': [1, 0],
    '4': [1, 1],
    '5': [2, 0],
    '6': [2, 1],
    '7': [3, 0],
    '8': [3, 1],
    '9': [4, 0],
    '0': [4, 1],
  },
  touchscreen: {
    '1': [0, 0],
    '2': [0, 1],
    '3': [0, 2],
    '4': [1, 0],
    '5': [1, 1],
    '6': [1, 2],
    '7': [2, 0],
    '8': [2, 1],
    '9': [2, 2],
    '0': [3, 1],
  },
  // Press sequences are written with the first label of each button (1, 3, 5, 7, 9).
  '5-button': { '1': [0, 0], '3': [1, 0], '5': [2, 0], '7': [3, 0], '9': [4, 0] },
};

const LAYOUT_NAMES: Record<KeypadKind, string> = {
  '10-key': 'Kwikset 10-key pad (1 2 / 3 4 / 5 6 / 7 8 / 9 0)',
  touchscreen: 'touchscreen (phone layout, 0 at the bottom)',
  '5-button': '5-button pad (one column: 1|2, 3|4, 5|6, 7|8, 9|0)',
};

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Date and year building blocks in the model's own terms (digits, or presses on a 5-button pad). */
interface DateTables {
  mmdd: Set<string>;
  ddmm: Set<string>;
  mm: Set<string>;
  yyyy: Set<string>;
}

const TABLES = new Map<string, DateTables>();

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function dateTables(model: ModelProfile): DateTables {
  const key = model.keypad === '5-button' ? '5' : '10';
  let t = TABLES.get(key);
  if (!t) {
    const fold = (s: string) => pressSequence(s, model);
    t = { mmdd: new Set(), ddmm: new Set(), mm: new Set(), yyyy: new Set() };
    for (let m = 1; m <= 12; m++) {
      t.mm.add(fold(two(m)));
      for (let d = 1; d <= DAYS_IN_MONTH[m - 1]!; d++) {
        t.mmdd.add(fold(two(m) + two(d)));
        t.ddmm.add(fold(two(d) + two(m)));
      }
    }
    for (let y = 1900; y <= 2099; y++) t.yyyy.add(fold(String(y)));
    TABLES.set(key, t);
  }
  return t;
}

/** What the lock compares: the digits, or on a 5-button pad the buttons pressed. */
export function lockView(code: string, model: ModelProfile): string {
  return pressSequence(code, model);
}

function pressesNote(model: ModelProfile): string {
  return model.keypad === '5-button' ? ' (as presses on this 5-button pad)' : '';
}

function repeated(s: string, model: ModelProfile): Advice | null {
  const n = s.length;
  const note = pressesNote(model);
  if (/^(.)\1*$/.test(s)) {
    return {
      rule: 'repeated',
      message: `one key pressed ${n} times${note}: among the first codes anyone tries`,
    };
  }
  for (let p = 2; p <= n / 2; p++) {
    let periodic = true;
    for (let i = p; i < n && periodic; i++) periodic = s[i] === s[i - p];
    if (periodic) {
      return {
        rule: 'repeated',
        message: `a block of ${p} repeated (${s.slice(0, p)}...)${note}: repeats are easy to watch and to guess`,
      };
    }
  }
  if (n % 2 === 0) {
    let pairs = true;
    for (let i = 0; i < n && pairs; i += 2) pairs = s[i] === s[i + 1];
    if (pairs)
      return { rule: 'repeated', message: `doubled keys (aabb...)${note}: a pattern guessers try early` };
  }
  if (s === [...s].reverse().join('')) {
    return {
      rule: 'repeated',
      message: `reads the same backwards${note}: mirrored codes are a common choice`,
    };
  }
  if (n >= 6 && new Set(s).size <= 2) {
    return {
      rule: 'repeated',
      message: `only two different keys in ${n} presses${note}: easy to watch and to guess`,
    };
  }
  return null;
}

function runWithStep(s: string, step: number, modulo: number, positions: (c: string) => number): boolean {
  for (let i = 1; i < s.length; i++) {
    const prev = positions(s[i - 1]!);
    const next = positions(s[i]!);
    const diff = modulo ? (((next - prev) % modulo) + modulo) % modulo : next - prev;
    const want = modulo ? ((step % modulo) + modulo) % modulo : step;
    if (diff !== want) return false;
  }
  return true;
}

function sequence(s: string, model: ModelProfile): Advice | null {
  if (model.keypad === '5-button') {
    // Buttons 1|2 .. 9|0 from top to bottom: a run walks straight down or up the column.
    const button = (c: string) => (c.charCodeAt(0) - 49) / 2;
    for (const step of [1, -1]) {
      if (runWithStep(s, step, 0, button)) {
        return {
          rule: 'sequence',
          message: `the buttons in ${step > 0 ? 'ascending' : 'descending'} order (the presses of ${step > 0 ? '1357' : '7531'}...): one of the first guesses`,
        };
      }
    }
    return null;
  }
  const digit = (c: string) => c.charCodeAt(0) - 48;
  // Steps of one wrap around (7890, 8901 count: 0 follows 9 on every keypad); steps of two do not.
  for (const [step, modulo] of [
    [1, 10],
    [-1, 10],
    [2, 0],
    [-2, 0],
  ] as const) {
    if (runWithStep(s, step, modulo, digit)) {
      const kind = step > 0 ? 'ascending' : 'descending';
      const by = Math.abs(step) === 1 ? '' : ' in steps of two';
      return { rule: 'sequence', message: `${kind} digits${by}: among the first codes anyone tries` };
    }
  }
  return null;
}

function walk(s: string, model: ModelProfile): Advice | null {
  const layout = LAYOUTS[model.keypad];
  for (let i = 1; i < s.length; i++) {
    const a = layout[s[i - 1]!];
    const b = layout[s[i]!];
    if (!a || !b) return null;
    if (Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])) !== 1) return null;
    // Going straight back (1-2-1) is a repeat, judged as such; a shape moves on.
    if (i >= 2 && s[i] === s[i - 2]) return null;
  }
  return {
    rule: 'keypad-walk',
    message: `every key is next to the one before on the ${LAYOUT_NAMES[model.keypad]}: a shape is easy to watch and to guess`,
  };
}

function year(s: string, model: ModelProfile): Advice | null {
  if (s.length !== 4 || !dateTables(model).yyyy.has(s)) return null;
  return {
    rule: 'year',
    message: `could be a year (1900-2099)${pressesNote(model)}: birth years are among the most common PINs`,
  };
}

/** Dates people use as PINs: 4 digits MMDD/DDMM; 6 digits with a two-digit or four-digit year; 8 digits. */
function date(s: string, model: ModelProfile): Advice | null {
  const t = dateTables(model);
  const n = s.length;
  const forms: string[] = [];
  if (n === 4) {
    if (t.mmdd.has(s)) forms.push('MMDD');
    if (t.ddmm.has(s)) forms.push('DDMM');
  } else if (n === 6) {
    const head = s.slice(0, 4);
    if (t.mmdd.has(head)) forms.push('MMDDYY');
    if (t.ddmm.has(head)) forms.push('DDMMYY');
    if (t.mm.has(s.slice(0, 2)) && t.yyyy.has(s.slice(2))) forms.push('MMYYYY');
    if (t.yyyy.has(head) && t.mm.has(s.slice(4))) forms.push('YYYYMM');
  } else if (n === 8) {
    if (t.mmdd.has(s.slice(0, 4)) && t.yyyy.has(s.slice(4))) forms.push('MMDDYYYY');
    if (t.ddmm.has(s.slice(0, 4)) && t.yyyy.has(s.slice(4))) forms.push('DDMMYYYY');
    if (t.yyyy.has(s.slice(0, 4)) && t.mmdd.has(s.slice(4))) forms.push('YYYYMMDD');
  }
  if (forms.length === 0) return null;
  return {
    rule: 'date',
    message: `reads as a date (${forms.join(' or ')})${pressesNote(model)}: birthdays and anniversaries are guessed early`,
  };
}

/**
 * The predictable shapes of a code on this model's keypad, one piece of advice per kind. On a
 * 5-button pad the shapes are judged on the presses, because that is all a guesser has to match.
 */
export function patternAdvice(code: string, model: ModelProfile): Advice[] {
  const s = lockView(code, model);
  const out: Advice[] = [];
  for (const rule of [repeated, sequence, walk, year, date]) {
    const advice = rule(s, model);
    if (advice) out.push(advice);
  }
  return out;
}
