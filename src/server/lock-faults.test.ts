import { describe, expect, it } from 'vitest';
import { LockFaults } from './lock-faults.js';

describe('the faults the server heard from sync, per lock', () => {
  it('keeps an unreachable lock until it answers again, whatever the time', () => {
    let now = 1_000;
    const f = new LockFaults(() => now);
    f.listener({
      type: 'unreachable',
      lockId: 'l1',
      during: 'read',
      message: 'ECONNREFUSED',
      failures: 1,
      retryAt: null,
    });
    now += 3_600_000;
    expect(f.get('l1')).toEqual({ kind: 'unreachable', message: 'ECONNREFUSED', at: 1_000 });
    f.listener({ type: 'reachable', lockId: 'l1' });
    expect(f.get('l1')).toBeNull();
  });

  it('shows a failed pass until the lock confirms something, or for ten minutes if it is not repeated', () => {
    let now = 0;
    const f = new LockFaults(() => now);
    f.listener({ type: 'error', lockId: 'l1', during: 'pass', message: 'database is locked' });
    expect(f.get('l1')?.kind).toBe('error');
    f.listener({ type: 'slots-read', lockId: 'l1', occupied: 2, unmanaged: 0 });
    expect(f.get('l1')).toBeNull();
    f.listener({ type: 'error', lockId: 'l1', during: 'pass', message: 'database is locked' });
    now = LockFaults.ERROR_SHOWN_MS + 1;
    expect(f.get('l1')).toBeNull();
  });

  it('ignores faults a driver handled itself, errors of no lock, and listener failures', () => {
    const f = new LockFaults(() => 0);
    f.listener({ type: 'error', lockId: null, during: 'sweep', message: 'x' });
    f.listener({ type: 'error', lockId: 'l1', during: 'listener', message: 'x' });
    f.listener({
      type: 'error',
      lockId: 'l2',
      during: 'event',
      message: 'x',
      reported: { type: 'fault', at: 0, message: 'x' } as never,
    });
    expect([f.get('l1'), f.get('l2')]).toEqual([null, null]);
  });
});
