/**
 * When a failed delivery is tried again (pure). Standard Webhooks' schedule stretched to about
 * three days: after the first attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h
 * (about 75.6 hours in all), then the delivery is given up. A `Retry-After` the receiver sent is
 * respected when it asks for longer (never beyond a day).
 */
export const RETRY_DELAYS_MS = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
] as const;

const MAX_RETRY_AFTER_MS = 86_400_000;

/** The delay before attempt `attempts + 1`, or null when the delivery is given up. */
export function retryDelay(attemptsDone: number, retryAfterMs: number | null): number | null {
  const base = RETRY_DELAYS_MS[attemptsDone - 1];
  if (base === undefined) return null;
  return retryAfterMs === null ? base : Math.max(base, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** A Retry-After header (seconds, or an HTTP date) as milliseconds from now, or null. */
export function parseRetryAfter(header: string | undefined, now: number): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** What an HTTP answer means for a delivery. */
export function judge(status: number): 'delivered' | 'gone' | 'retry' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  return 'retry';
}
