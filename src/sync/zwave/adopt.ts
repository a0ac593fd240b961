import { findModel } from '../../core/catalog/index.js';
import { KeywardError } from '../../core/errors.js';
import type { Store } from '../../store/index.js';
import { type AdoptedLock, adoptZWaveLocks } from '../../store/zwave-adopt.js';
import type { DiscoveredLock } from './discovery.js';
import { describeTarget, type ZWaveTarget } from './target.js';

/** Which discovered nodes to add, and as what. */
export interface AdoptChoice {
  nodeId: number;
  /** Required when discovery could not tell the model (e.g. 910 and 912 share a radio). */
  model?: string;
  /** Default: "<model> (node N)". */
  name?: string;
}

export interface AdoptRequest {
  target: ZWaveTarget;
  /** Default: the first site (one named "Home" is created when there is none). */
  siteId?: string;
  nodes: AdoptChoice[];
}

export type { AdoptedLock };

interface PlannedLock {
  choice: AdoptChoice;
  found: DiscoveredLock;
  model: string;
  name: string;
  codes: Array<[number, string]>;
  masked: number[];
}

/**
 * Checks a choice of nodes against what discovery found, before anything is written: each node
 * must be a Kwikset on that network, done with its interview (or its codes are not all known),
 * and of a model its radio can be.
 */
export function planAdoption(request: AdoptRequest, found: DiscoveredLock[]): PlannedLock[] {
  if (request.nodes.length === 0) throw new KeywardError('BAD_INPUT', 'choose at least one node to adopt');
  const seen = new Set<number>();
  return request.nodes.map((choice) => {
    if (seen.has(choice.nodeId)) throw new KeywardError('BAD_INPUT', `node ${choice.nodeId} is chosen twice`);
    seen.add(choice.nodeId);
    const node = found.find((f) => f.nodeId === choice.nodeId);
    if (!node) {
      throw new KeywardError(
        'NOT_FOUND',
        `node ${choice.nodeId} is not a Kwikset lock on ${describeTarget(request.target)} (found: ${
          found.map((f) => f.nodeId).join(', ') || 'none'
        })`,
      );
    }
    if (!node.ready) {
      throw new KeywardError(
        'BAD_INPUT',
        `node ${node.nodeId} is still being interviewed, so its codes are not all known yet: try again when it is done`,
      );
    }
    const model = chooseModel(node, choice.model);
    const codes: Array<[number, string]> = [];
    const masked: number[] = [];
    for (const [slot, code] of Object.entries(node.codes)) {
      if (code === null) masked.push(Number(slot));
      else codes.push([Number(slot), code]);
    }
    return {
      choice,
      found: node,
      model,
      name: choice.name ?? `${model} (node ${node.nodeId})`,
      codes,
      masked,
    };
  });
}

function chooseModel(node: DiscoveredLock, wanted: string | undefined): string {
  if (wanted !== undefined) {
    const model = findModel(wanted);
    if (!model) throw new KeywardError('UNKNOWN_MODEL', `unknown model "${wanted}"`);
    if (!model.zwave) throw new KeywardError('BAD_INPUT', `model ${model.id} has no Z-Wave radio`);
    if (node.candidates.length > 0 && !node.candidates.includes(model.id)) {
      throw new KeywardError(
        'BAD_INPUT',
        `node ${node.nodeId} reports the radio of a ${node.candidates.join(' or ')}, not a ${model.id}`,
      );
    }
    return model.id;
  }
  if (node.match === 'exact') return node.candidates[0]!;
  if (node.match === 'ambiguous') {
    throw new KeywardError(
      'BAD_INPUT',
      `node ${node.nodeId} may be a ${node.candidates.join(' or ')} (they share one radio module): say which`,
    );
  }
  throw new KeywardError(
    'BAD_INPUT',
    `node ${node.nodeId} (product ${hex(node.productType)}:${hex(node.productId)}) matches no model in the catalog: say which model it is`,
  );
}

function hex(n: number | undefined): string {
  return n === undefined ? '?' : `0x${n.toString(16).padStart(4, '0')}`;
}

/**
 * Adds the chosen nodes as locks with the codes they hold taken into the register (see
 * adoptZWaveLocks): checked against what discovery found before anything is written.
 */
export async function adoptLocks(
  store: Store,
  request: AdoptRequest,
  found: DiscoveredLock[],
): Promise<AdoptedLock[]> {
  const plan = planAdoption(request, found);
  let siteId = request.siteId;
  if (!siteId) {
    const sites = await store.listSites();
    siteId = sites[0]?.id ?? (await store.addSite({ name: 'Home' })).id;
  }
  return adoptZWaveLocks(store.ctx, {
    siteId,
    driver: 'url' in request.target ? 'zwave-server' : 'zwave',
    network: request.target,
    networkName: describeTarget(request.target),
    locks: plan.map((p) => ({
      nodeId: p.found.nodeId,
      name: p.name,
      model: p.model,
      codes: p.codes,
      masked: p.masked,
    })),
  });
}
