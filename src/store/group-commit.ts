/**
 * Group commit: requests that arrive while a transaction is running wait for it to finish and
 * then go together in the next one, so a burst of N requests costs a few transactions instead
 * of N. Nothing waits on a timer: a request that finds the queue idle starts as soon as the
 * current turn of the event loop is over, with whatever else arrived in that turn.
 *
 * `run` answers every item of a batch with its own result or error (expected failures such as
 * a refused code are per item and leave their neighbours alone). If the batch as a whole fails
 * (a database fault, a conflict), nothing of it was committed and each item is run again alone,
 * so one item's fault cannot become its neighbours' failure.
 */
export interface GroupCommitOptions<I> {
  /** Most items in one batch. */
  maxItems: number;
  /** Items whose weights add up beyond this start the next batch (one item always goes). */
  maxWeight?: number;
  weight?: (item: I) => number;
  /** Only items that can share a transaction with the batch's first item join it. */
  compatible?: (first: I, item: I) => boolean;
  /**
   * When a drain starts once a request finds the queue idle. Default: after this turn of the
   * event loop (setImmediate). `queueMicrotask` suits a writer on a simulated clock, which must
   * not let time move while a request is unwritten.
   */
  drainOn?: (drain: () => void) => void;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private draining = false;

  constructor(
    private readonly run: (items: I[]) => Promise<Array<O | Error>>,
    private readonly opts: GroupCommitOptions<I>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // By default after this turn of the event loop, not a microtask: better-sqlite3 runs a
        // whole transaction in microtasks, so HTTP requests read in this same poll would
        // otherwise find the batch already committed and each start one of their own.
        (this.opts.drainOn ?? setImmediate)(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.runBatch(this.take());
    } finally {
      this.draining = false;
    }
  }

  private take(): Waiting<I, O>[] {
    const first = this.queue[0]!;
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    let weight = 0;
    for (const w of this.queue) {
      const fits =
        batch.length === 0 ||
        (batch.length < this.opts.maxItems &&
          weight + (this.opts.weight?.(w.item) ?? 1) <= (this.opts.maxWeight ?? Number.POSITIVE_INFINITY) &&
          (this.opts.compatible?.(first.item, w.item) ?? true));
      if (fits) {
        batch.push(w);
        weight += this.opts.weight?.(w.item) ?? 1;
      } else rest.push(w);
    }
    this.queue = rest;
    return batch;
  }

  private async runBatch(batch: Waiting<I, O>[]): Promise<void> {
    let results: Array<O | Error>;
    try {
      results = await this.run(batch.map((w) => w.item));
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e);
        return;
      }
      for (const w of batch) await this.runBatch([w]);
      return;
    }
    batch.forEach((w, i) => {
      const r = results[i];
      if (r instanceof Error) w.reject(r);
      else w.resolve(r as O);
    });
  }
}
