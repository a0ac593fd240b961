import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLOT_STATUSES } from './lifecycle.js';
import {
  type CodeOnLock,
  type LockFacts,
  lockState,
  UPCOMING_HORIZON_MS,
  UPCOMING_LIMIT,
  unreachableMessage,
  visitSentence,
  visitsOf,
} from './lock-state.js';
import { HOUR_MS, isActive, type Schedule } from './schedule.js';

const NOW = Date.UTC(2026, 11, 4, 12); // a Friday, noon UTC
const DAY = 24 * HOUR_MS;

const always: Schedule = {
  startsAt: null,
  endsAt: null,
  windows: [],
  useLimit: null,
  uses: 0,
  revokedAt: null,
};

function facts(codes: CodeOnLock[], over: Partial<LockFacts> = {}): LockFacts {
  return { name: 'Cabin 2', driver: 'sim', address: null, zone: 0, codes, inFlight: 0, fault: null, ...over };
}

const code = (over: Partial<CodeOnLock>): CodeOnLock => ({
  credentialId: 'cred_1',
  name: 'Smith family',
  slot: 1,
  status: 'set',
  error: null,
  schedule: always,
  ...over,
});

const arbSchedule: fc.Arbitrary<Schedule> = fc
  .record({
    start: fc.option(fc.integer({ min: -10 * DAY, max: 10 * DAY }), { nil: null }),
    length: fc.integer({ min: HOUR_MS, max: 10 * DAY }),
    open: fc.boolean(),
    windows: fc.array(
      fc
        .record({
          days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
          a: fc.integer({ min: 0, max: 1439 }),
          b: fc.integer({ min: 1, max: 1440 }),
        })
        .filter((w) => w.a < w.b)
        .map((w) => ({ days: w.days, startMinute: w.a, endMinute: w.b })),
      { maxLength: 2 },
    ),
    useLimit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    uses: fc.integer({ min: 0, max: 3 }),
    revoked: fc.option(fc.integer({ min: -5 * DAY, max: 5 * DAY }), { nil: null }),
  })
  .map((r) => ({
    startsAt: r.start === null ? null : NOW + r.start,
    endsAt: r.start === null || r.open ? null : NOW + r.start + r.length,
    windows: r.windows,
    useLimit: r.useLimit,
    uses: r.uses,
    revokedAt: r.revoked === null ? null : NOW + r.revoked,
  }));

const arbCode: fc.Arbitrary<CodeOnLock> = fc.record({
  credentialId: fc.stringMatching(/^cred_[a-z0-9]{1,6}$/),
  name: fc.constantFrom('Smith family', 'Ana', 'Cleaner', 'Bo'),
  slot: fc.integer({ min: 1, max: 30 }),
  status: fc.constantFrom(...SLOT_STATUSES.filter((s) => s !== 'removed')),
  error: fc.constantFrom(null, null, null, 'failed_to_set', 'duplicate_on_device', 'unconfirmed'),
  schedule: arbSchedule,
  suspended: fc.constantFrom(false, false, false, true),
});

const arbFacts: fc.Arbitrary<LockFacts> = fc.record({
  name: fc.constant('Cabin 2'),
  driver: fc.constantFrom('sim', 'manual', 'zwave-server'),
  address: fc.constant('ws://10.0.0.5:3000'),
  zone: fc.constantFrom(0, 60, -300),
  // A credential is on a lock once (credential_locks is keyed by credential and lock).
  codes: fc.uniqueArray(arbCode, { maxLength: 8, selector: (c) => c.credentialId }),
  inFlight: fc.constantFrom(0, 0, 1),
  fault: fc.constantFrom(
    null,
    null,
    { kind: 'unreachable' as const, message: 'connect ECONNREFUSED 10.0.0.5:3000', at: NOW },
    { kind: 'error' as const, message: 'the pass failed', at: NOW },
  ),
});

