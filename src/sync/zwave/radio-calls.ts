import { count } from '../../core/plural.js';
import type { TimerClock } from '../clock.js';
import type { AccessCodeError, WriteResult } from '../driver.js';
import { errorText, fail } from './write-result.js';

/** A node that did not answer in time: asleep, out of range, or gone. */
export class Unreachable extends Error {}

export interface RadioCallTuning {
  /** Tries per frame when the node does not acknowledge (zwave-js already retries each 3 times). */
  attempts: number;
  /** First pause between tries; doubles each time. */
  backoffMs: number;
  /** Longest wait for one call; a sleeping or absent node must not hang the reconciler. */
  callTimeoutMs: number;
}

/**
 * Frames to one node, each with retries and a time limit on the clock port, and the writes
 * zwave-js still holds for a sleeping node.
 */
export class RadioCalls {
  /**
   * Writes that timed out but that zwave-js still holds for a sleeping node, by slot. It sends
   * them when the node wakes; sending another for the same slot would only stack frames.
   */
  private readonly heldByNetwork = new Map<number, Promise<unknown>>();

  constructor(
    private readonly nodeId: number,
    private readonly clock: TimerClock,
    private readonly tuning: RadioCallTuning,
    /** Told once a call has given up, with why. */
    private readonly onUnreachable: (message: string) => void,
  ) {}

  async call<T>(what: string, task: () => Promise<T>): Promise<T> {
    const { attempts, backoffMs } = this.tuning;
    let last: unknown;
    let tries = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      tries = attempt;
      try {
        return await this.withTimeout(what, task());
      } catch (error) {
        last = error;
        // A timed-out call may still sit in zwave-js's queue for a sleeping node: sending it
        // again would only stack duplicates, so only unacknowledged frames are retried.
        if (error instanceof Unreachable) break;
        if (attempt < attempts) await this.clock.sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
    const message = `node ${this.nodeId} did not answer ${what} after ${count(tries, 'attempt')}: ${errorText(last)}`;
    this.onUnreachable(message);
    throw new Unreachable(message);
  }

  private withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
    const limit = this.tuning.callTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const cancel = this.clock.at(this.clock.now() + limit, () =>
        reject(new Unreachable(`no answer to ${what} within ${limit} ms (asleep or out of range)`)),
      );
      promise.then(
        (value) => {
          cancel();
          resolve(value);
        },
        (error: unknown) => {
          cancel();
          reject(error);
        },
      );
    });
  }

  /** Remembers a write until zwave-js settles it, however long the node sleeps. */
  held<T>(slot: number, write: Promise<T>): Promise<T> {
    this.heldByNetwork.set(slot, write);
    const forget = () => {
      if (this.heldByNetwork.get(slot) === write) this.heldByNetwork.delete(slot);
    };
    write.then(forget, forget);
    return write;
  }

  /** The answer to a write on a slot whose last frame zwave-js still holds; undefined if none. */
  stillHeld(slot: number, error: AccessCodeError): WriteResult | undefined {
    if (!this.heldByNetwork.has(slot)) return undefined;
    return fail(
      error,
      `node ${this.nodeId} has not yet taken the last frame for slot ${slot} (asleep or out of range): it is sent when the node wakes, not again`,
      true,
    );
  }
}
