import { GroupCommit } from '../store/group-commit.js';
import { newIntentId } from '../store/sync-writes.js';
import type { WriteResult } from './driver.js';
import { errorText } from './events.js';
import {
  type Outcome,
  opsToSend,
  outcomeEffects,
  type SendItem,
  type SentOp,
  sendingEffects,
} from './outcomes.js';
import { nextHealth } from './reach.js';
import type { Runtime } from './runtime.js';

/**
 * Sending ops. Every op's intent, status and audit row are written first, in one transaction for
 * all the locks sent to together, so no frame leaves before its intent is stored. Each lock's ops
 * then go one after another (locks side by side), and each outcome is written as soon as the
 * driver confirms or refuses it; outcomes that arrive together share a transaction (group commit,
 * drained in a microtask so a simulated clock never moves while an outcome is unwritten) with
 * set-based writes, which is what keeps a checkout at 11:00 sharp on a thousand locks inside a
 * second. A lock stops at its first failure; its unsent ops are withdrawn (intents dropped,
 * statuses restored) and its pass plans again around the slot.
 */
export class Sender {
  /** Outcomes of ops from every lock in flight; a batch that fails is written again one by one. */
  readonly #outcomes: GroupCommit<Outcome, undefined>;

  constructor(private readonly rt: Runtime) {
    this.#outcomes = new GroupCommit((batch) => this.#write(batch), {
      maxItems: 4_000,
      drainOn: queueMicrotask,
    });
  }

  /**
   * Sends the plans of one or many locks. Per lock: true when every op was confirmed, false when
   * one failed, the store's error when an outcome could not be written.
   */
  async send(items: readonly SendItem[]): Promise<Map<string, boolean | Error>> {
    const rt = this.rt;
    const sent = opsToSend(items, newIntentId);
    await rt.commit(sendingEffects(sent));
    rt.stats.opsSent += sent.length;
    const byLock = new Map<string, SentOp[]>();
    for (const s of sent) byLock.set(s.item.p.lockId, [...(byLock.get(s.item.p.lockId) ?? []), s]);
    const ok = new Map<string, boolean | Error>();
    await Promise.all(
      items.map(async (item) => {
        const written: Array<Promise<void>> = [];
        let failed = false;
        for (const s of byLock.get(item.p.lockId) ?? []) {
          if (failed || (rt.opts.mayWork && !rt.opts.mayWork(item.p.siteId))) {
            failed = true;
            written.push(this.#outcomes.submit({ kind: 'unsent', s }));
            continue;
          }
          let result: WriteResult;
          try {
            result =
              s.op.op === 'add'
                ? await item.driver.setSlot(s.op.slot, s.op.code)
                : await item.driver.clearSlot(s.op.slot);
          } catch (e) {
            result = { ok: false, error: 'unconfirmed', message: errorText(e), retryable: true };
          }
          item.report.sent++;
          if (result.ok) {
            rt.reached(item.p.lockId);
            item.report.confirmed++;
            rt.stats.opsConfirmed++;
            written.push(this.#outcomes.submit({ kind: 'confirmed', s, confirmedBy: result.confirmedBy }));
          } else {
            item.report.failed++;
            rt.stats.opsFailed++;
            failed = true;
            const health = nextHealth(
              rt.backoff,
              item.p.health.get(s.op.slot),
              result.error,
              result.retryable,
              rt.clock.now(),
              rt.random,
            );
            written.push(this.#outcomes.submit({ kind: 'failed', s, failure: result, health }));
          }
        }
        // An outcome the store could not take (it is down) leaves its intent: the lock's next
        // pass reads that slot back. One lock's trouble is not its neighbours'.
        const stored = await Promise.allSettled(written);
        const fault = stored.find((r) => r.status === 'rejected');
        ok.set(item.p.lockId, fault ? (fault.reason as Error) : !failed);
      }),
    );
    return ok;
  }

  /** Writes outcomes of ops, from any number of locks, in one transaction. */
  async #write(outcomes: Outcome[]): Promise<undefined[]> {
    await this.rt.commit(outcomeEffects(outcomes));
    for (const o of outcomes) {
      if (o.kind !== 'confirmed') continue;
      o.s.item.p.checksum = null;
      this.rt.opts.observer?.confirmed?.(o.s.item.p.lockId, o.s.op);
    }
    return outcomes.map(() => undefined);
  }
}
