import { getModel } from '../core/catalog/index.js';
import { generateCodes } from '../core/codes/generator.js';
import { factoryState } from '../core/codes/lock-state.js';
import type { Random } from '../core/ports.js';
import type { Store } from '../store/index.js';

/** The four models the guide describes, one simulated lock each. */
export const DEMO_LOCKS = [
  { name: 'Front door', model: '264', volts: 1.5 },
  { name: 'Back door', model: '275', volts: 1.45 },
  { name: 'Garage', model: '913', volts: 1.48 },
  { name: 'Side gate', model: '955', volts: 1.27 },
] as const;

const DAY = 86_400_000;

/**
 * A demo site so that a first `npm start` has something to look at: simulated locks, a family
 * code on every door and a guest who leaves tomorrow. Created only in an empty database.
 */
export async function createDemo(
  store: Store,
  random: Random,
  now: number,
): Promise<{ siteId: string } | null> {
  if ((await store.listSites()).length > 0) return null;
  const site = await store.addSite({ name: 'Demo home' });
  const locks = [];
  for (const l of DEMO_LOCKS) {
    const lock = await store.addLock({ siteId: site.id, name: l.name, model: l.model, driver: 'sim' });
    // The side gate's batteries are getting low, so the dashboard has a reminder to show.
    await store.recordBattery(lock.id, l.volts);
    locks.push(lock);
  }
  const states = locks.map((l) => factoryState(getModel(l.model)));
  const [family, guest] = generateCodes({ locks: states, count: 2 }, random).codes;
  const person = await store.addPerson({ name: 'Alex (demo)', siteId: site.id });
  await store.addCredential({
    name: 'Alex',
    code: family!,
    personId: person.id,
    kind: 'permanent',
    lockIds: locks.map((l) => l.id),
  });
  await store.addCredential({
    name: 'Guest: Robin',
    code: guest!,
    kind: 'guest',
    lockIds: [locks[0]!.id, locks[1]!.id],
    startsAt: now - DAY,
    endsAt: now + DAY,
  });
  return { siteId: site.id };
}
