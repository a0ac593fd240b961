/** Randomness enters the core only through this port, so tests can replay any draw. */
export interface Random {
  /** A uniformly distributed integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

/** Time enters the core only as values; adapters read the wall clock. */
export interface Clock {
  now(): number;
}

/** A deterministic Random for tests and simulations (mulberry32). Not for codes people use. */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  return {
    int(maxExclusive: number): number {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return Math.floor(r * maxExclusive);
    },
  };
}
