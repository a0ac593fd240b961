import type { Driver, ZWaveNode } from 'zwave-js';
import { KeywardError } from '../../core/errors.js';
import type { TimerClock } from '../clock.js';
import type { LinkCapabilities, LinkSignal, LockLink, SlotRead } from './link.js';
import { slotFrom } from './link.js';
import { radioClock } from './radio-clock.js';
import { SignalDecoder } from './signals.js';
import { CC, USER_ENABLED } from './value-ids.js';

interface ValueArgs {
  commandClass: number;
  property: string | number;
  propertyKey?: string | number;
  newValue?: unknown;
}

/** A lock on a zwave-js driver running in this process. */
export class DriverLink implements LockLink {
  readonly kind = 'zwave' as const;
  private readonly node: ZWaveNode;
  private readonly decoder: SignalDecoder;
  private readonly detach: () => void;

  constructor(
    driver: Driver,
    readonly nodeId: number,
    clock: TimerClock = radioClock,
  ) {
    this.decoder = new SignalDecoder(clock);
    const node = driver.controller.nodes.get(nodeId);
    if (!node) throw new KeywardError('NOT_FOUND', `no Z-Wave node ${nodeId} on this controller`);
    this.node = node;
    const onNotification = (_endpoint: unknown, ccId: number, args: unknown) => {
      if (ccId !== CC.notification) return;
      const a = args as { type: number; event: number; parameters?: { userId?: number } };
      this.decoder.notification({
        kind: 'notification',
        type: a.type,
        event: a.event,
        userId: a.parameters?.userId,
      });
    };
    const onValue = (_node: unknown, args: ValueArgs) => this.decoder.value(args);
    node.on('notification', onNotification);
    node.on('value updated', onValue);
    node.on('value added', onValue);
    this.detach = () => {
      node.off('notification', onNotification);
      node.off('value updated', onValue);
      node.off('value added', onValue);
      this.decoder.close();
    };
  }

  private value<T>(
    property: string,
    propertyKey?: number,
    commandClass: number = CC.userCode,
  ): T | undefined {
    return this.node.getValue<T>({ commandClass, property, propertyKey });
  }

  capabilities(): LinkCapabilities {
    return {
      users: this.value<number>('supportedUsers'),
      checksum: this.value<boolean>('supportsUserCodeChecksum') === true,
      adminCode: this.value<boolean>('supportsAdminCode') === true,
    };
  }

  cachedSlots(): Map<number, string | null> {
    const slots = new Map<number, string | null>();
    const users = this.capabilities().users ?? 0;
    for (let slot = 1; slot <= users; slot++) {
      const read = slotFrom(this.value<number>('userIdStatus', slot), this.value('userCode', slot));
      if (read?.status === 'occupied') slots.set(slot, read.code);
    }
    return slots;
  }

  cachedBattery(): number | undefined {
    return this.node.getValue<number>({ commandClass: CC.battery, property: 'level' });
  }

  private get api() {
    return this.node.commandClasses['User Code'];
  }

  async set(slot: number, code: string): Promise<void> {
    await this.api.set(slot, USER_ENABLED, code);
  }

  async clear(slot: number): Promise<void> {
    await this.api.clear(slot);
  }

  async get(slot: number): Promise<SlotRead | undefined> {
    const report = await this.api.get(slot);
    return report && slotFrom(report.userIdStatus, report.userCode);
  }

  async checksum(): Promise<number | undefined> {
    return this.api.getUserCodeChecksum();
  }

  async setAdminCode(code: string): Promise<void> {
    await this.api.setAdminCode(code);
  }

  async getAdminCode(): Promise<string | undefined> {
    return this.api.getAdminCode();
  }

  subscribe(listener: (signal: LinkSignal) => void): () => void {
    return this.decoder.subscribe(listener);
  }

  async close(): Promise<void> {
    this.detach();
  }
}
