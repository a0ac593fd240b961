import { describe, expect, it } from 'vitest';
import { checkTimeProblem, siteInstant } from './site-settings.js';

describe('a site check-in time on a date', () => {
  it('is read in the site zone, with its summer time', () => {
    const london = { timeZone: 'Europe/London', tzOffsetMinutes: 0 };
    expect(new Date(siteInstant(london, '2026-07-01', '16:00')).toISOString()).toBe(
      '2026-07-01T15:00:00.000Z',
    );
    expect(new Date(siteInstant(london, '2026-12-01', '11:00')).toISOString()).toBe(
      '2026-12-01T11:00:00.000Z',
    );
  });

  it('is read at a fixed offset for a site without a named zone', () => {
    const fixed = { timeZone: null, tzOffsetMinutes: -300 };
    expect(new Date(siteInstant(fixed, '2026-07-01', '16:00')).toISOString()).toBe(
      '2026-07-01T21:00:00.000Z',
    );
  });

  it('takes only 24-hour HH:MM times', () => {
    expect(checkTimeProblem('16:00')).toBeNull();
    for (const bad of ['4pm', '24:00', '9:00', '16:60', '']) expect(checkTimeProblem(bad)).toMatch(/HH:MM/);
  });
});
