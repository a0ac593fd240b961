/** The known word nearest a typo (edit distance), when it is near enough to be the one meant. */
export function nearest(typed: string, known: readonly string[]): string | null {
  const t = typed.toLowerCase();
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(t, k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  // A third of the word may be wrong, or it may be a prefix of the right one ("add" for add-user).
  if (
    best !== null &&
    (bestD <= Math.max(2, Math.floor(best.length / 3)) || (t.length >= 3 && best.startsWith(t)))
  )
    return best;
  const prefixed = known.find((k) => t.length >= 3 && k.startsWith(t));
  return prefixed ?? null;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}
