import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEY } from './store/dialects.js';
import { cli } from './support/fake-io.js';

let dir: string;
const saved = process.env.KEYWARD_SECRET_KEY;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-cli-status-'));
  process.env.KEYWARD_SECRET_KEY = TEST_KEY.toString('hex');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.KEYWARD_SECRET_KEY;
  else process.env.KEYWARD_SECRET_KEY = saved;
});

async function json(argv: string[]) {
  const r = await cli([...argv, '--json']);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} -> ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const HOUR = 3_600_000;

describe('keyward status: lock states, visits, arrivals and departures', () => {
  it('says what the dashboard says: each lock in step or at the door, the visits to make, who comes and goes', async () => {
    const db = join(dir, 'a.db');
    const site = await json(['site', 'add', 'Lakeside', '--db', db]);
    // A keypad-only lock (the CLI's default driver) and a simulated one.
    const cabin = await json(['lock', 'add', 'Cabin 2', '--site', site.id, '--model', '264', '--db', db]);
    const front = await json([
      'lock',
      'add',
      'Front door',
      '--site',
      site.id,
      '--model',
      '264',
      '--driver',
      'sim',
      '--db',
      db,
    ]);
    const arrives = new Date(Date.now() + 50 * HOUR).toISOString();
    const leaves = new Date(Date.now() + 120 * HOUR).toISOString();
    await json(['code', 'add', 'Cleaner', '--lock', cabin.id, '--code', '736251', '--db', db]);
    await json([
      'code',
      'add',
      'Smith family',
      '--kind',
      'guest',
      '--lock',
      `${cabin.id},${front.id}`,
      '--code',
      '91735',
      '--starts',
      arrives,
      '--ends',
      leaves,
      '--db',
      db,
    ]);
    const r = await cli(['status', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Locks\n {2}Cabin 2 {5}Needs you at the door\n {2}Front door {2}In step\n/);
    expect(r.stdout).toContain("Cabin 2: go to the door now to add Cleaner's code");
    expect(r.stdout).toMatch(
      /Cabin 2: go to the door before \w{3} \d{4}-\d\d-\d\d \d\d:\d\d to add Smith family's code/,
    );
    expect(r.stdout).toMatch(/Cabin 2: go to the door after .+ to remove Smith family's code/);
    expect(r.stdout).toMatch(/\d\d:\d\d {2}Smith family arrives \(Cabin 2, Front door\)/);
    expect(r.stdout).not.toContain('91735');

    const s = await json(['status', '--db', db]);
    const byName = Object.fromEntries(s.locks.map((l: { name: string }) => [l.name, l]));
    expect(byName['Cabin 2'].state).toBe('needs-visit');
    // The guest arriving in two days does not make the simulated lock syncing.
    expect(byName['Front door'].state).toBe('in-step');
    expect(byName['Front door'].upcoming.map((u: { kind: string }) => u.kind)).toEqual([
      'arrival',
      'departure',
    ]);
    expect(byName['Front door'].upcoming[0].at).toBe(arrives);
  });

  it('renames a person, and refuses an empty name with exit 2', async () => {
    const db = join(dir, 'c.db');
    const p = await json(['person', 'add', 'Smith family', '--db', db]);
    const r = await cli(['person', 'rename', p.id, 'The Smiths', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`person ${p.id} is now The Smiths\n`);
    const bad = await cli(['person', 'rename', p.id, ' ', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints no lock section for an empty register', async () => {
    const r = await cli(['status', '--db', join(dir, 'b.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('nothing due in the next 7 days\n');
  });
});
