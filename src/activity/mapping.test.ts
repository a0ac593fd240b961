import { describe, expect, it } from 'vitest';
import type { SyncEvent } from '../sync/events.js';
import { activityOf } from './mapping.js';

const NOW = 1_000;

describe('sync events as activity', () => {
  it('records a code used with who used it', () => {
    const e: SyncEvent = {
      type: 'lock-event',
      lockId: 'L',
      event: { type: 'code-used', slot: 4, at: 900 },
      credentialId: 'C',
      personId: 'P',
    };
    expect(activityOf(e, NOW)).toEqual([
      { at: 900, type: 'code.used', lockId: 'L', credentialId: 'C', personId: 'P', slot: 4, detail: {} },
    ]);
  });

  it('tells an unreachable lock once, not at every retry', () => {
    const e = (failures: number): SyncEvent => ({
      type: 'unreachable',
      lockId: 'L',
      during: 'read',
      message: 'no answer',
      failures,
      retryAt: null,
    });
    expect(activityOf(e(1), NOW).map((a) => a.type)).toEqual(['lock.unreachable']);
    expect(activityOf(e(2), NOW)).toEqual([]);
  });

  it('records confirmed and failed writes, and leaves bookkeeping out', () => {
    const op = { lockId: 'L', slot: 2, opId: 'o', credentialId: 'C', personId: null };
    expect(
      activityOf({ type: 'op-confirmed', op: 'add', confirmedBy: 'read-back', ...op }, NOW)[0]!.type,
    ).toBe('code.set');
    expect(
      activityOf({ type: 'op-confirmed', op: 'delete', confirmedBy: 'read-back', ...op }, NOW)[0]!.type,
    ).toBe('code.removed');
    const failed = activityOf(
      { type: 'op-failed', op: 'add', error: 'unconfirmed', message: 'no answer', retryable: true, ...op },
      NOW,
    );
    expect(failed[0]).toMatchObject({
      type: 'code.failed',
      detail: { op: 'set', error: 'unconfirmed', retrying: true },
    });
    expect(activityOf({ type: 'op-sent', op: 'add', replaces: null, ...op }, NOW)).toEqual([]);
    expect(activityOf({ type: 'slots-read', lockId: 'L', occupied: 1, unmanaged: 0 }, NOW)).toEqual([]);
  });

  it('records only low batteries', () => {
    const b = (level: 'ok' | 'low' | 'critical'): SyncEvent => ({
      type: 'lock-event',
      lockId: 'L',
      event: { type: 'battery', voltsPerCell: 1.1, level, at: 5 },
    });
    expect(activityOf(b('ok'), NOW)).toEqual([]);
    expect(activityOf(b('low'), NOW)[0]).toMatchObject({ type: 'battery.low', detail: { level: 'low' } });
  });
});
