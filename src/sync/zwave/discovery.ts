import type { Driver } from 'zwave-js';
import { MODELS } from '../../core/catalog/index.js';
import { DriverLink } from './driver-link.js';
import { ServerConnection } from './server-connection.js';
import { ServerLink } from './server-link.js';
import { CC } from './value-ids.js';

export const KWIKSET_MANUFACTURER_ID = 0x0090;

export interface DiscoveredLock {
  nodeId: number;
  productType: number | undefined;
  productId: number | undefined;
  /** zwave-js's device label, e.g. "910". */
  label: string | undefined;
  /** Catalog models with this product type and id: one is a match, several need the user to pick. */
  candidates: string[];
  match: 'exact' | 'ambiguous' | 'unknown';
  /** The codes zwave-js read in its interview (slot to code, null if masked), ready to adopt. */
  codes: Record<string, string | null>;
  /** False while zwave-js is still interviewing the node: its codes are not all known yet. */
  ready: boolean;
}

/** Catalog models whose Z-Wave identity matches. Several models share one radio module. */
export function matchModels(productType: number | undefined, productId: number | undefined): string[] {
  if (productType === undefined || productId === undefined) return [];
  return MODELS.filter(
    (m) =>
      m.zwave?.manufacturerId === KWIKSET_MANUFACTURER_ID &&
      m.zwave.productType === productType &&
      m.zwave.productIds.includes(productId),
  ).map((m) => m.id);
}

interface Candidate {
  nodeId: number;
  manufacturerId: number | undefined;
  productType: number | undefined;
  productId: number | undefined;
  label: string | undefined;
  ready: boolean;
  codes: Map<number, string | null>;
}

function describe(node: Candidate): DiscoveredLock {
  const candidates = matchModels(node.productType, node.productId);
  const codes: Record<string, string | null> = {};
  for (const [slot, code] of [...node.codes].sort((a, b) => a[0] - b[0])) codes[String(slot)] = code;
  return {
    nodeId: node.nodeId,
    productType: node.productType,
    productId: node.productId,
    label: node.label,
    candidates,
    match: candidates.length === 1 ? 'exact' : candidates.length > 1 ? 'ambiguous' : 'unknown',
    codes,
    ready: node.ready,
  };
}

/**
 * The Kwikset locks on an in-process zwave-js network, with the codes they hold. Reads only the
 * driver's cache: discovery sends nothing to the locks.
 */
export function discoverOnDriver(driver: Driver): DiscoveredLock[] {
  const found: DiscoveredLock[] = [];
  for (const node of driver.controller.nodes.values()) {
    if (node.manufacturerId !== KWIKSET_MANUFACTURER_ID) continue;
    let codes = new Map<number, string | null>();
    if (node.supportsCC(CC.userCode)) {
      const link = new DriverLink(driver, node.id);
      codes = link.cachedSlots();
      void link.close();
    }
    found.push(
      describe({
        nodeId: node.id,
        manufacturerId: node.manufacturerId,
        productType: node.productType,
        productId: node.productId,
        label: node.deviceConfig?.label,
        ready: node.ready,
        codes,
      }),
    );
  }
  return found.sort((a, b) => a.nodeId - b.nodeId);
}

/** The same over an existing zwave-js-server, from the state it sends on start_listening. */
export async function discoverOnServer(url: string): Promise<DiscoveredLock[]> {
  const connection = await ServerConnection.connect(url);
  try {
    return await discoverOnConnection(connection);
  } finally {
    await connection.close();
  }
}

export async function discoverOnConnection(connection: ServerConnection): Promise<DiscoveredLock[]> {
  const found: DiscoveredLock[] = [];
  for (const { state } of connection.nodes.values()) {
    if (state.manufacturerId !== KWIKSET_MANUFACTURER_ID) continue;
    const link = await ServerLink.open(connection, state.nodeId);
    const codes = link.cachedSlots();
    await link.close();
    found.push(
      describe({
        nodeId: state.nodeId,
        manufacturerId: state.manufacturerId,
        productType: state.productType,
        productId: state.productId,
        label: state.label,
        ready: state.ready ?? false,
        codes,
      }),
    );
  }
  return found.sort((a, b) => a.nodeId - b.nodeId);
}
