import type { ModelProfile } from '../catalog/types.js';
import type { Random } from '../ports.js';

/**
 * Locks with the same digit-to-button mapping block the same prefixes; one bitmap per mapping,
 * indexed by the prefix as the lock sees it (on 5-button pads, the folded presses).
 */
export interface PrefixGroup {
  model: ModelProfile;
  blocked: Uint8Array;
}

/** The first four digits (or presses) as the integer the prefix bitmaps are indexed by. */
export function prefixOf(code: string, fold: Uint8Array | null): number {
  const a = code.charCodeAt(0) - 48;
  const b = code.charCodeAt(1) - 48;
  const c = code.charCodeAt(2) - 48;
  const d = code.charCodeAt(3) - 48;
  if (!fold) return a * 1000 + b * 100 + c * 10 + d;
  return fold[a]! * 1000 + fold[b]! * 100 + fold[c]! * 10 + fold[d]!;
}

const FOLDS = new Map<ModelProfile, Uint16Array>();

/**
 * Raw four-digit prefix to the prefix the model's lock sees, digit by digit as prefixKey does
 * (the equality is tested), without building 10,000 strings.
 */
export function foldTable(model: ModelProfile): Uint16Array {
  let table = FOLDS.get(model);
  if (!table) {
    const digit = new Uint16Array(10);
    for (const button of model.buttons) for (const d of button) digit[Number(d)] = Number(button[0]);
    table = new Uint16Array(10_000);
    for (let p = 0; p < 10_000; p++) {
      table[p] =
        digit[Math.floor(p / 1000)]! * 1000 +
        digit[Math.floor(p / 100) % 10]! * 100 +
        digit[Math.floor(p / 10) % 10]! * 10 +
        digit[p % 10]!;
    }
    FOLDS.set(model, table);
  }
  return table;
}

/**
 * The typed four-digit prefixes (0..9999) free on every lock at once: one merged bitmap over the
 * prefix groups, with 5-button groups unfolded back to the digits a person types. Taking a code
 * blocks its prefix everywhere, and on 5-button pads every prefix with the same presses.
 */
export class PrefixSpace {
  readonly #blocked = new Uint8Array(10_000);
  readonly #free = new Uint16Array(10_000);
  readonly #foldOf: Uint16Array[];
  #count = 0;
  /** Whether some lock has a 5-button pad (its prefixes are presses, 625 of them). */
  readonly folded: boolean;

  constructor(groups: Iterable<PrefixGroup>) {
    const blocked = this.#blocked;
    const folds: PrefixGroup[] = [];
    for (const group of groups) {
      if (group.model.buttons.length === 10) {
        for (let p = 0; p < 10_000; p++) blocked[p]! |= group.blocked[p]!;
      } else folds.push(group);
    }
    this.#foldOf = folds.map(({ model }) => foldTable(model));
    for (let f = 0; f < folds.length; f++) {
      const table = this.#foldOf[f]!;
      const folded = folds[f]!.blocked;
      for (let p = 0; p < 10_000; p++) if (folded[table[p]!]) blocked[p] = 1;
    }
    this.folded = folds.length > 0;
    this.#recount();
  }

  /** How many typed prefixes are free on every lock. */
  get count(): number {
    return this.#count;
  }

  /** One free prefix, drawn uniformly. */
  pick(random: Random): number {
    return this.#free[random.int(this.#count)]!;
  }

  /** Blocks the prefix of a code just chosen. */
  take(code: string): void {
    const p = Number(code.slice(0, 4));
    const blocked = this.#blocked;
    blocked[p] = 1;
    for (const table of this.#foldOf) {
      const mine = table[p]!;
      for (let q = 0; q < 10_000; q++) if (table[q] === mine) blocked[q] = 1;
    }
    this.#recount();
  }

  #recount(): void {
    let n = 0;
    for (let q = 0; q < 10_000; q++) if (!this.#blocked[q]) this.#free[n++] = q;
    this.#count = n;
  }
}
