import { batteryPercent } from '../../src/core/battery-percent.js';
import type { LockSummary } from './api.js';

const LEVEL_WORDS = {
  ok: '',
  replace: 'replace soon',
  weak: 'weak: adding codes fails',
  dead: 'flat',
} as const;

/** "Battery 72% (1.44 V per cell)": the percentage a host reads, the volts beside it. */
export function Battery({ battery }: { battery: LockSummary['battery'] }) {
  if (!battery) return <span className="muted">Battery not reported yet</span>;
  const words = LEVEL_WORDS[battery.level];
  return (
    <span className={`battery ${battery.level}`} data-percent={batteryPercent(battery.voltsPerCell)}>
      Battery {batteryPercent(battery.voltsPerCell)}%{' '}
      <span className="volts">({battery.voltsPerCell.toFixed(2)} V per cell)</span>
      {words && ` · ${words}`}
    </span>
  );
}

/** The name the lock and dashboard pages import. */
export { Battery as BatteryText };
