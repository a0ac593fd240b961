import type { ModelProfile } from '../../core/catalog/types.js';
import { factoryState } from '../../core/codes/lock-state.js';
import { checkCode } from '../../core/codes/rules.js';
import { KeywardError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import type { AccessCodeError, DriverEvent, LockDriver, LockReport, WriteResult } from '../driver.js';
import { batteryVolts, voltsFromPercent } from './battery.js';
import { expectedChecksum } from './checksum.js';
import { factOf, type LockFact } from './facts.js';
import type { LockLink, SlotRead } from './link.js';

export interface ZWaveLockDriverOptions {
  link: LockLink;
  /** The catalog model, when known: names a silent refusal (prefix rule) instead of guessing. */
  model?: ModelProfile;
  clock?: Clock;
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

type Outcome = Exclude<
  LockFact['fact'],
  'all-deleted' | 'used' | 'lockout' | 'programming-code-changed' | 'battery'
>;

interface Waiter {
  slot: number;
  op: 'set' | 'clear';
  resolve(outcome: Outcome | 'timeout'): void;
}

class Unreachable extends Error {}

const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/**
 * The lock driver for Z-Wave locks, over either link. A write counts only when the lock confirms
 * it: its Access Control notification or Kwikset alarm, or else one read-back of the slot. A
 * bare acknowledgement is never success, because a Kwikset acknowledges a set it then refuses.
 */
export class ZWaveLockDriver implements LockDriver {
  readonly kind: 'zwave' | 'zwave-server';
  private readonly link: LockLink;
  private readonly model: ModelProfile | undefined;
  private readonly clock: Clock;
  private readonly notificationWaitMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly callTimeoutMs: number;
  /** Slots as last confirmed by the lock (null: occupied, code masked). */
  private readonly known: Map<number, string | null>;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(event: DriverEvent) => void>();
  private readonly unsubscribe: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Writes that timed out but that zwave-js still holds for a sleeping node, by slot. It sends
   * them when the node wakes; sending another for the same slot would only stack frames.
   */
  private readonly heldByNetwork = new Map<number, Promise<unknown>>();
  private voltsPerCell: number | undefined;

  constructor(options: ZWaveLockDriverOptions) {
    this.link = options.link;
    this.kind = options.link.kind;
    this.model = options.model;
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.notificationWaitMs = options.notificationWaitMs ?? 3_000;
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 2_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 60_000;
    this.known = options.link.cachedSlots();
    const percent = options.link.cachedBattery();
    if (percent !== undefined) this.voltsPerCell = voltsFromPercent(percent);
    this.unsubscribe = options.link.subscribe((signal) => {
      const fact = factOf(signal);
      if (fact) this.onFact(fact);
    });
  }

  /** One operation at a time per lock: a FLiRS lock takes one frame at a time anyway. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private emit(event: DriverEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const waiter of this.waiters) waiter.resolve('timeout');
    await this.link.close();
  }

  // ---- radio calls with retries and a time limit -------------------------------------------

  private async call<T>(what: string, task: () => Promise<T>): Promise<T> {
    let last: unknown;
    let tries = 0;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      tries = attempt;
      try {
        return await this.withTimeout(what, task());
      } catch (error) {
        last = error;
        // A timed-out call may still sit in zwave-js's queue for a sleeping node: sending it
        // again would only stack duplicates, so only unacknowledged frames are retried.
        if (error instanceof Unreachable) break;
        if (attempt < this.attempts) await sleep(this.backoffMs * 2 ** (attempt - 1));
      }
    }
    const message = `node ${this.link.nodeId} did not answer ${what} after ${tries} attempt(s): ${errorText(last)}`;
    this.emit({ type: 'unreachable', at: this.clock.now(), message });
    throw new Unreachable(message);
  }

  private withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Unreachable(`no answer to ${what} within ${this.callTimeoutMs} ms (asleep or out of range)`),
          ),
        this.callTimeoutMs,
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Remembers a write until zwave-js settles it, however long the node sleeps. */
  private held<T>(slot: number, write: Promise<T>): Promise<T> {
    this.heldByNetwork.set(slot, write);
    const forget = () => {
      if (this.heldByNetwork.get(slot) === write) this.heldByNetwork.delete(slot);
    };
    write.then(forget, forget);
    return write;
  }

  private stillHeld(slot: number, error: AccessCodeError): WriteResult | undefined {
    if (!this.heldByNetwork.has(slot)) return undefined;
    return fail(
      error,
      `node ${this.link.nodeId} has not yet taken the last frame for slot ${slot} (asleep or out of range): it is sent when the node wakes, not again`,
      true,
    );
  }

  private async readBack(slot: number): Promise<SlotRead | undefined> {
    const read = await this.call(`a read of slot ${slot}`, () => this.link.get(slot));
    if (read?.status === 'empty') this.known.delete(slot);
    else if (read) this.known.set(slot, read.code);
    return read;
  }

  // ---- the port ----------------------------------------------------------------------------

  read(): Promise<LockReport> {
    return this.serial(async () => {
      try {
        const users = this.link.capabilities().users ?? this.model?.slots ?? 0;
        const expected = expectedChecksum(this.known);
        if (this.link.capabilities().checksum && expected !== undefined) {
          const actual = await this.call('a checksum get', () => this.link.checksum());
          if (actual === expected) return this.report();
        }
        for (let slot = 1; slot <= users; slot++) {
          const read = await this.readBack(slot);
          if (!read) throw new Unreachable(`node ${this.link.nodeId} gave no report for slot ${slot}`);
        }
        return this.report();
      } catch (error) {
        throw driverFailed(error);
      }
    });
  }

  private report(): LockReport {
    const slots: Record<string, string | null> = {};
    for (const [slot, code] of [...this.known].sort((a, b) => a[0] - b[0])) slots[String(slot)] = code;
    const report: LockReport = { slots, at: this.clock.now() };
    if (this.voltsPerCell !== undefined) report.voltsPerCell = this.voltsPerCell;
    return report;
  }

  readSlot(slot: number): Promise<string | null | undefined> {
    return this.serial(async () => {
      try {
        const read = await this.readBack(slot);
        if (!read) throw new Unreachable(`node ${this.link.nodeId} gave no report for slot ${slot}`);
        return read.status === 'empty' ? undefined : read.code;
      } catch (error) {
        throw driverFailed(error);
      }
    });
  }

  checksum(): Promise<number | undefined> {
    return this.serial(async () => {
      if (!this.link.capabilities().checksum) return undefined;
      try {
        return await this.call('a checksum get', () => this.link.checksum());
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

  setSlot(slot: number, code: string): Promise<WriteResult> {
    return this.serial(() => this.doSet(slot, code));
  }

  clearSlot(slot: number): Promise<WriteResult> {
    return this.serial(() => this.doClear(slot));
  }

  private slotProblem(slot: number, error: AccessCodeError): WriteResult | undefined {
    const users = this.link.capabilities().users;
    if (!Number.isInteger(slot) || slot < 1) return fail(error, `slot ${slot} does not exist`, false);
    if (users !== undefined && slot > users) {
      const code = error === 'failed_to_set' ? 'no_free_slot' : error;
      return fail(code, `the lock has ${users} slots; slot ${slot} does not exist`, false);
    }
    return undefined;
  }

  private async doSet(slot: number, code: string): Promise<WriteResult> {
    const problem = this.slotProblem(slot, 'failed_to_set');
    if (problem) return problem;
    if (!/^[0-9]{4,10}$/.test(code)) return fail('failed_to_set', 'a Z-Wave user code is 4-10 digits', false);
    const held = this.stillHeld(slot, 'failed_to_set');
    if (held) return held;
    try {
      // A lock compares a new code with the one it replaces too, so sending the code a slot
      // already holds would be refused as a duplicate: one read-back proves it instead.
      if (this.known.get(slot) === code) {
        const read = await this.readBack(slot);
        if (read?.status === 'occupied' && read.code === code) return { ok: true, confirmedBy: 'read-back' };
      }
      const wasEmpty = !this.known.has(slot);
      const waiter = this.expect(slot, 'set');
      try {
        await this.call(`a set of slot ${slot}`, () => this.held(slot, this.link.set(slot, code)));
      } catch (error) {
        waiter.cancel();
        throw error;
      }
      const outcome = await waiter.arm();
      if (outcome === 'added') {
        this.known.set(slot, code);
        return { ok: true, confirmedBy: 'notification' };
      }
      if (outcome === 'duplicate')
        return this.refused(slot, code, 'the lock refused the code (Access Control 0x0F)');
      if (outcome === 'full')
        return fail('no_free_slot', 'the lock refused the code: its code memory is full', false);
      const read = await this.readBack(slot);
      if (!read)
        return fail(
          'unconfirmed',
          `node ${this.link.nodeId} acknowledged the set but gave no read-back`,
          true,
        );
      if (read.status === 'occupied' && read.code === code) return { ok: true, confirmedBy: 'read-back' };
      if (read.status === 'occupied' && read.code === null && wasEmpty) {
        // The slot was empty and now holds a code only this write can have put there.
        return { ok: true, confirmedBy: 'read-back' };
      }
      if (read.status === 'occupied' && read.code === null) {
        return fail(
          'unconfirmed',
          'the lock masks its codes, so the new code cannot be told from the old one',
          true,
        );
      }
      return this.refused(
        slot,
        code,
        'the lock acknowledged the set but the slot reads back without the code',
      );
    } catch (error) {
      return fail('failed_to_set', errorText(error), true);
    }
  }

  /**
   * A refusal, named by Keyward's own rules when the model and the lock's codes are known. The
   * message names the colliding slot, never digits: results end up in the audit log.
   */
  private refused(slot: number, code: string, message: string): WriteResult {
    if (this.model && ![...this.known.values()].includes(null)) {
      const state = factoryState(this.model);
      state.programmingCode = null;
      for (const [s, c] of this.known) if (s !== slot && c !== null) state.slots[String(s)] = c;
      const verdict = checkCode(state, this.model, { code, kind: 'user', slot });
      const clash = verdict.reasons.find((r) => r.rule === 'prefix' && typeof r.conflictsWith === 'number');
      if (clash) {
        return fail(
          'duplicate_on_device',
          `${message}: slot ${clash.conflictsWith} holds the same code or one with the same first four digits`,
          false,
        );
      }
      if (verdict.reasons.some((r) => r.rule === 'deleted-prefix')) {
        return fail(
          'prefix_reserved',
          `${message}: a deleted code with the same first four digits still occupies the lock's memory`,
          false,
        );
      }
    }
    return fail(
      'duplicate_on_device',
      `${message}; a lock refuses a code that repeats the first four digits of another`,
      false,
    );
  }

  private async doClear(slot: number): Promise<WriteResult> {
    const problem = this.slotProblem(slot, 'failed_to_remove');
    if (problem) return problem;
    const held = this.stillHeld(slot, 'failed_to_remove');
    if (held) return held;
    try {
      if (!this.known.has(slot)) {
        const read = await this.readBack(slot);
        if (read?.status === 'empty') return { ok: true, confirmedBy: 'read-back' };
      }
      const waiter = this.expect(slot, 'clear');
      try {
        await this.call(`a clear of slot ${slot}`, () => this.held(slot, this.link.clear(slot)));
      } catch (error) {
        waiter.cancel();
        throw error;
      }
      if ((await waiter.arm()) === 'deleted') {
        this.known.delete(slot);
        return { ok: true, confirmedBy: 'notification' };
      }
      const read = await this.readBack(slot);
      if (read?.status === 'empty') return { ok: true, confirmedBy: 'read-back' };
      if (!read)
        return fail(
          'unconfirmed',
          `node ${this.link.nodeId} acknowledged the clear but gave no read-back`,
          true,
        );
      return fail(
        'failed_to_remove',
        'the lock acknowledged the clear but the slot still holds a code',
        true,
      );
    } catch (error) {
      return fail('failed_to_remove', errorText(error), true);
    }
  }

  setProgrammingCode(code: string): Promise<WriteResult> {
    return this.serial(async () => {
      if (!this.link.capabilities().adminCode) {
        return fail(
          'failed_to_set',
          'this lock does not take its programming code over Z-Wave (no User Code admin code): set it at the keypad',
          false,
        );
      }
      try {
        await this.call('an admin code set', () => this.link.setAdminCode(code));
        const read = await this.call('an admin code get', () => this.link.getAdminCode());
        if (read === code) return { ok: true, confirmedBy: 'read-back' };
        return fail(
          'failed_to_set',
          'the lock acknowledged the programming code but reads back another',
          false,
        );
      } catch (error) {
        return fail('failed_to_set', errorText(error), true);
      }
    });
  }

  // ---- what the lock says ------------------------------------------------------------------

  /**
   * Registers the wait before the frame goes out, so a notification racing the acknowledgement
   * is not lost; the time limit starts once the frame is out (`arm`).
   */
  private expect(slot: number, op: 'set' | 'clear'): { arm(): Promise<Outcome | 'timeout'>; cancel(): void } {
    let timer: NodeJS.Timeout | undefined;
    let settle: (outcome: Outcome | 'timeout') => void = () => undefined;
    const outcome = new Promise<Outcome | 'timeout'>((resolve) => {
      const waiter: Waiter = {
        slot,
        op,
        resolve: (result) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(result);
        },
      };
      settle = waiter.resolve;
      this.waiters.add(waiter);
    });
    return {
      arm: () => {
        timer = setTimeout(() => settle('timeout'), this.notificationWaitMs);
        return outcome;
      },
      cancel: () => settle('timeout'),
    };
  }

  /** The pending write this fact answers: by slot, or the only one when the lock gave no slot. */
  private waiterFor(fact: { fact: Outcome; slot: number | null }): Waiter | undefined {
    const wanted: Waiter['op'] = fact.fact === 'deleted' ? 'clear' : 'set';
    const candidates = [...this.waiters].filter((w) => w.op === wanted);
    if (fact.slot !== null) return candidates.find((w) => w.slot === fact.slot);
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  private onFact(fact: LockFact): void {
    const at = this.clock.now();
    switch (fact.fact) {
      case 'added':
      case 'duplicate':
      case 'full':
      case 'deleted': {
        const waiter = this.waiterFor(fact);
        if (waiter) {
          waiter.resolve(fact.fact);
          return;
        }
        this.unsolicited(fact, at);
        return;
      }
      case 'all-deleted':
        this.known.clear();
        this.emit({ type: 'all-codes-deleted', at });
        return;
      case 'used':
        this.emit({ type: 'code-used', slot: fact.slot, at });
        return;
      case 'lockout':
        this.emit({ type: 'wrong-code-lockout', at });
        return;
      case 'programming-code-changed':
        this.emit({ type: 'programming-code-changed', at });
        return;
      case 'battery': {
        const volts = batteryVolts(fact.level, fact.percent);
        this.voltsPerCell = volts;
        this.emit({ type: 'battery', voltsPerCell: volts, level: fact.level, at });
        return;
      }
    }
  }

  /** A change nobody here asked for: someone at the keypad. */
  private unsolicited(fact: { fact: Outcome; slot: number | null }, at: number): void {
    const slot = fact.slot;
    switch (fact.fact) {
      case 'duplicate':
        this.emit({ type: 'duplicate-refused', slot, at });
        return;
      case 'full':
        this.emit({ type: 'lock-full', at });
        return;
      case 'deleted':
        if (slot === null) return;
        this.known.delete(slot);
        this.emit({ type: 'code-deleted-at-keypad', slot, at });
        return;
      case 'added':
        if (slot === null) return;
        // The alarm names the slot, not the code: one read tells the reconciler what to adopt
        // or revert. It waits its turn behind any write in progress.
        void this.serial(async () => {
          let code: string | null = null;
          try {
            const read = await this.readBack(slot);
            if (read?.status === 'occupied') code = read.code;
          } catch {
            this.known.set(slot, null);
          }
          this.emit({ type: 'code-added-at-keypad', slot, code, at });
        });
        return;
    }
  }
}

function fail(error: AccessCodeError, message: string, retryable: boolean): WriteResult {
  return { ok: false, error, message, retryable };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function driverFailed(error: unknown): KeywardError {
  if (error instanceof KeywardError) return error;
  return new KeywardError('DRIVER_FAILED', errorText(error));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
