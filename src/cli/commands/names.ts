import type { Store } from '../../store/index.js';
import { UsageError } from '../exit.js';

/**
 * A record named the way a host knows it: its id, or its name (any case). A name two records
 * share is refused with the candidates, so a command never picks one of them by chance.
 */

interface Named {
  id: string;
  name: string;
}

function pick<T extends Named>(what: string, text: string, all: readonly T[], describe: (r: T) => string): T {
  const wanted = text.trim();
  const byId = all.find((r) => r.id === wanted);
  if (byId) return byId;
  const lower = wanted.toLowerCase();
  const matches = all.filter((r) => r.name.toLowerCase() === lower);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UsageError(
      `${matches.length} ${what}s are called "${wanted}": give the id of one of them: ${matches.map(describe).join('; ')}`,
    );
  }
  if (/^[a-z]+_[A-Za-z0-9_-]{3,}$/.test(wanted)) throw new UsageError(`no ${what} with id ${wanted}`);
  throw new UsageError(`no ${what} called "${wanted}"`);
}

export async function lockNamed(store: Store, text: string) {
  const locks = await store.listLocks();
  return pick('lock', text, locks, (l) => `${l.id} (${l.name}, model ${l.model})`);
}

export async function lockIdsNamed(store: Store, texts: readonly string[]): Promise<string[]> {
  if (texts.length === 0) return [];
  const locks = await store.listLocks();
  return texts.map((t) => pick('lock', t, locks, (l) => `${l.id} (${l.name}, model ${l.model})`).id);
}

export async function personNamed(store: Store, text: string) {
  return pick('person', text, await store.listPeople(), (p) => `${p.id} (${p.name})`);
}

export async function siteNamed(store: Store, text: string) {
  return pick('site', text, await store.listSites(), (s) => `${s.id} (${s.name})`);
}

/** A code by id, or by name among codes still in use (a removed code is reached by its id). */
export async function credentialNamed(store: Store, text: string) {
  const wanted = text.trim();
  if (/^cred_/.test(wanted)) return store.getCredential(wanted);
  const all = await store.listCredentials();
  return pick(
    'code',
    wanted,
    all,
    (c) => `${c.id} (${c.name}, on ${c.locks.map((l) => l.lockName).join(', ') || 'no lock'})`,
  );
}
