import { getModel } from '../core/catalog/index.js';
import type { Lock } from '../store/index.js';
import type { SyncCounts } from '../store/server-queries.js';
import type { Battery, LockSummary } from './api-types.js';

type BatteryLevel = Battery['level'];
type SyncState = LockSummary['sync']['state'];

/** The guide's thresholds: replace below 1.3 V a cell, programming fails when weak, silence when dead. */
export function batteryOf(lock: Lock): Battery | null {
  if (lock.voltsPerCell === null) return null;
  const b = getModel(lock.model).battery;
  const v = lock.voltsPerCell;
  const level: BatteryLevel =
    v < b.deadBelow
      ? 'dead'
      : v <= b.programmingFailsAtOrBelow
        ? 'weak'
        : v < b.replaceBelow
          ? 'replace'
          : 'ok';
  return { voltsPerCell: v, at: lock.batteryAt, level };
}

/** One word for the dashboard: errors first, then work in flight, then all confirmed. */
export function syncStateOf(c: SyncCounts | undefined): SyncState {
  if (!c) return 'empty';
  if (c.error > 0) return 'attention';
  if (c.unset + c.setting + c.removing > 0) return 'syncing';
  return c.set > 0 ? 'in-sync' : 'empty';
}

/** The public shape of a lock: driver settings are the register's business, not every viewer's. */
export function publicLock(lock: Lock) {
  const { driverConfig: _config, ...rest } = lock;
  return { ...rest, battery: batteryOf(lock) };
}
