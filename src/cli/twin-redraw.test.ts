import { describe, expect, it } from 'vitest';
import { redrawOnChange } from './twin-redraw.js';

describe('the terminal keypad redraw', () => {
  it('writes a screen only when it differs from the one shown', () => {
    const written: string[] = [];
    const draw = redrawOnChange((t) => written.push(t));
    expect(draw('LED [ off ]')).toBe(true);
    expect(draw('LED [ off ]')).toBe(false);
    expect(draw('LED [ off ]')).toBe(false);
    expect(draw('LED  GREEN ')).toBe(true);
    expect(written).toEqual(['\x1b[H\x1b[2JLED [ off ]', '\x1b[H\x1b[2JLED  GREEN ']);
  });
});
