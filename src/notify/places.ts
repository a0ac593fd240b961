import type { Store } from '../store/index.js';

/** A lock's name and its site's clock, for messages. */
export interface Place {
  lockName: string;
  timeZone: string | null;
  tzOffsetMinutes: number;
}

/**
 * Lock names and site clocks, read at most every few seconds: a burst of a thousand deliveries
 * reads them once, and a renamed lock shows its new name within seconds.
 */
export class Places {
  #at = -Infinity;
  #map = new Map<string, Place>();
  #loading: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(lockId: string | null): Promise<Place | null> {
    if (lockId === null) return null;
    if (this.now() - this.#at > this.ttlMs || !this.#map.has(lockId)) await this.#load();
    return this.#map.get(lockId) ?? null;
  }

  async #load(): Promise<void> {
    this.#loading ??= (async () => {
      const [locks, sites] = await Promise.all([this.store.listLocks(), this.store.listSites()]);
      const bySite = new Map(sites.map((s) => [s.id, s]));
      const map = new Map<string, Place>();
      for (const l of locks) {
        const s = bySite.get(l.siteId);
        map.set(l.id, {
          lockName: l.name,
          timeZone: s?.timeZone ?? null,
          tzOffsetMinutes: s?.tzOffsetMinutes ?? 0,
        });
      }
      this.#map = map;
      this.#at = this.now();
    })().finally(() => {
      this.#loading = null;
    });
    await this.#loading;
  }
}

/** "16:04" on the site's clock. */
export function localTime(at: number, place: Place | null): string {
  if (place?.timeZone)
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: place.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);
  const d = new Date(at + (place?.tzOffsetMinutes ?? 0) * 60_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
