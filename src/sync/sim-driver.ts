import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { getModel } from '../core/catalog/index.js';
import type { ModelProfile, Signal } from '../core/catalog/types.js';
import { factoryState, type LockState } from '../core/codes/lock-state.js';
import { KeywardError } from '../core/errors.js';
import type { GuideRequest } from '../core/guide/index.js';
import { type Random, seededRandom } from '../core/ports.js';
import { slotOpenedBy } from '../core/twin/acceptance.js';
import { createTwin, step } from '../core/twin/index.js';
import type { Input, TwinState } from '../core/twin/types.js';
import type { TimerClock } from './clock.js';
import type { DriverEvent, LockDriver, LockReport, WriteResult } from './driver.js';
import { type KeypadOutcome, pressRequest } from './sim-keypad.js';

export interface SimLockOptions {
  model: string;
  clock: TimerClock;
  /** What the lock holds when the simulation starts (a lock in use before Keyward came). */
  initial?: LockState;
  random?: Random;
  /** One-way radio latency of each frame, ms. */
  latencyMs?: number;
  /** Chance (0-1) that any one frame, either way, is lost. */
  dropRate?: number;
  /** Volts per cell each frame costs: a FLiRS lock wakes its radio for every one. */
  drainPerFrame?: number;
  /** Offer the User Code CC checksum (one frame verifies every slot). */
  checksum?: boolean;
  /** Keep the lock's memory in this file, so it outlives a controller that is killed. */
  file?: string;
}

export interface SimStats {
  frames: number;
  dropped: number;
  /** Write commands that reached the lock. */
  writesReceived: number;
  /** Writes the lock carried out (its memory changed or was re-confirmed). */
  writesApplied: number;
  slotReads: number;
  checksums: number;
}

