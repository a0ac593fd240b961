import { describe, expect, it } from 'vitest';
import { openedCodes } from './opened-codes.js';

describe('the opener that remembers', () => {
  it('opens each sealed value once, and again only after it was dropped as the oldest', () => {
    const calls: string[] = [];
    const open = openedCodes((sealed, aad) => {
      calls.push(`${aad}/${sealed}`);
      return `${sealed}-plain`;
    }, 2);
    expect(open('a', 'x')).toBe('a-plain');
    expect(open('a', 'x')).toBe('a-plain');
    expect(open('b', 'x')).toBe('b-plain');
    expect(open('c', 'x')).toBe('c-plain'); // drops a, the oldest
    expect(open('b', 'x')).toBe('b-plain');
    expect(open('a', 'x')).toBe('a-plain');
    expect(calls).toEqual(['x/a', 'x/b', 'x/c', 'x/a']);
  });

  it('never answers for a value sealed for something else: the real open decides', () => {
    const open = openedCodes((sealed, aad) => {
      if (aad !== 'right') throw new Error('authentication failed');
      return sealed;
    });
    expect(open('s', 'right')).toBe('s');
    expect(() => open('s', 'wrong')).toThrow('authentication failed');
  });
});
