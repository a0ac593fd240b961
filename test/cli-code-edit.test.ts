import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEY } from './store/dialects.js';
import { cli } from './support/fake-io.js';

let dir: string;
const saved = process.env.KEYWARD_SECRET_KEY;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-cli-edit-'));
  process.env.KEYWARD_SECRET_KEY = TEST_KEY.toString('hex');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.KEYWARD_SECRET_KEY;
  else process.env.KEYWARD_SECRET_KEY = saved;
});

let n = 0;

async function run(db: string, ...argv: string[]) {
  return cli([...argv, '--db', db]);
}

async function ok(db: string, ...argv: string[]) {
  const r = await run(db, ...argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} -> ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** A London beach house with two doors and the Smiths' stay on the front one. */
async function beachHouse() {
  const db = join(dir, `r${n++}.db`);
  await ok(db, 'site', 'add', 'Beach house', '--time-zone', 'Europe/London');
  await ok(db, 'lock', 'add', 'Front door', '--site', 'beach house', '--model', '264');
  await ok(db, 'lock', 'add', 'Back door', '--site', 'Beach house', '--model', '910');
  await ok(
    db,
    'code',
    'add',
    'Smith family',
    '--kind',
    'guest',
    '--lock',
    'Front door',
    '--code',
    '482913',
    '--ends',
    '2199-07-03T10:00:00Z',
  );
  return db;
}

describe('keyward code edit', () => {
  it('moves a stay by name, to the check-out time in the site zone, onto another door, keeping the code', async () => {
    const db = await beachHouse();
    await ok(db, 'site', 'set', 'Beach house', '--check-out', '10:30');
    const out = await ok(
      db,
      'code',
      'edit',
      'smith family',
      '--to',
      '2199-07-05',
      '--add-lock',
      'Back door',
      '--max-uses',
      '5',
    );
    expect(out).toContain('Smith family changed (same code).');
    expect(out).toMatch(/until \w{3} 5 Jul 2199, 10:30 Europe\/London/);
    expect(out).toMatch(/Front door: slot 1 \(kept\)/);
    expect(out).toMatch(/Back door: slot 1 \(new: it will be set\)/);
    expect(out).not.toContain('482913');
    const shown = JSON.parse(await ok(db, 'code', 'show', 'Smith family', '--reveal', '--json'));
    expect(shown).toMatchObject({ code: '482913', endsAt: '2199-07-05T09:30:00.000Z', useLimit: 5 });
    const off = await ok(
      db,
      'code',
      'edit',
      'Smith family',
      '--remove-lock',
      'Front door',
      '--window',
      'fri-sun 16:00-23:00',
    );
    expect(off).toMatch(/Back door: slot 1 \(kept\)/);
    expect(off).not.toMatch(/Front door/);
  });

  it('refuses a change a lock would refuse, with whose code it clashes, and changes nothing (exit 2)', async () => {
    const db = await beachHouse();
    await ok(db, 'code', 'add', 'Owner', '--lock', 'Back door', '--code', '371904');
    const r = await run(db, 'code', 'edit', 'Smith family', '--add-lock', 'Back door', '--name', 'Renamed');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Back door \(910\) would refuse this change: it clashes with the code of "Owner"/,
    );
    expect(r.stderr).not.toMatch(/482913|371904|lock_/);
    expect(JSON.parse(await ok(db, 'code', 'show', 'Smith family', '--json')).locks).toHaveLength(1);
  });

  it('refuses a name two codes share, listing the candidates (exit 2), and an edit with nothing to change', async () => {
    const db = await beachHouse();
    await ok(
      db,
      'code',
      'add',
      'Smith family',
      '--kind',
      'guest',
      '--lock',
      'Back door',
      '--code',
      '7193',
      '--ends',
      '2199-08-01',
    );
    const r = await run(db, 'code', 'edit', 'Smith family', '--name', 'X');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /2 codes are called "Smith family": give the id of one of them: cred_\S+ \(Smith family, on Front door\); cred_\S+ \(Smith family, on Back door\)/,
    );
    const id = JSON.parse(await ok(db, 'code', 'list', '--lock', 'Back door', '--json'))[0].id;
    expect((await run(db, 'code', 'edit', id)).stderr).toMatch(/nothing to change/);
    expect((await run(db, 'code', 'edit', 'Nobody', '--name', 'X')).stderr).toMatch(
      /no code called "Nobody"/,
    );
  });

  it('offers --generate after a clash, and notes the visits weekly hours need on a keypad-only door', async () => {
    const db = await beachHouse();
    const clash = await run(db, 'code', 'add', 'Ann', '--lock', 'Front door', '--code', '482977');
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(
      /clashes with the code of "Smith family".*\(or let Keyward draw one: --generate\)/,
    );
    await ok(db, 'lock', 'add', 'Shed', '--site', 'Beach house', '--model', '264', '--driver', 'manual');
    await ok(db, 'person', 'add', 'Ben', '--site', 'Beach house');
    const out = await ok(
      db,
      'code',
      'add',
      'Cleaner',
      '--person',
      'ben',
      '--lock',
      'Shed',
      '--generate',
      '--windows',
      'mon 09:00-12:00',
    );
    expect(out).toMatch(/note: Shed is keypad-only: with weekly hours someone has to go to the door/);
    expect(await ok(db, 'person', 'show', 'Ben')).toMatch(/Ben \(per_\S+\), 1 code/);
  });

  it('reads a date alone given to code add as the site check-in or check-out time, in its zone', async () => {
    const db = await beachHouse();
    const c = JSON.parse(
      await ok(
        db,
        'code',
        'add',
        'Day guest',
        '--kind',
        'guest',
        '--lock',
        'Back door',
        '--code',
        '9137',
        '--starts',
        '2199-07-08',
        '--ends',
        '2199-07-10',
        '--json',
      ),
    );
    expect(c).toMatchObject({ startsAt: '2199-07-08T15:00:00.000Z', endsAt: '2199-07-10T10:00:00.000Z' });
  });

  it('refuses a code with anything but digits, saying so, never stripping it', async () => {
    const db = await beachHouse();
    const r = await run(db, 'code', 'add', 'Ann', '--lock', 'Front door', '--code', '12 34');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--code: a code is digits 0-9 only/);
  });
});

