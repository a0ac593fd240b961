import { type RotationPolicy, rotationDueAt } from '../../core/access/policies.js';
import { findModel } from '../../core/catalog/index.js';
import { KeywardError } from '../../core/errors.js';
import { change } from '../../store/context.js';
import type { Store } from '../../store/index.js';
import { insertLock, insertPerson } from '../../store/register.js';
import { adoptSlot } from '../../store/sync-state.js';
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

export interface AdoptedLock {
  lockId: string;
  nodeId: number;
  name: string;
  model: string;
  driver: 'zwave' | 'zwave-server';
  /** One credential (and person) per code the lock held, in the slot it is in. */
  adopted: Array<{ slot: number; credentialId: string; personId: string }>;
  /** Slots whose code the lock would not show: left as unmanaged codes for the reconciler. */
  masked: number[];
}

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

function sameNode(config: Record<string, unknown>, target: ZWaveTarget, nodeId: number): boolean {
  if (config.nodeId !== nodeId) return false;
  return 'url' in target ? config.url === target.url : config.serialPort === target.serialPort;
}

/**
 * Adds the chosen nodes as locks with the codes they hold taken into the register: per code a
 * person and a permanent credential named after its slot, sealed like any other code and marked
 * set in that slot (the lock already holds it). One transaction with its audit rows: all of it
 * or none. Codes never enter the audit log; slots do.
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
  const driver = 'url' in request.target ? ('zwave-server' as const) : ('zwave' as const);
  const ctx = store.ctx;
  return change(ctx, async (trx, audit) => {
    const site = await trx
      .selectFrom('sites')
      .select(['id', 'rotation'])
      .where('id', '=', siteId)
      .executeTakeFirst();
    if (!site) throw new KeywardError('NOT_FOUND', `no site ${siteId}`);
    const radioLocks = await trx
      .selectFrom('locks')
      .select(['id', 'driver_config'])
      .where('driver', '=', driver)
      .execute();
    const out: AdoptedLock[] = [];
    for (const p of plan) {
      const existing = radioLocks.find((l) =>
        sameNode(JSON.parse(l.driver_config) as Record<string, unknown>, request.target, p.found.nodeId),
      );
      if (existing) {
        throw new KeywardError(
          'CONFLICT',
          `node ${p.found.nodeId} on ${describeTarget(request.target)} is already in the register as ${existing.id}`,
        );
      }
      const lock = await insertLock(ctx, trx, audit, {
        siteId: site.id,
        name: p.name,
        model: p.model,
        driver,
        driverConfig: { ...request.target, nodeId: p.found.nodeId },
      });
      const adopted: AdoptedLock['adopted'] = [];
      const now = ctx.now();
      for (const [slot, code] of p.codes) {
        const person = await insertPerson(ctx, trx, audit, {
          name: `Adopted slot ${slot} (${p.name})`,
          siteId: site.id,
        });
        const credentialId = await adoptSlot(ctx, trx, lock.id, slot, code, `Adopted slot ${slot}`);
        // The code's age is unknown, so its rotation is counted from today.
        await trx
          .updateTable('credentials')
          .set({ person_id: person.id, rotate_due_at: rotationDueAt(now, site.rotation as RotationPolicy) })
          .where('id', '=', credentialId)
          .execute();
        await audit({
          action: 'credential.adopt',
          subjectType: 'credential',
          subjectId: credentialId,
          detail: { lockId: lock.id, slot, personId: person.id, from: 'zwave' },
        });
        adopted.push({ slot, credentialId, personId: person.id });
      }
      await audit({
        action: 'zwave.adopt',
        subjectType: 'lock',
        subjectId: lock.id,
        detail: {
          nodeId: p.found.nodeId,
          network: describeTarget(request.target),
          model: p.model,
          slots: adopted.map((a) => a.slot),
          masked: p.masked,
        },
      });
      out.push({
        lockId: lock.id,
        nodeId: p.found.nodeId,
        name: lock.name,
        model: p.model,
        driver,
        adopted,
        masked: p.masked,
      });
    }
    return out;
  });
}
