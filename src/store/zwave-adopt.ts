import { type RotationPolicy, rotationDueAt } from '../core/access/policies.js';
import { KeywardError } from '../core/errors.js';
import { networkKey } from '../core/radio/address.js';
import { change, type StoreContext } from './context.js';
import { adoptSlot } from './credential-adopt.js';
import { shownDriverConfig } from './lock-config.js';
import { insertLock, insertPerson } from './register.js';

/** Where the locks are reached, as each lock's configuration stores it. */
export type ZWaveNetworkConfig = { serialPort: string } | { url: string };

/** Z-Wave locks to take into the register with the codes they hold, already checked. */
export interface ZWaveAdoption {
  siteId: string;
  driver: 'zwave' | 'zwave-server';
  network: ZWaveNetworkConfig;
  /** The network as people read it (its port, or its address without credentials), for messages and the audit log. */
  networkName: string;
  locks: Array<{
    nodeId: number;
    name: string;
    model: string;
    /** The codes the lock showed, by slot. */
    codes: Array<[number, string]>;
    /** Slots whose code the lock would not show. */
    masked: number[];
  }>;
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

function sameNode(config: Record<string, unknown>, network: ZWaveNetworkConfig, nodeId: number): boolean {
  if (config.nodeId !== nodeId) return false;
  // The same server however its address is written, with or without credentials.
  if ('url' in network)
    return typeof config.url === 'string' && networkKey({ url: config.url }) === networkKey(network);
  return config.serialPort === network.serialPort;
}

/**
 * Adds the locks with the codes they hold taken into the register: per code a person and a
 * permanent credential named after its slot, sealed like any other code and marked set in that
 * slot (the lock already holds it). One transaction with its audit rows: all of it or none.
 * Codes never enter the audit log; slots do.
 */
export async function adoptZWaveLocks(ctx: StoreContext, adoption: ZWaveAdoption): Promise<AdoptedLock[]> {
  const { siteId, driver, network, networkName } = adoption;
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
    for (const p of adoption.locks) {
      const existing = radioLocks.find((l) =>
        sameNode(shownDriverConfig(l.driver_config), network, p.nodeId),
      );
      if (existing) {
        throw new KeywardError(
          'CONFLICT',
          `node ${p.nodeId} on ${networkName} is already in the register as ${existing.id}`,
        );
      }
      const lock = await insertLock(ctx, trx, audit, {
        siteId: site.id,
        name: p.name,
        model: p.model,
        driver,
        driverConfig: { ...network, nodeId: p.nodeId },
      });
      const adopted: AdoptedLock['adopted'] = [];
      const now = ctx.now();
      for (const [slot, code] of p.codes) {
        const person = await insertPerson(ctx, trx, audit, {
          name: `Adopted slot ${slot} (${p.name})`,
          siteId: site.id,
        });
        const credentialId = await adoptSlot(ctx, trx, lock.id, slot, code, `Adopted slot ${slot}`, {
          personId: person.id,
          // The code's age is unknown, so its rotation is counted from today.
          rotateDueAt: rotationDueAt(now, site.rotation as RotationPolicy),
        });
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
          nodeId: p.nodeId,
          network: networkName,
          model: p.model,
          slots: adopted.map((a) => a.slot),
          masked: p.masked,
        },
      });
      out.push({
        lockId: lock.id,
        nodeId: p.nodeId,
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
