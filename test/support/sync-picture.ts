import type { Schedule } from '../../src/core/access/schedule.js';
import type { AssignmentRow, LockSyncPicture } from '../../src/store/sync-state.js';

/**
 * One lock's picture as the pure sync modules take it, for their table tests: a 914 read an hour
 * before NOW, nothing assigned, nothing reported, unless the test says otherwise.
 */
export const NOW = Date.UTC(2026, 10, 27, 11);

export const ALWAYS: Schedule = {
  startsAt: null,
  endsAt: null,
  windows: [],
  useLimit: null,
  uses: 0,
  revokedAt: null,
};

/** A credential the register wants on the lock: not yet set, always active, unless told. */
export function assignmentRow(
  id: string,
  slot: number,
  code: string,
  over: Partial<AssignmentRow> = {},
): AssignmentRow {
  return {
    credentialId: id,
    name: id,
    personId: null,
    slot,
    status: 'unset',
    error: null,
    code,
    schedule: ALWAYS,
    ...over,
  };
}

export function picture(over: Partial<LockSyncPicture> = {}): LockSyncPicture {
  return {
    lockId: 'lock_1',
    siteId: 'site_1',
    name: 'Door',
    model: '914',
    driver: 'sim',
    tzOffsetMinutes: 0,
    programmingCode: null,
    assignments: [],
    reported: new Map(),
    deleted: [],
    intents: [],
    health: new Map(),
    lastUsed: new Map(),
    readAt: NOW - 3_600_000,
    reread: false,
    checksum: null,
    verifiedAt: null,
    ...over,
  };
}
