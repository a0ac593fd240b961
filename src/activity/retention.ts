import { pruneActivity } from '../store/activity.js';
import type { Store } from '../store/index.js';
import { pruneDeliveries } from '../store/outbox.js';

export const DEFAULT_RETENTION_DAYS = 365;
const DAY = 86_400_000;

/**
 * Forgets activity (and finished deliveries) older than the retention, in the background: a
 * first pass soon after start, then hourly, in batches so that no one delete holds the database
 * for long.
 */
export function startRetention(
  store: Store,
  opts: { days?: number; everyMs?: number; now?: () => number; onError?: (e: unknown) => void } = {},
): { stop(): void; runOnce(): Promise<number> } {
  const days = opts.days ?? DEFAULT_RETENTION_DAYS;
  const now = opts.now ?? Date.now;
  let stopped = false;
  const runOnce = async () => {
    const cutoff = now() - days * DAY;
    let total = 0;
    for (;;) {
      const n = await pruneActivity(store.ctx, cutoff);
      total += n;
      if (n === 0 || stopped) break;
      await new Promise((r) => setImmediate(r));
    }
    while (!stopped && (await pruneDeliveries(store.ctx, cutoff)) > 0);
    return total;
  };
  const tick = () =>
    runOnce()
      .catch((e) => opts.onError?.(e))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.everyMs ?? 3_600_000).unref();
      });
  let timer: NodeJS.Timeout = setTimeout(tick, 5_000).unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    runOnce,
  };
}
