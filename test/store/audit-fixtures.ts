import type { Store } from '../../src/store/index.js';

/** Six audit rows: a site, a lock, four people. Answers the site's id. */
export async function logged(store: Store): Promise<string> {
  const site = await store.addSite({ name: 'Cabins' });
  await store.addLock({ siteId: site.id, name: 'Front', model: '916' });
  for (const name of ['Ann', 'Bob', 'Cy', 'Di']) await store.addPerson({ name, siteId: site.id });
  return site.id;
}
