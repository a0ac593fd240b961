import type { SlotStatus } from '../core/access/lifecycle.js';
import {
  type CodeOnLock,
  type LockState,
  lockState,
  siteTime,
  upcomingOf,
  type Visit,
  visitsOf,
} from '../core/access/lock-state.js';
import type { WeeklyWindow } from '../core/access/schedule.js';
import type { Zone } from '../core/access/zone.js';
import { type Dialect, placeholder } from './driver.js';
import type { RunQuery } from './status.js';
import { siteZone } from './time-zone.js';

/** One lock's line in `keyward status`: its state, what is coming, and the visits it needs. */
export interface LockStatusLine {
  id: string;
  name: string;
  driver: string;
  state: LockState['state'];
  problem: LockState['problem'];
  upcoming: (LockState['upcoming'][number] & { local: string })[];
  visits: (Visit & { local: string | null })[];
}

const ASSIGNMENT_COLUMNS = [
  'lock_id',
  'slot',
  'status',
  'error',
  'id',
  'name',
  'starts_at',
  'ends_at',
  'windows',
  'use_limit',
  'uses',
  'revoked_at',
] as const;
type AssignmentRow = [
  string,
  number,
  string,
  string | null,
  string,
  string,
  number | null,
  number | null,
  string,
  number | null,
  number,
  number | null,
];
type LockRow = [string, string, string, string, number, string | null];

/**
 * Every lock's state for `keyward status`, in one plain statement (as status.ts, for a fresh
 * process). Only the assignments that can matter are read: a code confirmed on its lock, wanted
 * at all hours, with no end inside the horizon, neither changes the state nor comes up, and such
 * codes are nearly all of a large register. The rest go through the same pure decision as the
 * API's (src/core/access/lock-state.ts). Faults the running server heard are not in the database,
 * so a lock here is a problem only for what the register shows (a code refused, a slot stuck).
 */
export async function lockStatus(
  run: RunQuery,
  dialect: Dialect,
  at: number,
  horizonMs: number,
): Promise<LockStatusLine[]> {
  const p = (n: number) => placeholder(dialect, n);
  const jsonArray = (columns: readonly string[], from: string) => {
    const row = columns.map((c) => `x.${c}`).join(', ');
    return dialect === 'postgres'
      ? `(select coalesce(json_agg(json_build_array(${row})), '[]') from (${from}) x)`
      : `(select coalesce(json_group_array(json_array(${row})), '[]') from (${from}) x)`;
  };
  // No correlated subqueries: PostgreSQL ran one per row and took twice as long.
  const text = `select
    ${jsonArray(
      ['id', 'name', 'driver', 'driver_config', 'tz_offset_minutes', 'time_zone'],
      `select l.id, l.name, l.driver, l.driver_config, s.tz_offset_minutes, s.time_zone
        from locks l join sites s on s.id = l.site_id`,
    )} as locks,
    ${jsonArray(['lock_id', 'n'], 'select lock_id, count(*) as n from sync_ops group by lock_id')} as ops,
    ${jsonArray(['lock_id', 'slot'], 'select lock_id, slot from sync_slots where suspended = 1')} as stuck,
    ${jsonArray(
      ASSIGNMENT_COLUMNS,
      `select cl.lock_id, cl.slot, cl.status, cl.error, c.id, c.name, c.starts_at, c.ends_at, c.windows,
          c.use_limit, c.uses, c.revoked_at
        from credential_locks cl join credentials c on c.id = cl.credential_id
        where cl.status <> 'removed' and (cl.status <> 'set' or cl.error is not null
          or c.revoked_at is not null or c.starts_at > ${p(1)} or c.ends_at <= ${p(2)}
          or c.windows <> '[]' or c.use_limit is not null)`,
    )} as assignments`;
  const [row] = await run(text, [at, at + horizonMs]);
  const codes = new Map<string, CodeOnLock[]>();
  const ops = new Map(fromJson<[string, number]>(row!.ops).map(([id, n]) => [id, Number(n)]));
  const stuck = new Set(fromJson<[string, number]>(row!.stuck).map(([id, slot]) => `${id}:${slot}`));
  for (const r of fromJson<AssignmentRow>(row!.assignments)) {
    const [lockId, slot, status, error, id, name, startsAt, endsAt, windows, useLimit, uses, revokedAt] = r;
    const list = codes.get(lockId) ?? [];
    list.push({
      credentialId: id,
      name,
      slot,
      status: status as SlotStatus,
      error,
      // Built here rather than with credential-view's scheduleOf: that module brings the query builder.
      schedule: {
        startsAt: startsAt === null ? null : Number(startsAt),
        endsAt: endsAt === null ? null : Number(endsAt),
        windows: JSON.parse(windows) as WeeklyWindow[],
        useLimit: useLimit === null ? null : Number(useLimit),
        uses: Number(uses),
        revokedAt: revokedAt === null ? null : Number(revokedAt),
      },
      suspended: stuck.has(`${lockId}:${slot}`),
    });
    codes.set(lockId, list);
  }
  // One zone rule per site zone: building one reads the system's time-zone database.
  const zones = new Map<string, Zone>();
  const zoneOf = (offset: number, timeZone: string | null): Zone => {
    const key = `${offset}/${timeZone}`;
    let zone = zones.get(key);
    if (zone === undefined) {
      const z = siteZone({ tz_offset_minutes: offset, time_zone: timeZone });
      zone = z.zone ?? z.tzOffsetMinutes;
      zones.set(key, zone);
    }
    return zone;
  };
  return fromJson<LockRow>(row!.locks)
    .map(([id, name, driver, config, offset, timeZone]) => {
      const c = JSON.parse(config) as Record<string, unknown>;
      const address =
        typeof c.url === 'string' ? c.url : typeof c.serialPort === 'string' ? c.serialPort : null;
      const mine = codes.get(id) ?? [];
      const zone = zoneOf(offset, timeZone);
      const s = lockState(
        { name, driver, address, zone, codes: mine, inFlight: ops.get(id) ?? 0, fault: null },
        at,
      );
      const upcoming = upcomingOf(mine, zone, at, horizonMs, 50);
      return {
        id,
        name,
        driver,
        state: s.state,
        problem: s.problem,
        upcoming: upcoming.map((u) => ({ ...u, local: siteTime(u.at, zone) })),
        visits: visitsOf(driver, { slots: s.slots, upcoming }).map((v) => ({
          ...v,
          local: v.at === null ? null : siteTime(v.at, zone),
        })),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** PostgreSQL's driver parses json columns itself; SQLite hands back the text. */
function fromJson<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
}
