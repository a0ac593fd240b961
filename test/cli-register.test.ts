import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, DIALECTS, TEST_KEY, type TestDb } from './store/dialects.js';
import { cli } from './support/fake-io.js';

let dir: string;
const saved = process.env.KEYWARD_SECRET_KEY;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-cli-'));
  process.env.KEYWARD_SECRET_KEY = TEST_KEY.toString('hex');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.KEYWARD_SECRET_KEY;
  else process.env.KEYWARD_SECRET_KEY = saved;
});

let n = 0;
const freshDb = () => join(dir, `r${n++}.db`);

async function json(argv: string[], stdin = '') {
  const r = await cli([...argv, '--json'], {}, stdin);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} -> ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function frontDoor(db: string) {
  const site = await json(['site', 'add', 'Beach house', '--db', db]);
  const lock = await json(['lock', 'add', 'Front door', '--site', site.id, '--model', '264', '--db', db]);
  return { site, lock };
}

describe('keyward register commands', () => {
  it('adds a person with a code on two locks and prints the code only with --reveal', async () => {
    const db = freshDb();
    const { site, lock } = await frontDoor(db);
    const back = await json(['lock', 'add', 'Back door', '--site', site.id, '--model', '910', '--db', db]);
    const ann = await json(['person', 'add', 'Ann', '--site', site.id, '--db', db]);
    const add = await cli(
      [
        'code',
        'add',
        'Ann',
        '--person',
        ann.id,
        '--lock',
        `${lock.id},${back.id}`,
        '--code',
        '-',
        '--db',
        db,
      ],
      {},
      '583920\n',
    );
    expect(add.code).toBe(0);
    expect(add.stdout).not.toContain('583920');
    expect(add.stdout).toMatch(/Front door slot 1, Back door slot 1|Back door slot 1, Front door slot 1/);
    const [listed] = await json(['code', 'list', '--db', db]);
    expect(listed).not.toHaveProperty('code');
    expect((await json(['code', 'show', listed.id, '--db', db])).code).toBeUndefined();
    expect((await json(['code', 'show', listed.id, '--reveal', '--db', db])).code).toBe('583920');
    const person = await json(['person', 'show', ann.id, '--db', db]);
    expect(person.credentials).toHaveLength(1);
    const shown = await json(['lock', 'show', lock.id, '--db', db]);
    expect(shown.slots).toEqual([
      { slot: 1, credentialId: listed.id, name: 'Ann', status: 'unset', error: null },
    ]);
  });

  it('refuses with exit 2 a code an assigned lock would reject, naming the lock and the reason but not the code', async () => {
    const db = freshDb();
    const { lock } = await frontDoor(db);
    await json(['code', 'add', 'Ann', '--lock', lock.id, '--code', '29475', '--db', db]);
    const r = await cli(['code', 'add', 'Bob', '--lock', lock.id, '--code', '29476', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Front door.*would refuse this code.*first four digits/);
    expect(r.stderr).not.toMatch(/2947/);
    expect(await json(['code', 'list', '--db', db])).toHaveLength(1);
  });

  it('refuses bad input with exit 2 and one line on stderr', async () => {
    const db = freshDb();
    const { lock } = await frontDoor(db);
    const cases: Array<[string[], RegExp]> = [
      [
        [
          'code',
          'add',
          'G',
          '--kind',
          'guest',
          '--lock',
          lock.id,
          '--code',
          '7351',
          '--starts',
          '2026-07-05',
          '--ends',
          '2026-07-01',
        ],
        /end must come after the start/,
      ],
      [['code', 'add', 'X', '--lock', 'lock_nope', '--code', '7351'], /no lock with id lock_nope/],
      [
        ['code', 'add', 'X', '--lock', lock.id, '--code', '7351', '--ends', '1900-01-01'],
        /2000-01-01 to 2199-12-31/,
      ],
      [
        ['code', 'add', 'X', '--lock', lock.id, '--code', '7351', '--ends', '2021-01-01'],
        /end is in the past/,
      ],
      [['status', '--at', 'yesterday'], /--at: "yesterday" must be a date from 2000-01-01/],
      [
        ['status', '--at', '2026-07-01T15:00'],
        /--at: 2026-07-01T15:00 has no time zone.*add Z for UTC \(2026-07-01T15:00Z\)/,
      ],
      // A date alone is the site's check-out time that day, and the day must exist first.
      [
        ['code', 'add', 'X', '--lock', lock.id, '--code', '7351', '--ends', '2190-02-30'],
        /--ends: 2190-02-30 is not a real date \(February 2190 has 28 days\)/,
      ],
      [
        ['code', 'add', 'X', '--lock', lock.id, '--code', '7351', '--ends', '2190-07-01 11:00'],
        /--ends: 2190-07-01 11:00 has no time zone/,
      ],
      [['code', 'add', 'X', '--lock', lock.id, '--code', '12a4'], /digits/],
      [['code', 'add', 'X', '--lock', lock.id, '--code', '7351', '--windows', 'someday 8-9'], /window/],
      [['lock', 'add', 'X', '--site', 'site_nope', '--model', '264'], /no site with id site_nope/],
      [['site', 'add', 'Mars base', '--time-zone', 'Mars/Olympus_Mons'], /not a time zone/],
      [['site', 'add', 'Both', '--time-zone', 'Europe/Paris', '--tz-offset', '60'], /not both/],
      [['code', 'show', 'cred_nope'], /no credential/],
      [['code', 'remove', 'cred_nope'], /no credential/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli([...argv, '--db', db]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(await json(['code', 'list', '--db', db])).toEqual([]);
  });

  it('keeps a site in its named time zone and lists it by name', async () => {
    const db = freshDb();
    const site = await json(['site', 'add', 'Brooklyn', '--time-zone', 'America/New_York', '--db', db]);
    expect(site.timeZone).toBe('America/New_York');
    const listed = await cli(['site', 'list', '--db', db]);
    expect(listed.stdout).toMatch(/Brooklyn\s+annual\s+America\/New_York/);
  });

  it('generates a code every assigned lock accepts', async () => {
    const db = freshDb();
    const { lock } = await frontDoor(db);
    const c = await json(['code', 'add', 'Gen', '--lock', lock.id, '--generate', '--reveal', '--db', db]);
    expect(c.code).toMatch(/^[0-9]{4,8}$/);
    expect(c.locks[0].slot).toBe(1);
  });

  it('rotates a code to a generated one and keeps it hidden unless asked', async () => {
    const db = freshDb();
    const { lock } = await frontDoor(db);
    const c = await json(['code', 'add', 'Ann', '--lock', lock.id, '--code', '4821', '--db', db]);
    const r = await cli(['code', 'rotate', c.id, '--generate', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/replaced by cred_/);
    expect(r.stdout).not.toMatch(/code: /);
    const [now] = await json(['code', 'list', '--db', db]);
    expect(now.id).not.toBe(c.id);
    expect((await json(['code', 'show', now.id, '--reveal', '--db', db])).code).toMatch(/^[0-9]{4,}$/);
  });

  it('reports what is due and refuses a stale --version with a conflict', async () => {
    const db = freshDb();
    const { lock } = await frontDoor(db);
    await json([
      'code',
      'add',
      'Guest',
      '--kind',
      'guest',
      '--lock',
      lock.id,
      '--code',
      '7351',
      '--ends',
      new Date(Date.now() + 3_600_000).toISOString(),
      '--db',
      db,
    ]);
    await json(['lock', 'battery', lock.id, '1.2', '--db', db]);
    const s = await json(['status', '--db', db]);
    expect(s.items.map((i: { kind: string }) => i.kind).sort()).toEqual(['battery', 'guest-departure']);
    const [guest] = await json(['code', 'list', '--db', db]);
    const stale = await cli(['code', 'remove', guest.id, '--version', String(guest.version + 5), '--db', db]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/changed since it was read/);
    expect(
      (await json(['code', 'remove', guest.id, '--version', String(guest.version), '--db', db])).revokedAt,
    ).not.toBeNull();
  });

  it('says so, with exit 2, when the secret key is wrong or malformed, and writes nothing', async () => {
    const db = freshDb();
    await frontDoor(db);
    try {
      process.env.KEYWARD_SECRET_KEY = Buffer.alloc(32, 8).toString('hex');
      const wrong = await cli(['site', 'add', 'Other', '--db', db]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/secret key does not decrypt/);
      process.env.KEYWARD_SECRET_KEY = 'not-a-key';
      const malformed = await cli(['site', 'list', '--db', db]);
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toMatch(/KEYWARD_SECRET_KEY must be 32 bytes/);
    } finally {
      process.env.KEYWARD_SECRET_KEY = TEST_KEY.toString('hex');
    }
    expect((await json(['site', 'list', '--db', db])).map((s: { name: string }) => s.name)).toEqual([
      'Beach house',
    ]);
  });

  it('verifies the audit log, and exits 1 naming the row when it was tampered with', async () => {
    const db = freshDb();
    await frontDoor(db);
    expect(await json(['audit', 'verify', '--db', db])).toEqual({ ok: true, rows: 2, problems: [] });
    const raw = new Database(db);
    raw.prepare("update audit_log set actor = 'mallory' where seq = 1").run();
    raw.close();
    const r = await cli(['audit', 'verify', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/row 1 was changed/);
  });

  it('round-trips backup and restore into a new register', async () => {
    const db = freshDb();
    const { lock } = await frontDoor(db);
    const c = await json(['code', 'add', 'Ann', '--lock', lock.id, '--code', '4821', '--db', db]);
    const backup = await cli(['backup', '--db', db]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).not.toContain('Front door');
    const targets: Array<{ url: string; drop?: TestDb['drop'] }> = [{ url: freshDb() }];
    if (DIALECTS.includes('postgres')) targets.push(await createPgDatabase());
    for (const target of targets) {
      try {
        const restored = await json(['restore', '-', '--db', target.url], backup.stdout);
        expect(restored.restored).toBeGreaterThan(0);
        expect((await json(['code', 'show', c.id, '--reveal', '--db', target.url])).code).toBe('4821');
        expect((await json(['audit', 'verify', '--db', target.url])).ok).toBe(true);
        const again = await cli(['restore', '-', '--db', target.url], {}, backup.stdout);
        expect(again.code).toBe(2);
        expect(again.stderr).toMatch(/not empty/);
      } finally {
        await target.drop?.();
      }
    }
  });
});
