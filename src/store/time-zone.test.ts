import { describe, expect, it } from 'vitest';
import { ianaZone, isTimeZone } from './time-zone.js';

describe('named time zones from the system database', () => {
  it('knows America/New_York and Europe/Paris, and refuses made-up names', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone('../etc/passwd')).toBe(false);
  });

  it("finds New York's 2026 clock changes to the minute", () => {
    const ny = ianaZone('America/New_York');
    expect(ny.offsetAt(Date.UTC(2026, 0, 15))).toBe(-300);
    expect(ny.offsetAt(Date.UTC(2026, 6, 15))).toBe(-240);
    expect(ny.nextTransition(Date.UTC(2026, 0, 15))).toBe(Date.UTC(2026, 2, 8, 7));
    expect(ny.nextTransition(Date.UTC(2026, 2, 8, 7))).toBe(Date.UTC(2026, 10, 1, 6));
    expect(ny.offsetAt(Date.UTC(2026, 2, 8, 7) - 1)).toBe(-300);
    expect(ny.offsetAt(Date.UTC(2026, 2, 8, 7))).toBe(-240);
    // across the year end: the next change is in March 2027
    expect(ny.nextTransition(Date.UTC(2026, 11, 20))).toBe(Date.UTC(2027, 2, 14, 7));
  });

  it('reports no change for a zone without daylight saving, and half-hour offsets exactly', () => {
    expect(ianaZone('Asia/Tokyo').nextTransition(Date.UTC(2026, 5, 1))).toBeNull();
    expect(ianaZone('Asia/Kolkata').offsetAt(Date.UTC(2026, 5, 1))).toBe(330);
    expect(ianaZone('Australia/Lord_Howe').offsetAt(Date.UTC(2026, 0, 1))).toBe(660);
    expect(ianaZone('Australia/Lord_Howe').offsetAt(Date.UTC(2026, 6, 1))).toBe(630);
  });
});
