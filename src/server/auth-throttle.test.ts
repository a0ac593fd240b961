import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientKey, trustProxySetting } from './auth-address.js';
import { SignInThrottle, type ThrottleStore } from './auth-throttle.js';

/** One counter table shared by every throttle made on it, as instances share a database. */
function sharedTable(valid: string[] = []) {
  const rows = new Map<string, number>();
  let knownReads = 0;
  let counts = 0;
  const db: ThrottleStore = {
    count: async (a, w) => {
      counts++;
      await Promise.resolve();
      const k = `${a}@${w}`;
      const n = (rows.get(k) ?? 0) + 1;
      rows.set(k, n);
      return n;
    },
    refund: async (a, w) => {
      const k = `${a}@${w}`;
      rows.set(k, Math.max(0, (rows.get(k) ?? 0) - 1));
    },
    prune: async () => {},
    known: async () => {
      knownReads++;
      return new Set(valid);
    },
  };
  return { db, knownReads: () => knownReads, counts: () => counts, valid };
}

/** A lookup that counts how often it reached "the database", and answers after a turn. */
function lookups(valid: string[]) {
  let n = 0;
  return {
    for: (hash: string) => async () => {
      n++;
      await new Promise((r) => setTimeout(r, 1));
      return valid.includes(hash) ? hash : null;
    },
    count: () => n,
  };
}

describe('the sign-in throttle', () => {
  it('lets a burst of wrong secrets reach the lookup at most the allowed number of times', async () => {
    const table = sharedTable(['good']);
    const throttle = new SignInThrottle(table.db, { maxFailures: 20, now: () => 1_000 });
    const l = lookups(['good']);
    const answers = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) => throttle.check('10.0.0.1', `bad${i}`, l.for(`bad${i}`))),
    );
    expect(l.count()).toBe(20);
    expect(answers.filter((a) => a.kind === 'unknown')).toHaveLength(20);
    expect(answers.filter((a) => a.kind === 'limited')).toHaveLength(1_980);
    expect(table.knownReads()).toBe(1);
  });

  it('never refuses a valid secret for the failures of others at its address', async () => {
    const table = sharedTable(['good']);
    const throttle = new SignInThrottle(table.db, { maxFailures: 5, now: () => 1_000 });
    const l = lookups(['good']);
    for (let i = 0; i < 50; i++) await throttle.check('10.0.0.1', `bad${i}`, l.for(`bad${i}`));
    expect(await throttle.check('10.0.0.1', 'good', l.for('good'))).toEqual({ kind: 'found', value: 'good' });
  });

  it('shares one allowance between instances on one database', async () => {
    const table = sharedTable();
    const a = new SignInThrottle(table.db, { maxFailures: 20, now: () => 1_000 });
    const b = new SignInThrottle(table.db, { maxFailures: 20, now: () => 1_000 });
    const l = lookups([]);
    await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => (i % 2 ? a : b).check('10.0.0.1', `bad${i}`, l.for(`bad${i}`))),
    );
    expect(l.count()).toBeLessThanOrEqual(20);
  });

  it('gives the attempt back when the secret signs in, and starts afresh in the next window', async () => {
    let now = 1_000;
    const table = sharedTable(['good']);
    const throttle = new SignInThrottle(table.db, { maxFailures: 3, windowMs: 60_000, now: () => now });
    const l = lookups(['good']);
    for (let i = 0; i < 10; i++) await throttle.check('10.0.0.1', 'good', l.for('good'));
    expect(l.count()).toBe(10);
    for (let i = 0; i < 3; i++)
      expect((await throttle.check('10.0.0.1', `b${i}`, l.for('x'))).kind).toBe('unknown');
    const limited = await throttle.check('10.0.0.1', 'b9', l.for('x'));
    expect(limited).toEqual({ kind: 'limited', retryAfterMs: 59_000 });
    now = 61_000;
    expect((await throttle.check('10.0.0.1', 'b10', l.for('x'))).kind).toBe('unknown');
  });
});

