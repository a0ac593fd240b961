import { getModel } from '../core/catalog/index.js';
import { type LockSyncPicture, loadLockPicture, loadLockPictures } from '../store/sync-state.js';
import type { SendItem } from './outcomes.js';
import { gate, nextLook, planRound, settledLeaving, unreachedWrites } from './round.js';
import { emptyReport, type PassReport, type Runtime } from './runtime.js';
import type { Sender } from './send.js';
import { fullRead, resolveIntents, verify } from './verify.js';

/** Where one round of a pass got to before anything is sent. */
type Step =
  | { kind: 'again' | 'fallback' }
  | { kind: 'done'; report: PassReport }
  | ({ kind: 'send' } & SendItem);

/**
 * Passes: one lock round after round until nothing is left to send, or many locks due at once
 * as one batch. A pass over one lock loads what the register wants and what the lock last
 * reported, resolves any intent left by an earlier pass (or process) by reading that slot back,
 * plans the fewest ops, and sends them (see send.ts). A failure backs the slot off and the pass
 * is planned again around it.
 */
export class Passes {
  constructor(
    private readonly rt: Runtime,
    private readonly sender: Sender,
  ) {}

  async pass(lockId: string): Promise<PassReport> {
    const rt = this.rt;
    rt.stats.passes++;
    const report = emptyReport(lockId);
    // Bounded: each round either converges, or freezes a slot that failed.
    for (let round = 0; round < 64; round++) {
      const p = await loadLockPicture(rt.ctx, lockId, rt.open);
      if (!p) return { ...report, converged: true };
      const step = await this.#prepare(p, report, false);
      if (step.kind === 'done') return step.report;
      if (step.kind !== 'send') continue; // 'fallback' is only given to a batch
      const sent = (await this.sender.send([step])).get(lockId);
      if (sent instanceof Error) throw sent;
      if (sent) return this.#sent(step);
    }
    return report;
  }

  /**
   * Many locks due at once (a checkout at 11:00, a sweep): their pictures are read together,
   * their ops sent together. Per lock: its report; 'alone' when it needs more than one plain round
   * (a pass of its own follows); an Error when the store failed it (tried again after a back-off).
   */
  async batch(lockIds: readonly string[]): Promise<Map<string, PassReport | 'alone' | Error>> {
    const rt = this.rt;
    rt.stats.batches++;
    const out = new Map<string, PassReport | 'alone' | Error>();
    const pictures = await loadLockPictures(rt.ctx, lockIds, rt.open);
    const items: SendItem[] = [];
    await Promise.all(
      lockIds.map(async (lockId) => {
        const p = pictures.get(lockId);
        if (!p) {
          out.set(lockId, { ...emptyReport(lockId), converged: true });
          return;
        }
        rt.stats.passes++;
        let step: Step;
        try {
          step = await this.#prepare(p, emptyReport(lockId), true);
        } catch (e) {
          out.set(lockId, e as Error);
          return;
        }
        if (step.kind === 'send') items.push(step);
        else if (step.kind === 'done') out.set(lockId, step.report);
        else out.set(lockId, 'alone');
      }),
    );
    if (items.length === 0) return out;
    let ok: Map<string, boolean | Error>;
    try {
      ok = await this.sender.send(items);
    } catch (e) {
      ok = new Map(items.map((item) => [item.p.lockId, e as Error]));
    }
    for (const item of items) {
      const sent = ok.get(item.p.lockId);
      if (sent === true) out.set(item.p.lockId, await this.#sent(item));
      else if (sent instanceof Error) out.set(item.p.lockId, sent);
      // A failed op: the pass plans again around the slot, as a pass of its own would.
      else out.set(item.p.lockId, 'alone');
    }
    return out;
  }

  /**
   * One round of a pass up to the ops to send: first contact, unresolved intents, blocked codes,
   * moves, manual locks and locks with nothing to send are dealt with here. In a batch, what
   * needs the lock's radio for reading or another round is left to a pass of its own.
   */
  async #prepare(p: LockSyncPicture, report: PassReport, batch: boolean): Promise<Step> {
    const rt = this.rt;
    if (rt.opts.mayWork && !rt.opts.mayWork(p.siteId)) return { kind: 'done', report };
    const model = getModel(p.model);
    const now = rt.clock.now();
    const driver = rt.driver(p);
    const input = {
      p,
      model,
      now,
      policy: rt.policy,
      radio: driver !== null,
      reachableAt: rt.reach.until(p.lockId),
      batch,
    };
    const g = gate(input);
    if (g.kind === 'wait') {
      if (g.show) {
        const shown = unreachedWrites(p, input);
        if (shown.length > 0) await rt.commit({ writes: shown, events: [] });
      }
      rt.wake(p.lockId, g.until);
      return { kind: 'done', report };
    }
    if (g.kind === 'fallback') return g;
    if (driver && g.kind === 'full-read') {
      if (!(await fullRead(rt, p, driver, model))) return { kind: 'done', report };
      return { kind: 'again' };
    }
    if (driver && g.kind === 'resolve-intents' && (await resolveIntents(rt, p, driver, model)))
      return { kind: 'again' };
    const round = planRound(input);
    const { lp, frozen } = round;
    if (round.blocked.writes.length > 0) await rt.commit(round.blocked);
    if (round.moves) {
      await rt.commit(round.moves);
      return { kind: round.next === 'fallback' ? 'fallback' : 'again' };
    }
    if (round.next === 'manual' || !driver) {
      if (lp.plan.ops.length > 0 && rt.opts.onManual) await rt.opts.onManual(p, lp);
      this.#wakeLater(p, lp, frozen, now);
      return { kind: 'done', report: { ...report, converged: lp.plan.ops.length === 0 } };
    }
    if (round.next === 'settle') {
      const settled = settledLeaving(p, lp);
      if (settled.writes.length > 0) await rt.commit(settled);
      await verify(rt, p, driver, now);
      this.#wakeLater(p, lp, frozen, now);
      return { kind: 'done', report: { ...report, converged: frozen.size === 0 } };
    }
    if (round.next === 'fallback') return { kind: 'fallback' };
    return { kind: 'send', p, lp, frozen, driver, model, now, report };
  }

  /** Every op of the lock confirmed: the lock holds the plan's end state. */
  async #sent(item: SendItem): Promise<PassReport> {
    // Anything that changed meanwhile (an event, a register edit) schedules another pass of its
    // own. Without a way to compute the checksum, take it now, while it describes the state just
    // confirmed.
    if (!item.driver.expectedChecksum)
      await verify(this.rt, { ...item.p, checksum: null }, item.driver, item.now, true);
    this.#wakeLater(item.p, item.lp, item.frozen, item.now);
    return { ...item.report, converged: item.frozen.size === 0 };
  }

  #wakeLater(p: LockSyncPicture, lp: SendItem['lp'], frozen: Set<number>, now: number): void {
    const rt = this.rt;
    const at = nextLook(
      p,
      lp,
      frozen,
      now,
      { everyMs: rt.opts.verifyEveryMs, checksums: Boolean(rt.knownDriver(p.lockId)?.checksum) },
      rt.reach.until(p.lockId),
    );
    if (Number.isFinite(at)) rt.wake(p.lockId, at);
  }
}
