import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batteryPercent, batteryWords } from './battery-percent.js';

describe('battery percentage of four AA alkaline cells', () => {
  it('is a whole number from 0 to 100 for any reading', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), (v) => {
        const p = batteryPercent(v);
        expect(Number.isInteger(p)).toBe(true);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('never falls as the volts rise', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(batteryPercent(lo)).toBeLessThanOrEqual(batteryPercent(hi));
        },
      ),
    );
  });

  it('reads a silent lock as empty, fresh cells as full, and the replace level as low', () => {
    expect(batteryPercent(0.9)).toBe(0);
    expect(batteryPercent(1.0)).toBe(0);
    expect(batteryPercent(1.65)).toBe(100);
    expect(batteryPercent(1.3)).toBe(28);
    expect(batteryPercent(1.2)).toBe(12);
    expect(batteryWords(1.5)).toBe('88% (1.50 V per cell)');
  });
});
