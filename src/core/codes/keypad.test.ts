import { describe, expect, it } from 'vitest';
import { getModel } from '../catalog/index.js';
import { prefixKey, pressSequence, samePresses } from './keypad.js';

describe('a keypad as the lock sees it', () => {
  const fiveButton = getModel('910');
  const tenKey = getModel('264');

  it('writes 5-button presses with the first label of each button: 2468 is 1357', () => {
    expect(pressSequence('24680', fiveButton)).toBe('13579');
    expect(prefixKey('24680', fiveButton)).toBe(1357);
    expect(pressSequence('24680', tenKey)).toBe('24680');
    expect(prefixKey('24680', tenKey)).toBe(2468);
  });

  it('gives a code shorter than four presses no prefix, so it matches nothing', () => {
    expect(prefixKey('135', fiveButton)).toBe(-1);
  });

  it('takes codes for the same presses only at the same length and on the same buttons', () => {
    expect(samePresses('1357', '2468', fiveButton)).toBe(true);
    expect(samePresses('1357', '2468', tenKey)).toBe(false);
    expect(samePresses('1357', '13579', fiveButton)).toBe(false);
    expect(samePresses('1357', '1359', fiveButton)).toBe(false);
  });
});
