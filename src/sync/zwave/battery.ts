/**
 * Volts per AA cell from what a Kwikset reports. Alarm 167 is sent at or below 4.8 V (1.2 V per
 * cell) and 168 at or below 4.5 V (1.125 V); zwave-js's device config for manufacturer 0x0090
 * maps both. A Battery CC percentage is placed on the same line, fresh cells (1.5 V) at
 * 100 % and the 4.5 V cut-off at 0 %: an estimate, as the firmware does not publish its curve.
 */
export const LOW_VOLTS_PER_CELL = 1.2;
export const CRITICAL_VOLTS_PER_CELL = 1.125;
const FRESH_VOLTS_PER_CELL = 1.5;

export function voltsFromPercent(percent: number): number {
  const p = Math.max(0, Math.min(100, percent));
  const volts = CRITICAL_VOLTS_PER_CELL + ((FRESH_VOLTS_PER_CELL - CRITICAL_VOLTS_PER_CELL) * p) / 100;
  return Math.round(volts * 1000) / 1000;
}

/** An alarm's threshold is a ceiling: the cells are at most that, and lower if the percentage says so. */
export function batteryVolts(level: 'ok' | 'low' | 'critical', percent: number | undefined): number {
  const estimate = percent === undefined ? undefined : voltsFromPercent(percent);
  if (level === 'critical') return Math.min(CRITICAL_VOLTS_PER_CELL, estimate ?? CRITICAL_VOLTS_PER_CELL);
  if (level === 'low') return Math.min(LOW_VOLTS_PER_CELL, estimate ?? LOW_VOLTS_PER_CELL);
  return estimate ?? FRESH_VOLTS_PER_CELL;
}
