import { describe, expect, it } from 'vitest';
import { nearest } from './suggest.js';

const OPS = [
  'set-programming-code',
  'add-user',
  'delete-user',
  'delete-user-by-code',
  'delete-all',
  'factory-reset',
];

describe('the nearest known word to a typo', () => {
  it('is found for a slip of one or two letters and for a start of the word', () => {
    expect(nearest('add-usr', OPS)).toBe('add-user');
    expect(nearest('factory-rest', OPS)).toBe('factory-reset');
    expect(nearest('delte-user', OPS)).toBe('delete-user');
    expect(nearest('set-prog', OPS)).toBe('set-programming-code');
  });

  it('is none for a word nothing like any of them', () => {
    expect(nearest('banana', OPS)).toBeNull();
  });
});
