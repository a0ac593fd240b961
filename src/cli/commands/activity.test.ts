import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../../test/support/fake-io.js';
import { recordActivity } from '../../store/activity.js';
import { openStore } from '../../store/index.js';

const T0 = Date.UTC(2026, 6, 1, 16, 4);

describe('keyward activity', () => {
  let dir: string;
  let db: string;
  let lockId = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-activity-cli-'));
    db = join(dir, 'k.db');
    const env = { KEYWARD_SECRET_KEY: Buffer.alloc(32, 3).toString('base64') };
    Object.assign(process.env, env);
    const store = await openStore({ db, dataDir: dir, env: process.env, now: () => T0 });
    const site = await store.addSite({ name: 'Cabins' });
    const lock = await store.addLock({ siteId: site.id, name: 'Front door', model: '264' });
    lockId = lock.id;
    const guest = await store.addCredential({
      name: 'Smith family',
      code: '482913',
      kind: 'guest',
      lockIds: [lock.id],
      startsAt: T0 - 3_600_000,
      endsAt: T0 + 86_400_000,
    });
    await recordActivity(store.ctx, [
      { at: T0, type: 'code.used', lockId, credentialId: guest.id, personId: null, slot: 1, detail: {} },
      {
        at: T0 + 60_000,
        type: 'battery.low',
        lockId,
        credentialId: null,
        personId: null,
        slot: null,
        detail: { level: 'low' },
      },
    ]);
    await store.close();
  });
  afterAll(() => {
    delete process.env.KEYWARD_SECRET_KEY;
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists what happened, newest first, in plain words', async () => {
    const { code, stdout } = await cli(['activity', '--db', db, '--lock', 'front door']);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      '2026-07-01 16:05  Battery low  ·  Front door',
      '2026-07-01 16:04  Guest arrived  ·  Front door  ·  Smith family  ·  slot 1',
      '2026-07-01 16:04  Code used  ·  Front door  ·  Smith family  ·  slot 1',
    ]);
  });

  it('filters by kind and exports CSV, never the digits', async () => {
    const { code, stdout } = await cli(['activity', '--db', db, '--type', 'code.used', '--csv']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Code used,code.used,Front door,Smith family,1');
    expect(stdout).not.toContain('482913');
    const json = await cli(['activity', '--db', db, '--json', '--limit', '1']);
    expect(JSON.parse(json.stdout)).toMatchObject({ events: [{ type: 'battery.low', lockId }] });
  });

  it('refuses an unknown kind or lock on one line, exit 2', async () => {
    for (const args of [
      ['--type', 'code.usedd'],
      ['--lock', 'Back door'],
      ['--since', 'yesterday'],
    ]) {
      const { code, stderr } = await cli(['activity', '--db', db, ...args]);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
