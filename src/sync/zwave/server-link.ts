import { KeywardError } from '../../core/errors.js';
import type { TimerClock } from '../clock.js';
import type { LinkCapabilities, LinkSignal, LockLink, SlotRead } from './link.js';
import { slotFrom } from './link.js';
import { radioClock } from './radio-clock.js';
import { type ServerConnection, type ServerNodeEvent, valueKey } from './server-connection.js';
import { SignalDecoder } from './signals.js';
import { CC, USER_ENABLED } from './value-ids.js';

/**
 * A lock on a controller owned by zwave-js-server. Every call is the User Code CC API method
 * zwave-js itself offers (endpoint.invoke_cc_api), so the frames on the air are the same as
 * with the in-process driver.
 */
export class ServerLink implements LockLink {
  readonly kind = 'zwave-server' as const;
  private readonly decoder: SignalDecoder;
  private readonly detach: () => void;

  /**
   * zwave-js keeps the lock's capabilities as internal values, which the server leaves out of
   * its state dump; node.get_value reads them from the server's cache, without radio traffic.
   */
  static async open(
    connection: ServerConnection,
    nodeId: number,
    ownsConnection = false,
    clock: TimerClock = radioClock,
  ): Promise<ServerLink> {
    if (!connection.nodes.has(nodeId)) {
      throw new KeywardError('NOT_FOUND', `zwave-js-server has no node ${nodeId}`);
    }
    const internal = async (property: string) => {
      const result = await connection.command('node.get_value', {
        nodeId,
        valueId: { commandClass: CC.userCode, property },
      });
      return result.value;
    };
    const users = await internal('supportedUsers');
    const checksum = await internal('supportsUserCodeChecksum');
    const adminCode = await internal('supportsAdminCode');
    return new ServerLink(
      connection,
      nodeId,
      {
        users: typeof users === 'number' ? users : undefined,
        checksum: checksum === true,
        adminCode: adminCode === true,
      },
      ownsConnection,
      clock,
    );
  }

  private constructor(
    private readonly connection: ServerConnection,
    readonly nodeId: number,
    private readonly caps: LinkCapabilities,
    private readonly ownsConnection: boolean,
    clock: TimerClock,
  ) {
    this.decoder = new SignalDecoder(clock);
    this.detach = connection.onNodeEvent((event) => {
      if (event.nodeId === this.nodeId) this.onEvent(event);
    });
  }

  private onEvent(event: ServerNodeEvent): void {
    const args = event.args ?? {};
    if (event.event === 'notification' && event.ccId === CC.notification) {
      const params = args.parameters as { userId?: number } | undefined;
      this.decoder.notification({
        kind: 'notification',
        type: Number(args.type),
        event: Number(args.event),
        userId: params?.userId,
      });
      return;
    }
    if (event.event === 'value updated' || event.event === 'value added') {
      this.decoder.value(
        args as {
          commandClass: number;
          property: string | number;
          propertyKey?: string | number;
          newValue?: unknown;
        },
      );
    }
  }

  private value<T>(
    property: string,
    propertyKey?: number,
    commandClass: number = CC.userCode,
  ): T | undefined {
    return this.connection.nodes
      .get(this.nodeId)
      ?.values.get(valueKey(commandClass, property, propertyKey)) as T | undefined;
  }

  capabilities(): LinkCapabilities {
    return this.caps;
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
    return this.value<number>('level', undefined, CC.battery);
  }

  private async invoke(methodName: string, args: unknown[]): Promise<unknown> {
    const result = await this.connection.command('endpoint.invoke_cc_api', {
      nodeId: this.nodeId,
      endpoint: 0,
      commandClass: CC.userCode,
      methodName,
      args,
    });
    return result.response;
  }

  async set(slot: number, code: string): Promise<void> {
    await this.invoke('set', [slot, USER_ENABLED, code]);
  }

  async clear(slot: number): Promise<void> {
    await this.invoke('clear', [slot]);
  }

  async get(slot: number): Promise<SlotRead | undefined> {
    const report = (await this.invoke('get', [slot])) as
      | { userIdStatus?: number; userCode?: unknown }
      | undefined;
    return report ? slotFrom(report.userIdStatus, report.userCode) : undefined;
  }

  async checksum(): Promise<number | undefined> {
    const sum = await this.invoke('getUserCodeChecksum', []);
    return typeof sum === 'number' ? sum : undefined;
  }

  async setAdminCode(code: string): Promise<void> {
    await this.invoke('setAdminCode', [code]);
  }

  async getAdminCode(): Promise<string | undefined> {
    const code = await this.invoke('getAdminCode', []);
    return typeof code === 'string' ? code : undefined;
  }

  subscribe(listener: (signal: LinkSignal) => void): () => void {
    return this.decoder.subscribe(listener);
  }

  async close(): Promise<void> {
    this.detach();
    this.decoder.close();
    if (this.ownsConnection) await this.connection.close();
  }
}
