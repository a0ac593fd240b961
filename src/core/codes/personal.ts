import type { ModelProfile } from '../catalog/types.js';
import { KeywardError } from '../errors.js';
import { pressSequence } from './keypad.js';
import type { Advice } from './patterns.js';

/** Facts about the code holder that anyone near the door may know. */
export interface PersonalData {
  /** House or flat number as written on the door, digits only. */
  houseNumber?: string;
  /** Phone number, digits only. */
  phone?: string;
  /** YYYY-MM-DD. */
  birthDate?: string;
}

const BIRTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The ways people write a birth date into a PIN. */
function birthDateForms(text: string): string[] {
  const m = BIRTH_DATE.exec(text);
  if (!m) throw new KeywardError('BAD_INPUT', `birth date "${text}" must be YYYY-MM-DD`);
  const [, yyyy, mm, dd] = m as unknown as [string, string, string, string];
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(2000, month, 0)).getUTCDate()) {
    throw new KeywardError('BAD_INPUT', `birth date "${text}" is not a calendar date`);
  }
  const yy = yyyy.slice(2);
  return [
    yyyy,
    mm + dd,
    dd + mm,
    mm + dd + yy,
    dd + mm + yy,
    yy + mm + dd,
    mm + yyyy,
    yyyy + mm,
    mm + dd + yyyy,
    dd + mm + yyyy,
    yyyy + mm + dd,
  ];
}

/** Whether a and b have a run of at least `min` equal consecutive characters in common. */
function shareRun(a: string, b: string, min: number): boolean {
  for (let i = 0; i + min <= b.length; i++) if (a.includes(b.slice(i, i + min))) return true;
  return false;
}

/**
 * The code checked against what the holder told us about themselves, in the lock's terms (on a
 * 5-button pad a phone number's presses are as good as its digits).
 */
export function personalAdvice(
  code: string,
  model: ModelProfile,
  personal: PersonalData | undefined,
): Advice[] {
  if (!personal) return [];
  const view = (s: string) => pressSequence(s, model);
  const c = view(code);
  const out: Advice[] = [];
  const house = personal.houseNumber;
  if (house) {
    const h = view(house);
    // A one-digit house number is in a fifth of all codes; it says nothing.
    const hit = h.length >= 3 ? c.includes(h) : h.length === 2 && (c.startsWith(h) || c.endsWith(h));
    if (hit)
      out.push({
        rule: 'personal',
        message: `contains the house number ${house}: the first thing a stranger at the door sees`,
      });
  }
  const phone = personal.phone;
  if (phone && phone.length >= 4 && shareRun(c, view(phone), 4)) {
    out.push({
      rule: 'personal',
      message: 'shares four or more digits in a row with the phone number: phone numbers are easy to find',
    });
  }
  if (personal.birthDate) {
    const forms = birthDateForms(personal.birthDate).map(view);
    if (forms.some((f) => c.includes(f))) {
      out.push({
        rule: 'personal',
        message:
          'contains the birth date (as a year, day and month, or a full date): birthdays are guessed early',
      });
    }
  }
  return out;
}

/** Validates personal data once, so a bad birth date fails before any code is judged. */
export function assertPersonal(personal: PersonalData): void {
  if (personal.birthDate) birthDateForms(personal.birthDate);
  for (const [name, value] of [
    ['house number', personal.houseNumber],
    ['phone number', personal.phone],
  ] as const) {
    if (value !== undefined && !/^[0-9]+$/.test(value)) {
      throw new KeywardError('BAD_INPUT', `${name} "${value}" must be digits only`);
    }
  }
}
