import WebSocket from 'ws';
import { KeywardError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import { redactUrl, redactUrlsIn } from '../../core/radio/address.js';
import { type FaultListener, faultsToStderr } from './faults.js';
import { radioClock } from './radio-clock.js';

/**
 * A client of zwave-js-server (the Home Assistant add-on, Z-Wave JS UI): the controller stays
 * theirs, Keyward sends the same commands Home Assistant sends. Schema 35 is old enough for
 * every server released since 2024 and has endpoint-level notifications and invoke_cc_api.
 */
export const SERVER_SCHEMA = 35;

export interface ServerValue {
  commandClass: number;
  endpoint?: number;
  property: string | number;
  propertyKey?: string | number;
  value?: unknown;
}

export interface ServerNodeState {
  nodeId: number;
  ready?: boolean;
  status?: number;
  manufacturerId?: number;
  productType?: number;
  productId?: number;
  label?: string;
  values?: ServerValue[];
}

export interface ServerNodeEvent {
  source: 'node';
  event: string;
  nodeId: number;
  ccId?: number;
  args?: Record<string, unknown>;
}

interface ResultMessage {
  type: 'result';
  messageId: string;
  success: boolean;
  result?: Record<string, unknown>;
  errorCode?: string;
  message?: string;
  zwaveErrorMessage?: string;
}

export function valueKey(
  commandClass: number,
  property: string | number,
  propertyKey?: string | number,
): string {
  return `${commandClass}:${property}:${propertyKey ?? ''}`;
}

export interface ServerConnectionOptions {
  /** How long the websocket handshake may take. */
  timeoutMs?: number;
  /** Hears what the connection drops (a message that is not JSON). Default: standard error. */
  onFault?: FaultListener;
  clock?: Clock;
}

export class ServerConnection {
  private readonly pending = new Map<
    string,
    { resolve(r: Record<string, unknown>): void; reject(e: Error): void }
  >();
  private readonly listeners = new Set<(event: ServerNodeEvent) => void>();
  private readonly closeListeners = new Set<(why: string) => void>();
  private nextId = 1;
  private closedBecause: string | undefined;
  /** Node states as the server reported them on start_listening, kept current by value events. */
  readonly nodes = new Map<number, { state: ServerNodeState; values: Map<string, unknown> }>();

  private constructor(
    private readonly socket: WebSocket,
    /** With its credentials: never shown, logged or audited as it is (redactUrl). */
    readonly url: string,
    private readonly onFault: FaultListener,
    private readonly clock: Clock,
  ) {
    socket.on('message', (data) => this.onMessage(String(data)));
    // A socket error after the handshake would otherwise be an unhandled 'error' event, which
    // ends the process: the 'close' that follows it is what the locks need to hear.
    socket.on('error', (error) => {
      this.closedBecause ??= error.message;
    });
    socket.on('close', () => {
      const why = this.closedBecause ?? 'the zwave-js-server connection closed';
      this.closedBecause = why;
      for (const { reject } of this.pending.values()) reject(new Error(why));
      this.pending.clear();
      for (const listener of this.closeListeners) listener(why);
    });
  }

  /** Why the connection is gone, or undefined while it is open. */
  get closed(): string | undefined {
    return this.socket.readyState === WebSocket.OPEN ? undefined : (this.closedBecause ?? 'closing');
  }

  onClose(listener: (why: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  static async connect(url: string, options: ServerConnectionOptions = {}): Promise<ServerConnection> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    } catch (error) {
      // ws repeats an address it cannot parse, credentials included.
      throw new KeywardError(
        'DRIVER_FAILED',
        `cannot reach zwave-js-server at ${redactUrl(url)}: ${redactUrlsIn(error instanceof Error ? error.message : String(error))}`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', (error) =>
        reject(
          new KeywardError(
            'DRIVER_FAILED',
            `cannot reach zwave-js-server at ${redactUrl(url)}: ${redactUrlsIn(error.message)}`,
          ),
        ),
      );
    });
    const connection = new ServerConnection(
      socket,
      url,
      options.onFault ?? faultsToStderr,
      options.clock ?? radioClock,
    );
    let result: Record<string, unknown>;
    // A websocket that is not a zwave-js-server may never answer: start-up has the handshake's time.
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref?.();
    });
    try {
      await Promise.race([connection.command('set_api_schema', { schemaVersion: SERVER_SCHEMA }), silent]);
      result = await Promise.race([connection.command('start_listening'), silent]);
    } catch (error) {
      await connection.close();
      throw new KeywardError(
        'DRIVER_FAILED',
        `zwave-js-server at ${redactUrl(url)} did not start: ${redactUrlsIn(error instanceof Error ? error.message : String(error))}`,
      );
    } finally {
      clearTimeout(timer);
    }
    const state = result.state as { nodes?: ServerNodeState[] } | undefined;
    for (const node of state?.nodes ?? []) connection.remember(node);
    return connection;
  }

  private remember(node: ServerNodeState): void {
    const values = new Map<string, unknown>();
    for (const v of node.values ?? []) {
      if ((v.endpoint ?? 0) === 0) values.set(valueKey(v.commandClass, v.property, v.propertyKey), v.value);
    }
    this.nodes.set(node.nodeId, { state: node, values });
  }

  command(command: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const messageId = `keyward-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(messageId, { resolve, reject });
      this.socket.send(JSON.stringify({ messageId, command, ...fields }), (error) => {
        if (!error) return;
        this.pending.delete(messageId);
        reject(error);
      });
    });
  }

  onNodeEvent(listener: (event: ServerNodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onMessage(text: string): void {
    let message: { type?: string; messageId?: string; event?: ServerNodeEvent };
    try {
      message = JSON.parse(text);
    } catch {
      // Neither the text nor the parser's message is repeated: a value event carries codes.
      this.onFault({
        at: this.clock.now(),
        target: redactUrl(this.url),
        during: 'reading a message from zwave-js-server',
        message: `a message of ${text.length} characters that is not JSON was ignored`,
      });
      return;
    }
    if (message.type === 'result' && message.messageId) {
      const result = message as ResultMessage;
      const waiter = this.pending.get(result.messageId);
      if (!waiter) return;
      this.pending.delete(result.messageId);
      if (result.success) waiter.resolve(result.result ?? {});
      else {
        const why = result.zwaveErrorMessage ?? result.message ?? result.errorCode ?? 'unknown error';
        waiter.reject(new Error(`zwave-js-server refused the command: ${why}`));
      }
      return;
    }
    if (message.type === 'event' && message.event?.source === 'node') {
      const event = message.event;
      if (event.event === 'ready' && (event as { nodeState?: ServerNodeState }).nodeState) {
        this.remember((event as unknown as { nodeState: ServerNodeState }).nodeState);
      }
      this.track(event);
      for (const listener of this.listeners) listener(event);
    }
  }

  private track(event: ServerNodeEvent): void {
    if (event.event !== 'value updated' && event.event !== 'value added') return;
    const args = event.args as
      | {
          commandClass: number;
          endpoint?: number;
          property: string | number;
          propertyKey?: string | number;
          newValue?: unknown;
        }
      | undefined;
    const node = this.nodes.get(event.nodeId);
    if (!args || !node || (args.endpoint ?? 0) !== 0) return;
    node.values.set(valueKey(args.commandClass, args.property, args.propertyKey), args.newValue);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
