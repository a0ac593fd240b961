import type { Opener } from '../store/sync-state.js';

/**
 * An opener that remembers what it opened, keyed by the sealed text and what it was sealed for.
 * Every pass reads a lock's whole picture, and opening (AES-GCM) every code of it again was most
 * of the cost of a wake that finds a thousand locks due at once. A sealed value never changes
 * (a new code is a new ciphertext), so a remembered one is never stale. The codes stay in this
 * process's memory only, as they already do while a pass runs.
 */
export function openedCodes(open: Opener, capacity = 100_000): Opener {
  // Keyed by the sealed text alone (a string read from the database hashes fast; a key built
  // from it and the AAD had to be hashed anew on every lookup), the AAD checked beside it.
  const known = new Map<string, { aad: string; plain: string }>();
  return (sealed, aad) => {
    const hit = known.get(sealed);
    if (hit !== undefined && hit.aad === aad) return hit.plain;
    const plain = open(sealed, aad);
    // Oldest first out: a code in use is opened again at its next pass anyway.
    if (known.size >= capacity) known.delete(known.keys().next().value!);
    known.set(sealed, { aad, plain });
    return plain;
  };
}
