import { networkKey } from '../../core/radio/address.js';
import type { DiscoveredLock } from './discovery.js';
import type { ZWaveTarget } from './target.js';

/** A discovered lock as the CLI and the API show it: codes counted, shown only on request. */
export interface NodeListing {
  nodeId: number;
  label: string | null;
  productType: number | null;
  productId: number | null;
  candidates: string[];
  match: DiscoveredLock['match'];
  ready: boolean;
  /** Codes the lock holds (masked ones included). */
  codeCount: number;
  /** Occupied slots. */
  slots: number[];
  /** Occupied slots whose code the lock would not show (cannot be adopted as credentials). */
  masked: number[];
  /** The register's lock for this node, if it was already added. */
  lockId: string | null;
  /** Slot to code, only when asked for. */
  codes?: Record<string, string | null>;
}

interface RegisteredLock {
  id: string;
  driver: string;
  driverConfig: Record<string, unknown>;
}

export function listNodes(
  found: DiscoveredLock[],
  target: ZWaveTarget,
  registered: RegisteredLock[],
  reveal: boolean,
): NodeListing[] {
  const key = networkKey(target);
  return found.map((node) => {
    const slots = Object.keys(node.codes).map(Number);
    const masked = slots.filter((s) => node.codes[String(s)] === null);
    const lock = registered.find(
      (l) =>
        l.driverConfig.nodeId === node.nodeId &&
        ('url' in target
          ? l.driver === 'zwave-server' &&
            typeof l.driverConfig.url === 'string' &&
            networkKey({ url: l.driverConfig.url }) === key
          : l.driver === 'zwave' && l.driverConfig.serialPort === target.serialPort),
    );
    return {
      nodeId: node.nodeId,
      label: node.label ?? null,
      productType: node.productType ?? null,
      productId: node.productId ?? null,
      candidates: node.candidates,
      match: node.match,
      ready: node.ready,
      codeCount: slots.length,
      slots,
      masked,
      lockId: lock?.id ?? null,
      ...(reveal ? { codes: { ...node.codes } } : {}),
    };
  });
}
