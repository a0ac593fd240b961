import { wallClock } from '../clock.js';

/**
 * The system clock for Z-Wave waits. Unlike `systemClock`, whose timers do not keep the process
 * alive (the reconciler's sweeps must not hold a finished process open), a pending wait here
 * does: a command or benchmark waiting for a lock's notification or answer must not exit in the
 * middle of it because nothing else is scheduled.
 */
export const radioClock = wallClock(true);
