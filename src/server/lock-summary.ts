import { type LockFault, lockState, type SlotState, visitsOf } from '../core/access/lock-state.js';
import { getModel } from '../core/catalog/index.js';
import type { Lock } from '../store/index.js';
import { lockFacts, type RegisterFacts } from '../store/lock-facts.js';
import { type SyncCounts, syncCounts } from '../store/server-queries.js';
import type { Battery, LockSummary } from './api-types.js';
import type { ServerDeps } from './deps.js';

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

/** The lock's state for the API: the one pure decision (src/core/access/lock-state.ts) on the facts. */
export function stateOf(facts: RegisterFacts, fault: LockFault | null, now: number, upcomingLimit?: number) {
  const s = lockState({ ...facts, fault }, now);
  const upcoming = upcomingLimit === undefined ? s.upcoming : s.upcoming.slice(0, upcomingLimit);
  return {
    decided: s,
    fields: {
      state: s.state,
      ...(s.problem ? { problem: s.problem } : {}),
      upcoming,
      visits: visitsOf(facts.driver, { slots: s.slots, upcoming }),
    },
  };
}

/**
 * What comes up on each lock of the list: the dashboard shows the next on each card and the
 * earliest across the portfolio; the lock's own page lists more. Twenty on 200 locks made the
 * list half a megabyte.
 */
export const LIST_UPCOMING = 6;

/** Where each code stands on the lock, as the people page shows it beside the lock page. */
export function codePhases(slots: readonly SlotState[]) {
  return slots.map((s) => ({
    credentialId: s.credentialId,
    name: s.name,
    slot: s.slot,
    phase: s.phase,
    problem: s.problem,
    from: s.from,
  }));
}

/** Every lock of the list with its counts, battery and state, from one batch of reads. */
export async function lockSummaries(
  deps: Pick<ServerDeps, 'store' | 'faults' | 'now'>,
  siteId: string | undefined,
  withCodes: boolean,
) {
  const locks = await deps.store.listLocks(siteId);
  const [counts, facts] = await Promise.all([syncCounts(deps.store.ctx), lockFacts(deps.store.ctx, locks)]);
  const now = deps.now();
  return locks.map((l) => {
    const c = counts.get(l.id);
    const { decided, fields } = stateOf(facts.get(l.id)!, deps.faults.get(l.id), now, LIST_UPCOMING);
    return {
      ...publicLock(l),
      sync: { state: syncStateOf(c), ...(c ?? {}) },
      ...fields,
      ...(withCodes ? { codes: codePhases(decided.slots) } : {}),
    };
  });
}
