import { describe, expect, it } from 'vitest';
import { getModel } from '../catalog/index.js';
import { commonAdvice } from './common-pins.js';
import { patternAdvice } from './patterns.js';
import { personalAdvice } from './personal.js';

const tenKey = getModel('264');
const touch = getModel('916');
const five = getModel('910');

const rulesOf = (code: string, model = tenKey) => patternAdvice(code, model).map((a) => a.rule);

describe('predictable patterns', () => {
  it('flags one digit repeated, repeated blocks, doubled digits and mirrored codes', () => {
    expect(rulesOf('7777')).toContain('repeated');
    expect(rulesOf('4747')).toContain('repeated');
    expect(rulesOf('381381')).toContain('repeated');
    expect(rulesOf('336699')).toContain('repeated');
    expect(rulesOf('3883')).toContain('repeated');
    expect(rulesOf('38838388')).toContain('repeated');
  });

  it('flags ascending and descending runs, including the wrap from 9 to 0 and steps of two', () => {
    expect(rulesOf('3456')).toContain('sequence');
    expect(rulesOf('567890')).toContain('sequence');
    expect(rulesOf('8765')).toContain('sequence');
    expect(rulesOf('2468')).toContain('sequence');
    expect(rulesOf('97531')).toContain('sequence');
    expect(rulesOf('3579')).toContain('sequence');
  });

  it('flags years from 1900 to 2099 and only as four digits', () => {
    expect(rulesOf('1985')).toContain('year');
    expect(rulesOf('2024')).toContain('year');
    expect(rulesOf('1899')).not.toContain('year');
    expect(rulesOf('2100')).not.toContain('year');
  });

  it('flags dates as MMDD and DDMM, and longer date forms, but not impossible days', () => {
    expect(rulesOf('0815')).toContain('date');
    expect(rulesOf('3112')).toContain('date');
    expect(rulesOf('0229')).toContain('date');
    expect(rulesOf('0230')).not.toContain('date');
    expect(rulesOf('3113')).not.toContain('date');
    expect(rulesOf('071590')).toContain('date');
    expect(rulesOf('121987')).toContain('date');
    expect(rulesOf('19871207')).toContain('date');
    expect(rulesOf('25121999')).toContain('date');
  });

  it('judges shapes on the lock own keypad: 1357 is a line on a Kwikset pad, 2580 on a touchscreen', () => {
    expect(rulesOf('3579', tenKey)).toContain('keypad-walk');
    expect(rulesOf('1243', tenKey)).toContain('keypad-walk');
    expect(rulesOf('2580', touch)).toContain('keypad-walk');
    expect(rulesOf('2580', tenKey)).not.toContain('keypad-walk');
    expect(rulesOf('1243', touch)).not.toContain('keypad-walk');
  });

  it('judges a 5-button code by its presses: 2468 is the run 1357 there', () => {
    expect(rulesOf('2468', five)).toContain('sequence');
    expect(rulesOf('8642', five)).toContain('sequence');
    expect(rulesOf('1290', five)).toContain('repeated');
    // 2096 is pressed exactly like 1995 on a 5-button pad.
    expect(rulesOf('2096', five)).toContain('year');
  });

  it('leaves a random-looking code alone', () => {
    expect(rulesOf('2947')).toEqual([]);
    expect(rulesOf('8163')).toEqual([]);
    expect(rulesOf('749261')).toEqual([]);
  });

  it('explains each flag in words', () => {
    for (const code of ['7777', '3456', '1985', '0815', '3579']) {
      for (const a of patternAdvice(code, tenKey)) expect(a.message.length).toBeGreaterThan(30);
    }
  });
});

describe('common PINs', () => {
  it('flags the DataGenetics favourites, 1234 first', () => {
    expect(commonAdvice('1234', tenKey)).toEqual([expect.objectContaining({ rule: 'common' })]);
    expect(commonAdvice('6969', tenKey)).toHaveLength(1);
    expect(commonAdvice('123456', tenKey)).toHaveLength(1);
    expect(commonAdvice('2947', tenKey)).toEqual([]);
  });

  it('flags a 5-button code with the presses of a common PIN and says which', () => {
    // 2143 and 1234 both press 1|2, 1|2, 3|4, 3|4.
    const advice = commonAdvice('2143', five);
    expect(advice).toEqual([expect.objectContaining({ rule: 'common' })]);
    expect(advice[0]!.message).toMatch(/same presses as \d+/);
    expect(commonAdvice('2143', tenKey)).toEqual([]);
  });
});

describe('personal data', () => {
  const me = { houseNumber: '1428', phone: '5551234567', birthDate: '1985-07-15' };

  it('flags the house number, four digits in a row of the phone number and the birth date in its usual forms', () => {
    expect(personalAdvice('14280', tenKey, me)).toHaveLength(1);
    expect(personalAdvice('904567', tenKey, me)).toHaveLength(1);
    for (const code of ['1985', '0715', '1507', '071585', '150785', '850715', '19850715', '07151985']) {
      expect(personalAdvice(code, tenKey, me).map((a) => a.rule)).toEqual(['personal']);
    }
    expect(personalAdvice('293847', tenKey, me)).toEqual([]);
  });

  it('compares presses on a 5-button pad', () => {
    // 2317 is pressed like 1428 (1|2, 3|4, 1|2, 7|8).
    expect(personalAdvice('2317', five, { houseNumber: '1428' })).toHaveLength(1);
    expect(personalAdvice('2317', tenKey, { houseNumber: '1428' })).toEqual([]);
  });

  it('ignores a one-digit house number, which would be in a fifth of all codes', () => {
    expect(personalAdvice('739264', tenKey, { houseNumber: '7' })).toEqual([]);
  });
});
