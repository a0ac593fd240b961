import type { DriverEvent, LockDriver, LockReport, WriteResult } from '../driver.js';
import { errorText } from '../events.js';
import { slotsHash, type Zigbee2MqttLock } from './lock-driver.js';

/**
 * The reconciler asks for a driver synchronously, but a Zigbee lock's settings are read from the
 * register (and its broker chosen) only when it is first driven. Until then calls wait for the
 * opening; a failed opening is a retryable outcome, as for Z-Wave.
 */
export class LazyZigbeeLock implements LockDriver {
  readonly kind = 'zigbee2mqtt' as const;
  readonly #listeners = new Set<(e: DriverEvent) => void>();
  #opening: Promise<Zigbee2MqttLock> | undefined;
  #closed = false;

  constructor(private readonly open: () => Promise<Zigbee2MqttLock>) {}

  #ensure(): Promise<Zigbee2MqttLock> {
    this.#opening ??= this.open().then(
      (lock) => {
        lock.onEvent((e) => {
          for (const l of this.#listeners) l(e);
        });
        return lock;
      },
      (e) => {
        this.#opening = undefined;
        throw e;
      },
    );
    return this.#opening;
  }

  async #write(
    error: 'failed_to_set' | 'failed_to_remove',
    run: (d: Zigbee2MqttLock) => Promise<WriteResult>,
  ) {
    let d: Zigbee2MqttLock;
    try {
      d = await this.#ensure();
    } catch (e) {
      return { ok: false as const, error, message: errorText(e), retryable: true };
    }
    return run(d);
  }

  async read(): Promise<LockReport> {
    return (await this.#ensure()).read();
  }

  async readSlot(slot: number): Promise<string | null | undefined> {
    return (await this.#ensure()).readSlot(slot);
  }

  async checksum(): Promise<number | undefined> {
    return (await this.#ensure()).checksum();
  }

  expectedChecksum(slots: Record<string, string>): number {
    return slotsHash(slots);
  }

  setSlot(slot: number, code: string): Promise<WriteResult> {
    return this.#write('failed_to_set', (d) => d.setSlot(slot, code));
  }

  clearSlot(slot: number): Promise<WriteResult> {
    return this.#write('failed_to_remove', (d) => d.clearSlot(slot));
  }

  setProgrammingCode(): Promise<WriteResult> {
    return this.#write('failed_to_set', (d) => d.setProgrammingCode());
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.#listeners.add(listener);
    // Keypad events are heard from the start, not only after the first call.
    if (!this.#closed) this.#ensure().catch(() => {});
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    const opening = this.#opening;
    this.#opening = undefined;
    if (opening) await (await opening.catch(() => undefined))?.close();
  }
}
