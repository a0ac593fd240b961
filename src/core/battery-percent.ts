/**
 * How full four AA alkaline cells are, from the volts per cell the lock reports, in whole percent.
 * A host knows "20%", not "1.28 V". The points follow the alkaline discharge curve under a lock's
 * light load: flat near 1.5 V, then falling fast; the catalog's thresholds land where a host
 * expects them (replace below 1.3 V is about 28%, programming fails at 1.2 V, about 12%, and the
 * lock goes silent below 1.0 V, 0%).
 */
const CURVE: readonly (readonly [volts: number, percent: number])[] = [
  [1.0, 0],
  [1.1, 5],
  [1.2, 12],
  [1.25, 18],
  [1.3, 28],
  [1.35, 42],
  [1.4, 58],
  [1.45, 74],
  [1.5, 88],
  [1.55, 96],
  [1.6, 100],
];

export function batteryPercent(voltsPerCell: number): number {
  if (!Number.isFinite(voltsPerCell)) return 0;
  const first = CURVE[0]!;
  const last = CURVE[CURVE.length - 1]!;
  if (voltsPerCell <= first[0]) return first[1];
  if (voltsPerCell >= last[0]) return last[1];
  for (let i = 1; i < CURVE.length; i++) {
    const [v1, p1] = CURVE[i]!;
    if (voltsPerCell > v1) continue;
    const [v0, p0] = CURVE[i - 1]!;
    return Math.round(p0 + ((voltsPerCell - v0) / (v1 - v0)) * (p1 - p0));
  }
  return last[1];
}

/** "72% (1.44 V per cell)": the percentage a host reads first, the volts for whoever checks. */
export function batteryWords(voltsPerCell: number): string {
  return `${batteryPercent(voltsPerCell)}% (${voltsPerCell.toFixed(2)} V per cell)`;
}
