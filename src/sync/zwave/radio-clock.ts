import { systemClock, type TimerClock } from '../clock.js';

/** setTimeout caps delays at 2^31-1 ms (about 24.8 days); longer waits are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The system clock for Z-Wave waits. Unlike `systemClock`, whose timers do not keep the process
 * alive (the reconciler's sweeps must not hold a finished process open), a pending wait here
 * does: a command or benchmark waiting for a lock's notification or answer must not exit in the
 * middle of it because nothing else is scheduled.
 */
export const radioClock: TimerClock = {
  now: () => systemClock.now(),
  at(at, fn) {
    let handle: NodeJS.Timeout;
    const arm = () => {
      const delay = at - Date.now();
      handle = delay > MAX_DELAY ? setTimeout(arm, MAX_DELAY) : setTimeout(fn, Math.max(0, delay));
    };
    arm();
    return () => clearTimeout(handle);
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
