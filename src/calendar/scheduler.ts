import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dueCalendars } from '../store/calendars-leases.js';
import type { Store } from '../store/index.js';
import { type CalendarRuntime, refreshLeased } from './refresh.js';

/**
 * Fetches every calendar when it is due (each calendar's own interval, 10 minutes by default),
 * one at a time, each under its lease. A failure of one calendar is recorded on it and does not
 * stop the others.
 */
export interface CalendarScheduler {
  /** Runs one round now (tests; the timer calls the same). */
  tick(): Promise<void>;
  stop(): Promise<void>;
  holder: string;
}

/** This process's name on calendar leases: two instances must never share one. */
export const INSTANCE_HOLDER = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export function startCalendarScheduler(
  store: Store,
  rt: CalendarRuntime & { everyMs?: number; holder?: string; onError?: (e: unknown) => void } = {},
): CalendarScheduler {
  const holder = rt.holder ?? INSTANCE_HOLDER;
  let running: Promise<void> | null = null;
  let stopped = false;
  const round = async () => {
    for (const id of await dueCalendars(store.ctx, store.ctx.now())) {
      if (stopped) return;
      try {
        await refreshLeased(store, id, holder, rt, undefined, true);
      } catch (e) {
        // CONFLICT: another instance has it; anything else is logged and tried next round.
        if ((e as { code?: string }).code !== 'CONFLICT') rt.onError?.(e);
      }
    }
  };
  const tick = () => {
    if (!running)
      running = round().finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    tick().catch((e) => rt.onError?.(e));
  }, rt.everyMs ?? 30_000);
  timer.unref();
  return {
    holder,
    tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
