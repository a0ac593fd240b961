import type { Command } from 'commander';
import type { PersonalData } from '../core/codes/personal.js';
import { UsageError } from './exit.js';

export interface PersonalOptions {
  house?: string;
  phone?: string;
  birthdate?: string;
}

/** Facts about the code holder that make a code guessable; check and generate both take them. */
export function addPersonalOptions(cmd: Command): Command {
  return cmd
    .option('--house <number>', 'house or flat number, to flag codes that contain it')
    .option('--phone <number>', 'phone number, to flag codes that share four digits in a row with it')
    .option('--birthdate <YYYY-MM-DD>', 'birth date, to flag codes that contain it in any usual form');
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function readPersonal(opts: PersonalOptions): PersonalData | undefined {
  const personal: PersonalData = {};
  if (opts.house !== undefined) {
    // "12B" or "Flat 4, 221" still tells a guesser the digits.
    const digits = opts.house.replace(/[^0-9]/g, '');
    if (!digits) throw new UsageError(`--house "${opts.house}" has no digits`);
    personal.houseNumber = digits;
  }
  if (opts.phone !== undefined) {
    if (!/^[0-9 +()./-]+$/.test(opts.phone))
      throw new UsageError(`--phone "${opts.phone}" is not a phone number`);
    const digits = opts.phone.replace(/[^0-9]/g, '');
    if (digits.length < 7)
      throw new UsageError(
        `--phone "${opts.phone}" has ${digits.length} digits; a phone number has at least 7`,
      );
    personal.phone = digits;
  }
  if (opts.birthdate !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(opts.birthdate);
    const month = m ? Number(m[2]) : 0;
    const day = m ? Number(m[3]) : 0;
    if (!m || month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) {
      throw new UsageError(`--birthdate "${opts.birthdate}" is not a date written YYYY-MM-DD`);
    }
    personal.birthDate = opts.birthdate;
  }
  return Object.keys(personal).length > 0 ? personal : undefined;
}