/** FNV-1a over the slots in order: cheap, deterministic, changes with any slot. */
export function slotsChecksum(slots: Record<string, string>): number {
  let h = 0x811c9dc5;
  const text = Object.keys(slots)
    .sort((a, b) => Number(a) - Number(b))
    .map((s) => `${s}:${slots[s]};`)
    .join('');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const timeout = (what: string) =>
  new KeywardError('DRIVER_FAILED', `the lock did not answer (${what})`, { timeout: true });

/**
 * A lock made of the digital twin behind a lossy radio. Every write is carried out by pressing
 * the keys of the guide's procedure on the twin, so the twin's own rules decide what the lock
 * takes; the outcome comes from the signals it gives, never from an acknowledgement. Frames cost
 * time (on the injected clock) and battery, and can be lost. A "person at the door" can add,
 * delete and use codes at the keypad, which the lock reports as events.
 */
export class SimLock implements LockDriver {
  readonly kind = 'sim' as const;
  readonly model: ModelProfile;
  readonly stats: SimStats = {
    frames: 0,
    dropped: 0,
    writesReceived: 0,
    writesApplied: 0,
    slotReads: 0,
    checksums: 0,
  };
  checksum?: () => Promise<number | undefined>;
  expectedChecksum?: (slots: Record<string, string>) => number;
  /** Lets a test cut the radio: every frame is lost while false. */
  reachable = true;
  #twin: TwinState;
  readonly #clock: TimerClock;
  readonly #random: Random;
  readonly #opts: SimLockOptions;
  readonly #listeners = new Set<(e: DriverEvent) => void>();
  readonly #startedAt: number;
  #batteryLevel: 'ok' | 'low' | 'critical' = 'ok';

  constructor(opts: SimLockOptions) {
    this.#opts = opts;
    this.model = getModel(opts.model);
    this.#clock = opts.clock;
    this.#random = opts.random ?? seededRandom(1);
    this.#startedAt = opts.clock.now();
    let lock = opts.initial ?? factoryState(this.model);
    if (opts.file && existsSync(opts.file)) {
      const saved = JSON.parse(readFileSync(opts.file, 'utf8')) as { lock: LockState; stats: SimStats };
      lock = saved.lock;
      Object.assign(this.stats, saved.stats);
    }
    this.#twin = createTwin(lock);
    this.#batteryLevel = this.#levelOf(lock.voltsPerCell);
    if (opts.checksum) {
      this.checksum = async () => {
        await this.#roundTrip('checksum');
        this.stats.checksums++;
        return slotsChecksum(this.#twin.lock.slots);
      };
      this.expectedChecksum = slotsChecksum;
    }
  }

  /** What the lock really holds (the test's view from inside the lock, not a radio read). */
  get lock(): LockState {
    return this.#twin.lock;
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }

  async read(): Promise<LockReport> {
    // User Code CC: one Get per slot; each is retried, since reading twice changes nothing.
    const slots: Record<string, string> = {};
    for (let slot = 1; slot <= this.model.slots; slot++) {
      const code = await this.readSlot(slot);
      if (code !== undefined && code !== null) slots[String(slot)] = code;
    }
    return { slots, voltsPerCell: this.#twin.lock.voltsPerCell, at: this.#clock.now() };
  }

  async readSlot(slot: number): Promise<string | null | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#roundTrip(`read slot ${slot}`);
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
      }
    }
    this.stats.slotReads++;
    return this.#twin.lock.slots[String(slot)];
  }

  setSlot(slot: number, code: string): Promise<WriteResult> {
    if (slot < 1 || slot > this.model.slots) {
      this.#emit({ type: 'lock-full', at: this.#clock.now() });
      return Promise.resolve({
        ok: false,
        error: 'no_free_slot',
        message: `the lock has slots 1-${this.model.slots}: it reports its code limit exceeded`,
        retryable: false,
      });
    }
    return this.#write({ op: 'add-user', slot, code }, (held) => held === code);
  }

  clearSlot(slot: number): Promise<WriteResult> {
    return this.#write({ op: 'delete-user', slot }, (held) => held === undefined);
  }

  setProgrammingCode(code: string): Promise<WriteResult> {
    return this.#write({ op: 'set-programming-code', code }, null);
  }

  // ---- the person at the door ---------------------------------------------------------------

  /** Someone adds a code at the keypad; the lock reports the slot (not the code) by radio. */
  keypadAdd(slot: number, code: string): boolean {
    const outcome = this.#press({ op: 'add-user', slot, code });
    const at = this.#clock.now();
    if (outcome.ok) this.#notify({ type: 'code-added-at-keypad', slot, code: null, at });
    else if (!outcome.silent) this.#notify({ type: 'duplicate-refused', slot, at });
    return outcome.ok;
  }

  keypadDelete(slot: number): boolean {
    if (this.#twin.lock.slots[String(slot)] === undefined) return false;
    const outcome = this.#press({ op: 'delete-user', slot });
    if (outcome.ok) this.#notify({ type: 'code-deleted-at-keypad', slot, at: this.#clock.now() });
    return outcome.ok;
  }

  /** Someone types a code and the confirm key; true when the bolt draws back. */
  keypadUse(code: string): boolean {
    this.#catchUp();
    const inputs = [...code.split('').map((d) => ({ press: d as never })), { press: this.model.confirmKey }];
    const lockedOut = () => this.#twin.mode.kind === 'lockout';
    const before = lockedOut();
    for (const input of inputs) this.#twin = step(this.#twin, input, this.model).state;
    // Too many wrong codes: the lock disables its keypad and says so by radio.
    if (!before && lockedOut()) this.#notify({ type: 'wrong-code-lockout', at: this.#clock.now() });
    const opened = this.#twin.bolt === 'unlocked';
    if (opened) {
      const slot = Object.entries(this.#twin.lock.slots).find(([, c]) => c === code)?.[0];
      if (slot) this.#notify({ type: 'code-used', slot: Number(slot), at: this.#clock.now() });
      this.#twin = { ...this.#twin, bolt: 'locked' };
    }
    return opened;
  }

  /**
   * A person at the door presses these twin inputs. The lock reports what a real one would by
   * radio: a code that opened the bolt (its slot, never the code), a lockout after wrong codes,
   * a code added or removed by programming at the keypad. Returns the signals and the bolt.
   */
  pressInputs(inputs: readonly Input[]): { signals: Signal[]; bolt: 'locked' | 'unlocked' } {
    this.#catchUp();
    const signals: Signal[] = [];
    for (const input of inputs) {
      const before = this.#twin;
      const r = step(before, input, this.model);
      this.#twin = r.state;
      signals.push(...r.signals);
      const at = this.#clock.now();
      const confirm = 'press' in input && input.press === this.model.confirmKey;
      const opened =
        confirm && before.mode.kind === 'idle' && before.buffer !== '' && r.state.bolt === 'unlocked';
      const slot = opened ? slotOpenedBy(before.lock, this.model, before.buffer) : null;
      if (slot !== null && r.signals.length > 0) this.#notify({ type: 'code-used', slot, at });
      if (before.mode.kind !== 'lockout' && r.state.mode.kind === 'lockout')
        this.#notify({ type: 'wrong-code-lockout', at });
      if (before.lock.slots !== r.state.lock.slots) {
        const was = before.lock.slots;
        const now = r.state.lock.slots;
        for (const k of new Set([...Object.keys(was), ...Object.keys(now)])) {
          if (was[k] === now[k]) continue;
          if (now[k] === undefined) this.#notify({ type: 'code-deleted-at-keypad', slot: Number(k), at });
          else this.#notify({ type: 'code-added-at-keypad', slot: Number(k), code: null, at });
        }
      }
    }
    // As keypadUse: the person goes in and locks the door behind them, so the next visitor
    // starts from a locked door (the answer still says it opened).
    const bolt = this.#twin.bolt;
    if (bolt === 'unlocked') this.#twin = { ...this.#twin, bolt: 'locked' };
    this.#save();
    return { signals, bolt };
  }

  /** A random visitor: adds a fresh 6-digit code to a random slot or deletes an occupied one. */
  randomVisit(random: Random = this.#random): { action: 'add' | 'delete'; slot: number; ok: boolean } {
    const occupied = Object.keys(this.#twin.lock.slots).map(Number);
    if (occupied.length > 0 && random.int(2) === 0) {
      const slot = occupied[random.int(occupied.length)]!;
      return { action: 'delete', slot, ok: this.keypadDelete(slot) };
    }
    const slot = 1 + random.int(this.model.slots);
    const code = String(100_000 + random.int(900_000));
    return { action: 'add', slot, ok: this.keypadAdd(slot, code) };
  }

  /** Batteries sag or get replaced. */
  setVolts(voltsPerCell: number): void {
    this.#twin = step(this.#twin, { volts: voltsPerCell }, this.model).state;
    this.#checkBattery();
    this.#save();
  }

  // ---- radio -------------------------------------------------------------------------------

  /** One frame: costs latency and battery; false when it was lost on the way. */
  async #frame(): Promise<boolean> {
    this.stats.frames++;
    const drain = this.#opts.drainPerFrame ?? 0;
    if (drain > 0) {
      this.#twin = step(this.#twin, { volts: this.#twin.lock.voltsPerCell - drain }, this.model).state;
      this.#checkBattery();
    }
    const latency = this.#opts.latencyMs ?? 0;
    if (latency > 0) await this.#clock.sleep(latency);
    const rate = this.#opts.dropRate ?? 0;
    const lost = !this.reachable || (rate > 0 && this.#random.int(1_000_000) < rate * 1_000_000);
    if (lost) this.stats.dropped++;
    return !lost;
  }

  async #roundTrip(what: string): Promise<void> {
    if (!(await this.#frame()) || !(await this.#frame())) throw timeout(what);
  }

  /**
   * Send, let the lock act, then confirm: by its notification when that frame arrives, else by
   * reading the slot back. A write that neither shows is unconfirmed, never assumed done.
   */
  async #write(
    req: GuideRequest,
    holds: ((held: string | undefined) => boolean) | null,
  ): Promise<WriteResult> {
    const arrived = await this.#frame();
    let outcome: KeypadOutcome | null = null;
    if (arrived) {
      this.stats.writesReceived++;
      outcome = this.#press(req);
      if (outcome.ok) this.stats.writesApplied++;
      this.#save();
    }
    const notified = outcome !== null && !(outcome.ok === false && outcome.silent) && (await this.#frame());
    if (notified && outcome) {
      return outcome.ok
        ? { ok: true, confirmedBy: 'notification' }
        : { ok: false, error: outcome.error, message: outcome.message, retryable: outcome.retryable };
    }
    if (holds && req.slot !== undefined) {
      try {
        const held = await this.readSlot(req.slot);
        if (holds(held ?? undefined)) return { ok: true, confirmedBy: 'read-back' };
      } catch {
        // Deliberately not reported separately: a read-back that does not come is exactly the
        // case the result below describes. The failure is not lost: it is returned as
        // `unconfirmed` (retryable), which the reconciler records with this lock and retries
        // with back-off. A 'fault' event here would report the same failure twice.
      }
    }
    return {
      ok: false,
      error: 'unconfirmed',
      message: arrived
        ? 'the lock gave no notification and the read-back did not show the change'
        : 'no answer from the lock',
      retryable: true,
    };
  }

  // ---- the keypad --------------------------------------------------------------------------

  /** The twin's clock follows the injected clock, so keypad time-outs and lockouts run out. */
  #catchUp(): void {
    const elapsed = this.#clock.now() - this.#startedAt - this.#twin.at;
    if (elapsed > 0) this.#twin = step(this.#twin, { wait: elapsed }, this.model).state;
  }

  /** Carries out a request at the keypad, on the twin's real memory (see sim-keypad.ts). */
  #press(req: GuideRequest): KeypadOutcome {
    this.#catchUp();
    const { twin, outcome } = pressRequest(this.#twin, this.model, req);
    this.#twin = twin;
    return outcome;
  }

  // ---- events, battery, memory ---------------------------------------------------------------

  #emit(event: DriverEvent): void {
    for (const l of this.#listeners) l(event);
  }

  /** A notification is a frame like any other: it takes time and can be lost. */
  #notify(event: DriverEvent): void {
    this.#save();
    void this.#frame().then((arrived) => {
      if (arrived) this.#emit({ ...event, at: this.#clock.now() });
    });
  }

  #levelOf(volts: number): 'ok' | 'low' | 'critical' {
    const b = this.model.battery;
    if (volts <= b.critical) return 'critical';
    if (volts <= b.programmingFailsAtOrBelow) return 'low';
    return 'ok';
  }

  #checkBattery(): void {
    const volts = this.#twin.lock.voltsPerCell;
    const level = this.#levelOf(volts);
    if (level !== this.#batteryLevel) {
      this.#batteryLevel = level;
      this.#emit({ type: 'battery', voltsPerCell: volts, level, at: this.#clock.now() });
    }
  }

  #save(): void {
    const file = this.#opts.file;
    if (!file) return;
    // The twin's slots hold the codes: the file is its owner's alone, like the key file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ lock: this.#twin.lock, stats: this.stats }), {
      mode: 0o600,
    });
    renameSync(`${file}.tmp`, file);
  }
}