describe('the sign-in throttle and the database', () => {
  it('stops asking the database about an address once another instance has used its allowance', async () => {
    const table = sharedTable();
    const a = new SignInThrottle(table.db, { maxFailures: 3, now: () => 1_000 });
    const b = new SignInThrottle(table.db, { maxFailures: 3, now: () => 1_000 });
    const l = lookups([]);
    for (let i = 0; i < 3; i++) await b.check('10.0.0.1', `b${i}`, l.for('x'));
    expect((await a.check('10.0.0.1', 'a0', l.for('x'))).kind).toBe('limited');
    const asked = table.counts();
    for (let i = 1; i < 5; i++) expect((await a.check('10.0.0.1', `a${i}`, l.for('x'))).kind).toBe('limited');
    expect(table.counts()).toBe(asked);
  });

  it('gives a signed-in attempt back here as well, so only failures are counted against the address', async () => {
    const table = sharedTable(['good']);
    const throttle = new SignInThrottle(table.db, { maxFailures: 3, now: () => 1_000 });
    const l = lookups(['good']);
    await throttle.check('10.0.0.1', 'bad0', l.for('bad0'));
    await throttle.check('10.0.0.1', 'bad1', l.for('bad1'));
    expect(await throttle.check('10.0.0.1', 'good', l.for('good'))).toEqual({ kind: 'found', value: 'good' });
    expect((await throttle.check('10.0.0.1', 'bad2', l.for('bad2'))).kind).toBe('unknown');
    // Three failures used the allowance: the fourth is refused without asking the database.
    const asked = table.counts();
    expect((await throttle.check('10.0.0.1', 'bad3', l.for('bad3'))).kind).toBe('limited');
    expect(table.counts()).toBe(asked);
  });

  it('does not carry an allowance used up in one window into the next that began while it was being counted', async () => {
    let now = 1_000;
    const table = sharedTable();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow: ThrottleStore = {
      ...table.db,
      count: async (a, w) => {
        const n = await table.db.count(a, w);
        if (a === '10.0.0.1' && w === 0) await gate;
        return n;
      },
    };
    const other = new SignInThrottle(table.db, { maxFailures: 2, now: () => now });
    const here = new SignInThrottle(slow, { maxFailures: 2, now: () => now });
    const l = lookups([]);
    for (let i = 0; i < 2; i++) await other.check('10.0.0.1', `o${i}`, l.for('x'));
    const counting = here.check('10.0.0.1', 'late', l.for('x'));
    await Promise.resolve();
    now = 61_000;
    await here.check('10.0.0.2', 'next-window', l.for('x'));
    release();
    expect((await counting).kind).toBe('limited');
    // The new minute gives 10.0.0.1 its whole allowance here again.
    expect((await here.check('10.0.0.1', 'fresh', l.for('x'))).kind).toBe('unknown');
  });

  it('refuses an over-limit secret that was valid when the list was read but is gone at the lookup', async () => {
    const table = sharedTable(['revoked']);
    const throttle = new SignInThrottle(table.db, { maxFailures: 1, now: () => 1_000 });
    await throttle.check('10.0.0.1', 'bad', lookups([]).for('bad'));
    expect(await throttle.check('10.0.0.1', 'revoked', lookups([]).for('revoked'))).toEqual({
      kind: 'limited',
      retryAfterMs: 59_000,
    });
  });

  it('counts in one-minute windows unless told otherwise', async () => {
    const throttle = new SignInThrottle(sharedTable().db, { maxFailures: 1, now: () => 90_000 });
    await throttle.check('10.0.0.1', 'bad', lookups([]).for('bad'));
    expect(await throttle.check('10.0.0.1', 'bad', lookups([]).for('bad'))).toEqual({
      kind: 'limited',
      retryAfterMs: 30_000,
    });
  });

  it('reads the list of valid secrets at most once per 5 seconds under a flood, and again after', async () => {
    let now = 1_000;
    const table = sharedTable(['good']);
    const throttle = new SignInThrottle(table.db, { maxFailures: 1, windowMs: 3_600_000, now: () => now });
    const l = lookups(['good', 'new']);
    await throttle.check('10.0.0.1', 'bad', l.for('bad'));
    for (let i = 0; i < 5; i++) await throttle.check('10.0.0.1', `flood${i}`, l.for('x'));
    expect(table.knownReads()).toBe(1);
    now += 4_999;
    await throttle.check('10.0.0.1', 'flood', l.for('x'));
    expect(table.knownReads()).toBe(1);
    // A token made since the list was read is found once the list is read again.
    table.valid.push('new');
    expect((await throttle.check('10.0.0.1', 'new', l.for('new'))).kind).toBe('limited');
    now += 1;
    expect(await throttle.check('10.0.0.1', 'new', l.for('new'))).toEqual({ kind: 'found', value: 'new' });
    expect(table.knownReads()).toBe(2);
  });
});

describe('client addresses', () => {
  it('counts an IPv6 client per /64 and an IPv4-mapped address as itself', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:eeee:dddd:cccc')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002::')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(clientKey('10.1.2.3')).toBe('10.1.2.3');
  });

  it('gives every address of one /64 the same key, whatever the spelling', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(
        fc.array(group, { minLength: 8, maxLength: 8 }),
        fc.array(group, { minLength: 4, maxLength: 4 }),
        (g, other) => {
          const full = g.map((x) => x.toString(16)).join(':');
          const sibling = [...g.slice(0, 4), ...other].map((x) => x.toString(16).padStart(4, '0')).join(':');
          expect(clientKey(sibling)).toBe(clientKey(full));
        },
      ),
    );
  });

  it('reads --trust-proxy as loopback proxies, a hop count or a list', () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting(true)).toEqual(['loopback']);
    expect(trustProxySetting('2')).toBe(2);
    expect(trustProxySetting('10.0.0.5, 192.168.0.0/16')).toEqual(['10.0.0.5', '192.168.0.0/16']);
  });
});
