import type { ModelProfile } from '../catalog/types.js';
import { pressSequence } from './keypad.js';
import type { Advice } from './patterns.js';

/**
 * PINs people choose far more often than chance. The 4-digit list is the top 20 of the
 * DataGenetics analysis of 3.4 million leaked 4-digit passwords (Nick Berry, 2012), which
 * together cover over a quarter of all choices, plus the keypad favourites that analysis names
 * (2580 down a phone pad; 2468 and 1357). The longer ones are the top choices reported by
 * DataGenetics for 5-10 digits and by Wang et al., "Understanding Human-chosen PINs" (2017),
 * for 6 digits, including the Chinese-language favourites 520520 / 5201314 ("I love you").
 */
export const COMMON_PINS: readonly string[] = [
  // DataGenetics top 20, in order.
  '1234',
  '1111',
  '0000',
  '1212',
  '7777',
  '1004',
  '2000',
  '4444',
  '2222',
  '6969',
  '9999',
  '3333',
  '5555',
  '6666',
  '1122',
  '1313',
  '8888',
  '4321',
  '2001',
  '1010',
  '2580',
  '2468',
  '1357',
  '0852',
  // 5 digits.
  '12345',
  '11111',
  '55555',
  '00000',
  '54321',
  '13579',
  '77777',
  '22222',
  '12321',
  '99999',
  // 6 digits.
  '123456',
  '111111',
  '000000',
  '123123',
  '666666',
  '121212',
  '112233',
  '789456',
  '159753',
  '654321',
  '123321',
  '147258',
  '159357',
  '520520',
  '520131',
  '888888',
  '555555',
  '777777',
  '696969',
  '987654',
  '222222',
  '999999',
  '101010',
  '131313',
  '100200',
  // 7 digits.
  '1234567',
  '1111111',
  '8675309',
  '5201314',
  '7654321',
  // 8 digits and longer.
  '12345678',
  '11111111',
  '00000000',
  '87654321',
  '88888888',
  '12341234',
  '11223344',
  '69696969',
  '12121212',
  '123456789',
  '987654321',
  '1234567890',
  '0987654321',
  '3141592654',
];

const LISTS = new Map<string, Set<string>>();

function commonFor(model: ModelProfile): Set<string> {
  const key = model.keypad === '5-button' ? '5' : '10';
  let set = LISTS.get(key);
  if (!set) {
    set = new Set(COMMON_PINS.map((pin) => pressSequence(pin, model)));
    LISTS.set(key, set);
  }
  return set;
}

/** On a 5-button pad a code is as weak as any common PIN with the same presses (2468 is 1357). */
export function commonAdvice(code: string, model: ModelProfile): Advice[] {
  const presses = pressSequence(code, model);
  if (!commonFor(model).has(presses)) return [];
  const twin = COMMON_PINS.includes(code)
    ? null
    : COMMON_PINS.find((pin) => pressSequence(pin, model) === presses);
  const what = twin
    ? `${code} is the same presses as ${twin} on this 5-button pad, one of`
    : `${code} is one of`;
  return [
    {
      rule: 'common',
      message: `${what} the most common PINs in published studies (DataGenetics, Wang et al.): guessers try these first`,
    },
  ];
}
