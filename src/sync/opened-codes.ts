import type { Opener } from '../store/sync-state.js';

/**
 * An opener that remembers what it opened, keyed by the sealed text and what it was sealed for.
 * Every pass reads a lock's whole picture, and opening (AES-GCM) every code of it again was most
 * of the cost of a wake that finds a thousand locks due at once. A sealed value never changes
 * (a new code is a new ciphertext), so a remembered one is never stale. The codes stay in this
 * process's memory only, as they already do while a pass runs; least recently used go first.
 */
export function openedCodes(open: Opener, capacity = 100_000): Opener {
  const known = new Map<string, string>();
  return (sealed, aad) => {
    const key = `${aad}\u0000${sealed}`;
    const hit = known.get(key);
    if (hit !== undefined) {
      known.delete(key);
      known.set(key, hit);
      return hit;
    }
    const plain = open(sealed, aad);
    if (known.size >= capacity) known.delete(known.keys().next().value!);
    known.set(key, plain);
    return plain;
  };
}
