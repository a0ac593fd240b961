import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/core/errors.js';

describe('the error catalogue', () => {
  it('lists every error code of KeywardError in docs/errors.md, and no other', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const listed = [...doc.matchAll(/^\| ([A-Z_]+) \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
