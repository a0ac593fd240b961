import type { ModelProfile } from '../../core/catalog/types.js';
import type { TimerClock } from '../clock.js';
import type { DriverEvent, LockDriver, LockReport, WriteResult } from '../driver.js';
import { voltsFromPercent } from './battery.js';
import { expectedChecksum } from './checksum.js';
import { factOf } from './facts.js';
import type { LockLink } from './link.js';
import { onLockFact } from './lock-facts.js';
import { type LockSession, readBack } from './lock-session.js';
import { NotificationWaits } from './notification-wait.js';
import { RadioCalls, Unreachable } from './radio-calls.js';
import { radioClock } from './radio-clock.js';
import { confirmedClear, confirmedProgrammingCode, confirmedSet } from './write-confirm.js';
import { driverFailed } from './write-result.js';

export interface ZWaveLockDriverOptions {
  link: LockLink;
  /** The catalog model, when known: names a silent refusal (prefix rule) instead of guessing. */
  model?: ModelProfile;
  /** Every wait (call limits, back-off, the notification wait) runs on it. Default: radioClock (the system clock). */
  clock?: TimerClock;
  /**
   * How long to wait for the lock's own notification after a set before reading the slot back.
   * A Kwikset answers within a second or two; the read-back costs one more wake-up beam.
   */
  notificationWaitMs?: number;
  /** Tries per frame when the node does not acknowledge (zwave-js already retries each 3 times). */
  attempts?: number;
  /** First pause between tries; doubles each time. */
  backoffMs?: number;
  /** Longest wait for one call; a sleeping or absent node must not hang the reconciler. */
  callTimeoutMs?: number;
}

/**
 * The lock driver for Z-Wave locks, over either link. A write counts only when the lock confirms
 * it (write-confirm.ts); what the lock says unasked becomes events (lock-facts.ts).
 */
export class ZWaveLockDriver implements LockDriver {
  readonly kind: 'zwave' | 'zwave-server';
  private readonly session: LockSession;
  private readonly listeners = new Set<(event: DriverEvent) => void>();
  private readonly unsubscribe: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  private voltsPerCell: number | undefined;

  constructor(options: ZWaveLockDriverOptions) {
    const { link } = options;
    const clock = options.clock ?? radioClock;
    this.kind = link.kind;
    const emit = (event: DriverEvent) => {
      for (const listener of this.listeners) listener(event);
    };
    this.session = {
      link,
      model: options.model,
      clock,
      known: link.cachedSlots(),
      radio: new RadioCalls(
        link.nodeId,
        clock,
        {
          attempts: options.attempts ?? 3,
          backoffMs: options.backoffMs ?? 2_000,
          callTimeoutMs: options.callTimeoutMs ?? 60_000,
        },
        (message) => emit({ type: 'unreachable', at: clock.now(), message }),
      ),
      waits: new NotificationWaits(clock, options.notificationWaitMs ?? 3_000),
      emit,
      serial: (task) => this.serial(task),
    };
    const percent = link.cachedBattery();
    if (percent !== undefined) this.voltsPerCell = voltsFromPercent(percent);
    this.unsubscribe = link.subscribe((signal) => {
      const fact = factOf(signal);
      if (fact)
        onLockFact(this.session, fact, (volts) => {
          this.voltsPerCell = volts;
        });
    });
  }

  /** One operation at a time per lock: a FLiRS lock takes one frame at a time anyway. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    // The queue only orders the operations: the caller of `run` gets its failure, and one
    // operation's failure must not stop the next, so the queue's own copy ignores it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.session.waits.endAll();
    await this.session.link.close();
  }

  // ---- reads -------------------------------------------------------------------------------

  read(): Promise<LockReport> {
    return this.serial(async () => {
      const { link, model, known, radio } = this.session;
      try {
        const users = link.capabilities().users ?? model?.slots ?? 0;
        const expected = expectedChecksum(known);
        if (link.capabilities().checksum && expected !== undefined) {
          const actual = await radio.call('a checksum get', () => link.checksum());
          if (actual === expected) return this.report();
        }
        for (let slot = 1; slot <= users; slot++) {
          const read = await readBack(this.session, slot);
          if (!read) throw new Unreachable(`node ${link.nodeId} gave no report for slot ${slot}`);
        }
        return this.report();
      } catch (error) {
        throw driverFailed(error);
      }
    });
  }

  private report(): LockReport {
    const slots: Record<string, string | null> = {};
    for (const [slot, code] of [...this.session.known].sort((a, b) => a[0] - b[0]))
      slots[String(slot)] = code;
    const report: LockReport = { slots, at: this.session.clock.now() };
    if (this.voltsPerCell !== undefined) report.voltsPerCell = this.voltsPerCell;
    return report;
  }

  readSlot(slot: number): Promise<string | null | undefined> {
    return this.serial(async () => {
      try {
        const read = await readBack(this.session, slot);
        if (!read) throw new Unreachable(`node ${this.session.link.nodeId} gave no report for slot ${slot}`);
        return read.status === 'empty' ? undefined : read.code;
      } catch (error) {
        throw driverFailed(error);
      }
    });
  }

  checksum(): Promise<number | undefined> {
    return this.serial(async () => {
      const { link, radio } = this.session;
      if (!link.capabilities().checksum) return undefined;
      try {
        return await radio.call('a checksum get', () => link.checksum());
      } catch (error) {
        throw driverFailed(error);
      }
    });
  }

  /** The checksum the lock would report holding exactly these slots (no frame sent). */
  expectedChecksum(slots: Record<string, string>): number {
    const map = new Map(Object.entries(slots).map(([slot, code]) => [Number(slot), code] as const));
    return expectedChecksum(map) ?? 0;
  }

  // ---- writes ------------------------------------------------------------------------------

  setSlot(slot: number, code: string): Promise<WriteResult> {
    return this.serial(() => confirmedSet(this.session, slot, code));
  }

  clearSlot(slot: number): Promise<WriteResult> {
    return this.serial(() => confirmedClear(this.session, slot));
  }

  setProgrammingCode(code: string): Promise<WriteResult> {
    return this.serial(() => confirmedProgrammingCode(this.session, code));
  }
}