describe('the state of a lock', () => {
  it('is in step when every code wanted now is confirmed on the lock', () => {
    expect(lockState(facts([code({})]), NOW).state).toBe('in-step');
  });

  it('is syncing while a code wanted now is on its way', () => {
    expect(lockState(facts([code({ status: 'unset' })]), NOW).state).toBe('syncing');
  });

  it('does not call a lock syncing for a guest whose stay starts next week', () => {
    const later = { ...always, startsAt: NOW + 7 * DAY, endsAt: NOW + 10 * DAY };
    const s = lockState(facts([code({ status: 'unset', schedule: later })]), NOW);
    expect(s.state).toBe('in-step');
    expect(s.slots[0]).toMatchObject({ phase: 'scheduled', from: NOW + 7 * DAY });
  });

  it('sends someone to the door of a keypad-only lock and names the visit', () => {
    const soon = { ...always, startsAt: NOW + 4 * HOUR_MS, endsAt: NOW + 3 * DAY };
    const s = lockState(facts([code({ status: 'unset', schedule: soon })], { driver: 'manual' }), NOW);
    expect(s.state).toBe('in-step');
    const [v] = visitsOf('manual', s);
    expect(v).toMatchObject({ action: 'add', when: 'before', at: NOW + 4 * HOUR_MS });
    expect(visitSentence('Cabin 2', v!, 'Fri 16:00')).toBe(
      "Cabin 2: go to the door before Fri 16:00 to add Smith family's code",
    );
    const now = lockState(facts([code({ status: 'unset' })], { driver: 'manual' }), NOW);
    expect(now.state).toBe('needs-visit');
  });

  it('says in plain words, with the address, that the Z-Wave server cannot be reached', () => {
    const s = lockState(
      facts([code({})], {
        driver: 'zwave-server',
        address: 'ws://10.0.0.5:3000',
        fault: { kind: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.5:3000', at: NOW },
      }),
      NOW,
    );
    expect(s.problem).toEqual({
      code: 'unreachable',
      message: 'The Z-Wave server at ws://10.0.0.5:3000 cannot be reached',
    });
    expect(unreachableMessage({ name: 'Front door', driver: 'zwave', address: '/dev/x' }, 'no ack')).toBe(
      'Front door does not answer (no ack)',
    );
  });

  it('names the slot and the person when the lock refuses a code', () => {
    const s = lockState(facts([code({ status: 'unset', error: 'duplicate_on_device', slot: 4 })]), NOW);
    expect(s.state).toBe('problem');
    expect(s.problem?.message).toBe(
      "Slot 4 cannot set Smith family's code: the lock already holds this code, or one starting with the same digits",
    );
  });

  it('lists arrivals, departures and window edges within the week, in time order', () => {
    const guest = { ...always, startsAt: NOW + DAY, endsAt: NOW + 3 * DAY };
    const cleaner = {
      ...always,
      windows: [{ days: [1], startMinute: 9 * 60, endMinute: 12 * 60 }],
    };
    const s = lockState(
      facts([
        code({ status: 'unset', schedule: guest }),
        code({ credentialId: 'c2', name: 'Cleaner', slot: 2, status: 'unset', schedule: cleaner }),
      ]),
      NOW,
    );
    // Saturday noon the guest arrives; Monday 09:00 the cleaner's window opens; at Monday noon the
    // guest leaves as the window closes.
    expect(s.upcoming.map((u) => u.kind)).toEqual(['arrival', 'window-opens', 'departure', 'window-closes']);
    expect(s.upcoming[1]!.at).toBe(Date.UTC(2026, 11, 7, 9));
  });

  it('never calls a lock syncing because of a code wanted only later (property)', () => {
    fc.assert(
      fc.property(arbFacts, arbSchedule, (f, s) => {
        fc.pre(!isActive(s, NOW, f.zone));
        const later = code({ credentialId: 'cred_later', slot: 31, status: 'unset', schedule: s });
        const before = lockState(f, NOW);
        const after = lockState({ ...f, codes: [...f.codes, later] }, NOW);
        expect(after.state).toBe(before.state);
        expect(after.problem).toEqual(before.problem);
      }),
    );
  });

  it('is in step exactly when nothing is wanted that the lock lacks, nothing left that should go, and all is well (property)', () => {
    fc.assert(
      fc.property(arbFacts, (f) => {
        const s = lockState(f, NOW);
        const settled = f.codes.every((c) =>
          isActive(c.schedule, NOW, f.zone) ? c.status === 'set' : c.status === 'unset',
        );
        const quiet = f.fault === null && (f.driver === 'manual' || f.inFlight === 0);
        expect(s.state === 'in-step').toBe(settled && quiet);
      }),
    );
  });

  it('never sends a radio lock to the door, and never calls a keypad-only lock syncing (property)', () => {
    fc.assert(
      fc.property(arbFacts, (f) => {
        const s = lockState(f, NOW);
        if (f.driver === 'manual') expect(s.state).not.toBe('syncing');
        else expect(s.state).not.toBe('needs-visit');
        expect(s.state === 'problem').toBe(s.problem !== null);
        if (f.fault?.kind === 'unreachable') expect(s.problem?.code).toBe('unreachable');
        expect(s.slots).toHaveLength(f.codes.length);
        if (f.driver !== 'manual') expect(visitsOf(f.driver, s)).toEqual([]);
      }),
    );
  });

  it('lists only what comes within the week, in time order, at most the limit (property)', () => {
    fc.assert(
      fc.property(arbFacts, (f) => {
        const { upcoming } = lockState(f, NOW);
        expect(upcoming.length).toBeLessThanOrEqual(UPCOMING_LIMIT);
        for (const [i, u] of upcoming.entries()) {
          expect(u.at).toBeGreaterThan(NOW);
          expect(u.at).toBeLessThanOrEqual(NOW + UPCOMING_HORIZON_MS);
          if (i > 0) expect(u.at).toBeGreaterThanOrEqual(upcoming[i - 1]!.at);
          const c = f.codes.find((x) => x.credentialId === u.credentialId)!;
          if (u.kind === 'arrival') expect(u.at).toBe(c.schedule.startsAt);
          if (u.kind === 'departure') expect(u.at).toBe(c.schedule.endsAt);
          if (u.kind === 'window-opens') expect(isActive(c.schedule, u.at, f.zone)).toBe(true);
          if (u.kind === 'window-closes') expect(isActive(c.schedule, u.at, f.zone)).toBe(false);
        }
      }),
    );
  });
});