describe('keyward lock remove, audit list, guide and diagnose for everyday use', () => {
  it('says what happens to the codes and asks for --yes when it cannot ask', async () => {
    const db = await beachHouse();
    const r = await run(db, 'lock', 'remove', 'Front door');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Front door holds 1 person's code: Smith family\..*stay there until someone deletes them at the keypad.*Run again with --yes/,
    );
    expect(await ok(db, 'lock', 'list', '--json')).toContain('Front door');
    expect(await ok(db, 'lock', 'remove', 'Front door', '--yes')).toBe('Front door removed.\n');
    expect(await ok(db, 'lock', 'list', '--json')).not.toContain('Front door');
  });

  it('lists the audit log in sentences, filtered by lock, person and kind', async () => {
    const db = await beachHouse();
    await ok(db, 'code', 'edit', 'Smith family', '--name', 'Smiths');
    const all = await ok(db, 'audit', 'list');
    expect(all).toMatch(/Smiths' code changed \(name\) {2}\(by cli\)/);
    expect(all).toMatch(/Europe\/London/);
    const edits = await ok(db, 'audit', 'list', '--kind', 'credential.edit');
    expect(edits.trim().split('\n')).toHaveLength(1);
    const onBack = await ok(db, 'audit', 'list', '--lock', 'Back door');
    expect(onBack).toMatch(/lock Back door added/);
    expect(onBack).not.toMatch(/Smith/);
    expect(await ok(db, 'audit', 'list', '--since', '2199-01-01')).toBe('nothing recorded that matches\n');
    expect(JSON.parse(await ok(db, 'audit', 'list', '--kind', 'site', '--json'))[0]).toMatchObject({
      action: 'site.add',
    });
  });

  it('suggests the nearest operation for a typo, and lists the symptoms when none is given', async () => {
    const typo = await cli(['guide', '--op', 'add-usr', '--model', '264', '--code', '1234', '--slot', '2']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown --op "add-usr": did you mean add-user\?/);
    const none = await cli(['diagnose', '--model', '264']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /give --symptom, what the lock did: red-3-beeps \(red flash and 3 beeps\), no-response/,
    );
  });
});
