import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { radioClock } from './radio-clock.js';

/** Timers that keep the process alive right now. */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('the clock of Z-Wave waits', () => {
  it('fires at the time asked, and not once cancelled', async () => {
    const fired: string[] = [];
    radioClock.at(radioClock.now() + 20, () => fired.push('kept'));
    const cancel = radioClock.at(radioClock.now() + 10, () => fired.push('cancelled'));
    cancel();
    await radioClock.sleep(60);
    expect(fired).toEqual(['kept']);
  });

  it('keeps the process alive while a wait is pending, where the reconciler clock does not', () => {
    const before = liveTimers();
    const cancelRadio = radioClock.at(radioClock.now() + 60_000, () => undefined);
    expect(liveTimers()).toBe(before + 1);
    const cancelSystem = systemClock.at(systemClock.now() + 60_000, () => undefined);
    expect(liveTimers()).toBe(before + 1);
    cancelRadio();
    cancelSystem();
    expect(liveTimers()).toBe(before);
  });
});
