import { describe, expect, it } from 'vitest';
import { count } from './plural.js';

describe('counts in words', () => {
  it('says one thing in the singular and any other number in the plural', () => {
    expect(count(1, 'code')).toBe('1 code');
    expect(count(0, 'code')).toBe('0 codes');
    expect(count(2, 'battery', 'batteries')).toBe('2 batteries');
  });
});
