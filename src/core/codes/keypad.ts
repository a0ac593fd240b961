import type { ModelProfile } from '../catalog/types.js';

/**
 * The lock compares button presses, not digits. On a 5-button pad every digit is folded onto
 * the first label of its button (2 -> 1, 4 -> 3, ... 0 -> 9) so that two codes are equal exactly
 * when the lock would take them for the same presses.
 */
const FOLD = new Map<string, Uint8Array>();

function foldTable(model: ModelProfile): Uint8Array {
  // Stryker disable next-line all: equivalent, every 5-button pad has the same buttons, so any key finds the same table
  const key = model.buttons.map((b) => b.join('')).join('|');
  let table = FOLD.get(key);
  // Stryker disable next-line ConditionalExpression: equivalent, rebuilding the table gives the same table
  if (!table) {
    table = new Uint8Array(10);
    for (const button of model.buttons) {
      const first = button[0]!.charCodeAt(0) - 48;
      for (const d of button) table[d.charCodeAt(0) - 48] = first;
    }
    FOLD.set(key, table);
  }
  return table;
}

export function isDigits(code: string): boolean {
  return /^[0-9]+$/.test(code);
}

/** The presses as the lock sees them, written as digits (the first label of each button). */
export function pressSequence(code: string, model: ModelProfile): string {
  // Stryker disable next-line ConditionalExpression: equivalent, folding a 10-key pad is the identity
  if (model.buttons.length === 10) return code;
  const table = foldTable(model);
  let out = '';
  for (let i = 0; i < code.length; i++) out += String.fromCharCode(48 + table[code.charCodeAt(i) - 48]!);
  return out;
}

/**
 * The first four presses as one integer (0..9999), the unit of the first-4-digit rule.
 * Codes shorter than four presses are never stored, so they get -1 and match nothing.
 */
export function prefixKey(code: string, model: ModelProfile): number {
  if (code.length < 4) return -1;
  // Stryker disable next-line ConditionalExpression: equivalent, folding a 10-key pad is the identity
  const table = model.buttons.length === 10 ? null : foldTable(model);
  let key = 0;
  for (let i = 0; i < 4; i++) {
    const d = code.charCodeAt(i) - 48;
    key = key * 10 + (table ? table[d]! : d);
  }
  return key;
}

export function prefixText(key: number): string {
  return String(key).padStart(4, '0');
}

/** How many different codes of this length the keypad can form. */
export function keyspace(model: ModelProfile, length: number): number {
  return model.buttons.length ** length;
}

/** Same presses on this model's keypad. */
export function samePresses(a: string, b: string, model: ModelProfile): boolean {
  return a.length === b.length && pressSequence(a, model) === pressSequence(b, model);
}
