import type { SlotStatus } from '../core/access/lifecycle.js';
import type { CodeOnLock, LockFacts } from '../core/access/lock-state.js';
import type { StoreContext } from './context.js';
import { SCHEDULE_COLUMNS, scheduleOf } from './credential-view.js';
import type { Lock } from './locks.js';
import { siteZone } from './time-zone.js';

/** What the register knows of each lock's state; the lock's live faults are the server's to add. */
export type RegisterFacts = Omit<LockFacts, 'fault'>;

/** The address a lock's driver connects to, for the words of a problem. */
export function addressOf(lock: Pick<Lock, 'driverConfig'>): string | null {
  const c = lock.driverConfig;
  if (typeof c.url === 'string') return c.url;
  if (typeof c.serialPort === 'string') return c.serialPort;
  return null;
}

/**
 * The facts lockState (src/core/access/lock-state.ts) decides from, for the given locks: their
 * codes with schedules and statuses, the slots sync gave up on, and the writes in flight. Four
 * queries whatever the number of locks (ids in chunks), so the dashboard of a large portfolio
 * costs the same round trips as one lock.
 */
export async function lockFacts(
  ctx: StoreContext,
  locks: readonly Lock[],
): Promise<Map<string, RegisterFacts>> {
  const out = new Map<string, RegisterFacts>();
  if (locks.length === 0) return out;
  const sites = await ctx.db.selectFrom('sites').select(['id', 'tz_offset_minutes', 'time_zone']).execute();
  const zones = new Map(
    sites.map((s) => {
      const z = siteZone(s);
      return [s.id, z.zone ?? z.tzOffsetMinutes];
    }),
  );
  const codes = new Map<string, CodeOnLock[]>();
  const suspended = new Set<string>();
  const inFlight = new Map<string, number>();
  const all = locks.length > 400;
  const ids = locks.map((l) => l.id);
  for (let i = 0; i < (all ? 1 : ids.length); i += 400) {
    const chunk = ids.slice(i, i + 400);
    let rows = ctx.db
      .selectFrom('credential_locks as cl')
      .innerJoin('credentials as c', 'c.id', 'cl.credential_id')
      .select(['cl.lock_id', 'cl.slot', 'cl.status', 'cl.error', 'c.id', 'c.name', ...SCHEDULE_COLUMNS])
      .where('cl.status', '<>', 'removed');
    let stuck = ctx.db.selectFrom('sync_slots').select(['lock_id', 'slot']).where('suspended', '=', 1);
    let ops = ctx.db
      .selectFrom('sync_ops')
      .select(['lock_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('lock_id');
    // Many locks: one pass over the tables beats hundreds of ids in a list.
    if (!all) {
      rows = rows.where('cl.lock_id', 'in', chunk);
      stuck = stuck.where('lock_id', 'in', chunk);
      ops = ops.where('lock_id', 'in', chunk);
    }
    const [r, s, o] = await Promise.all([rows.execute(), stuck.execute(), ops.execute()]);
    for (const x of s) suspended.add(`${x.lock_id}:${x.slot}`);
    for (const x of o) inFlight.set(x.lock_id, Number(x.n));
    for (const x of r) {
      const list = codes.get(x.lock_id) ?? [];
      list.push({
        credentialId: x.id,
        name: x.name,
        slot: x.slot,
        status: x.status as SlotStatus,
        error: x.error,
        schedule: scheduleOf(x),
        suspended: suspended.has(`${x.lock_id}:${x.slot}`),
      });
      codes.set(x.lock_id, list);
    }
  }
  for (const l of locks) {
    out.set(l.id, {
      name: l.name,
      driver: l.driver,
      address: addressOf(l),
      zone: zones.get(l.siteId) ?? 0,
      codes: codes.get(l.id) ?? [],
      inFlight: inFlight.get(l.id) ?? 0,
    });
  }
  return out;
}
