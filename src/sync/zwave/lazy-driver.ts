import { KeywardError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import type { DriverEvent, LockDriver, LockReport, WriteResult } from '../driver.js';
import { expectedChecksum } from './checksum.js';
import { radioClock } from './radio-clock.js';
import type { OpenedLock } from './registry.js';

export interface LazyZWaveDriverOptions {
  kind: 'zwave' | 'zwave-server';
  /** Opens the lock on its (shared) network; rejects when the stick or server cannot be reached. */
  open: () => Promise<OpenedLock>;
  /** Names the lock in messages, e.g. "node 5 on ws://hass:3000". */
  name: string;
  /** Times its fault events. Default: radioClock (the system clock). */
  clock?: Clock;
}

/**
 * The reconciler asks for a lock's driver synchronously, but reaching a Z-Wave network is slow
 * and may fail (stick unplugged, Home Assistant restarting). This driver opens its network on
 * first use and again whenever the network under it has gone away. A network it cannot reach is
 * an ordinary retryable outcome (`failed_to_set` / `failed_to_remove`, or DRIVER_FAILED for a
 * read), so the reconciler backs off and tries again; nothing is thrown out of the process.
 */
export class LazyZWaveDriver implements LockDriver {
  readonly kind: 'zwave' | 'zwave-server';
  private readonly listeners = new Set<(event: DriverEvent) => void>();
  private opened: { lock: OpenedLock; detach: () => void } | undefined;
  private opening: Promise<OpenedLock> | undefined;
  private closed = false;
  /** Why the last attempt to reach the network failed; cleared once it is reached. */
  lastError: string | undefined;

  constructor(private readonly options: LazyZWaveDriverOptions) {
    this.kind = options.kind;
  }

  private async ensure(): Promise<LockDriver> {
    if (this.closed) throw new KeywardError('DRIVER_FAILED', `${this.options.name}: the driver is closed`);
    if (this.opened) {
      if (this.opened.lock.gone() === undefined) return this.opened.lock.driver;
      await this.drop();
    }
    this.opening ??= this.options.open().finally(() => {
      this.opening = undefined;
    });
    let lock: OpenedLock;
    try {
      lock = await this.opening;
    } catch (error) {
      this.lastError = errorText(error);
      throw new KeywardError('DRIVER_FAILED', `${this.options.name}: ${this.lastError}`);
    }
    // Concurrent callers share one opening; the first to get here keeps it.
    if (!this.opened) {
      if (this.closed) {
        lock.release?.();
        await lock.driver.close();
        throw new KeywardError('DRIVER_FAILED', `${this.options.name}: the driver is closed`);
      }
      // `unreachable` included: the reconciler backs the lock off on it instead of retrying.
      const detach = lock.driver.onEvent((event) => this.emit(event));
      this.opened = { lock, detach };
      this.lastError = undefined;
    } else if (this.opened.lock !== lock) {
      lock.release?.();
      await lock.driver.close();
    }
    return this.opened.lock.driver;
  }

  private emit(event: DriverEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async drop(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (!opened) return;
    opened.detach();
    opened.lock.release?.();
    try {
      await opened.lock.driver.close();
    } catch (error) {
      // The driver is dropped either way (its network is gone or closing), so the failure is
      // reported rather than thrown at the caller, who wants the next network.
      this.emit({
        type: 'fault',
        at: (this.options.clock ?? radioClock).now(),
        message: `${this.options.name}: ${errorText(error)}`,
        during: 'closing the lock driver',
      });
    }
  }

  async read(): Promise<LockReport> {
    return (await this.ensure()).read();
  }

  async readSlot(slot: number): Promise<string | null | undefined> {
    return (await this.ensure()).readSlot(slot);
  }

  async checksum(): Promise<number | undefined> {
    const driver = await this.ensure();
    return driver.checksum ? driver.checksum() : undefined;
  }

  /** Same CRC as the lock's own checksum: needs no network. */
  expectedChecksum(slots: Record<string, string>): number {
    return this.opened?.lock.driver.expectedChecksum(slots) ?? expectedChecksumOffline(slots);
  }

  private async write(
    error: 'failed_to_set' | 'failed_to_remove',
    run: (driver: LockDriver) => Promise<WriteResult>,
  ): Promise<WriteResult> {
    let driver: LockDriver;
    try {
      driver = await this.ensure();
    } catch (e) {
      return { ok: false, error, message: errorText(e), retryable: true };
    }
    return run(driver);
  }

  setSlot(slot: number, code: string): Promise<WriteResult> {
    return this.write('failed_to_set', (d) => d.setSlot(slot, code));
  }

  clearSlot(slot: number): Promise<WriteResult> {
    return this.write('failed_to_remove', (d) => d.clearSlot(slot));
  }

  setProgrammingCode(code: string): Promise<WriteResult> {
    return this.write('failed_to_set', (d) => d.setProgrammingCode(code));
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drop();
    this.listeners.clear();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function expectedChecksumOffline(slots: Record<string, string>): number {
  const map = new Map(Object.entries(slots).map(([slot, code]) => [Number(slot), code] as const));
  return expectedChecksum(map) ?? 0;
}
