import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEY } from './store/dialects.js';
import { airbnb, FeedServer } from './support/calendar-feeds.js';
import { cli } from './support/fake-io.js';

/**
 * `keyward calendar add|list|show|refresh|remove`: in-process for the words and exit codes, and
 * the refresh once through bin/keyward.js (the built bundle, plain Node), where the ICS library
 * loads as a CommonJS package and not as vitest serves it.
 */

const ROOT = join(import.meta.dirname, '..');
let dir: string;
let feeds: FeedServer;
const saved = process.env.KEYWARD_SECRET_KEY;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-calendar-cli-'));
  process.env.KEYWARD_SECRET_KEY = TEST_KEY.toString('hex');
  feeds = await new FeedServer().start();
});
afterAll(async () => {
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.KEYWARD_SECRET_KEY;
  else process.env.KEYWARD_SECRET_KEY = saved;
});

async function json(argv: string[]) {
  const r = await cli([...argv, '--json']);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} -> ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('keyward calendar', () => {
  it('follows a calendar, refreshes it with the built CLI, shows its bookings and stops following it', async () => {
    const db = join(dir, 'k.db');
    const site = await json(['site', 'add', 'Beach house', '--db', db]);
    const lock = await json(['lock', 'add', 'Front door', '--site', site.id, '--model', '264', '--db', db]);
    feeds.feeds.set('/cli.ics', {
      body: airbnb([
        { uid: 'c1', start: '2027-05-03', end: '2027-05-07', code: 'HMCLI00001', phone: '4821' },
      ]),
    });
    const url = `${feeds.url}/cli.ics`;

    const refused = await cli(['calendar', 'add', 'Beach', url, '--lock', lock.id, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/private network.*--allow-private-urls/);
    expect((await cli(['calendar', 'add', 'Beach', url, '--db', db, '--allow-private-urls'])).stderr).toMatch(
      /give at least one --lock/,
    );
    const bad = await cli([
      'calendar',
      'add',
      'Beach',
      url,
      '--lock',
      lock.id,
      '--check-in',
      '4pm',
      '--db',
      db,
    ]);
    expect(bad.code).toBe(2);

    const cal = await json([
      'calendar',
      'add',
      'Beach',
      url,
      '--lock',
      lock.id,
      '--check-in',
      '15:00',
      '--allow-private-urls',
      '--db',
      db,
    ]);
    expect(cal).toMatchObject({
      name: 'Beach',
      checkInTime: '15:00',
      checkOutTime: null,
      lockIds: [lock.id],
    });

    const run = promisify(execFile);
    const built = await run(
      process.execPath,
      [join(ROOT, 'bin', 'keyward.js'), 'calendar', 'refresh', cal.id, '--allow-private-urls', '--db', db],
      { env: { ...process.env } },
    );
    expect(built.stdout).toBe('1 added, 0 changed, 0 cancelled, 0 unchanged\n');

    const list = await cli(['calendar', 'list', '--db', db]);
    expect(list.stdout).toContain('Beach');
    const shown = await json(['calendar', 'show', cal.id, '--db', db]);
    expect(shown.bookings).toMatchObject([{ key: 'airbnb:HMCLI00001', status: 'active' }]);

    feeds.feeds.set('/cli.ics', { body: '', status: 503 });
    const failed = await cli(['calendar', 'refresh', cal.id, '--allow-private-urls', '--db', db]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/answered 503.*bookings stay as they were/);

    const removed = await cli(['calendar', 'remove', cal.id, '--revoke-codes', '--db', db]);
    expect(removed.stdout).toBe(`calendar ${cal.id} removed; 1 guest's code cancelled\n`);
    expect((await cli(['calendar', 'show', cal.id, '--db', db])).code).toBe(2);
  });
});
