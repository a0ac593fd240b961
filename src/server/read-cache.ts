/**
 * A micro-cache for hot reads: a value is reused for `ttlMs` after it was loaded, and requests
 * that arrive while it loads share that one load. Writes made through this server invalidate at
 * once; writes made elsewhere (the reconciler, another instance) show within `ttlMs`, well inside
 * the UI's 2 s poll and far below the seconds a lock takes to confirm a code.
 */
export class ReadCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > t) return hit.value;
    const value = load();
    if (this.ttlMs <= 0) return value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entry = { value, until: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    // The clock starts when the data arrives; a failed load is never reused.
    value.then(
      () => {
        entry.until = this.now() + this.ttlMs;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  invalidate(keys?: Iterable<string>): void {
    if (!keys) this.entries.clear();
    else for (const k of keys) this.entries.delete(k);
  }
}
