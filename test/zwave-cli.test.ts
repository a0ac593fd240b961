import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../src/core/catalog/index.js';
import { openStore } from '../src/store/index.js';
import { TEST_KEY } from './store/dialects.js';
import { cli } from './support/fake-io.js';
import { freePort, startTestNetwork, type TestNetwork } from './zwave-fixture.js';

const FRONT = { nodeId: 2, model: getModel('888'), codes: { 1: '2580', 4: '97531' } };
const PAIR = { nodeId: 3, model: getModel('910'), codes: { 2: '1357' } };

let network: TestNetwork;
let dir: string;
const saved = process.env.KEYWARD_SECRET_KEY;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-zwave-cli-'));
  process.env.KEYWARD_SECRET_KEY = TEST_KEY.toString('hex');
  network = await startTestNetwork([FRONT, PAIR]);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.KEYWARD_SECRET_KEY;
  else process.env.KEYWARD_SECRET_KEY = saved;
});

let n = 0;
const freshDb = () => join(dir, `z${n++}.db`);

describe('keyward zwave discover', () => {
  it('lists the Kwikset locks with their codes counted, and prints codes only with --reveal', async () => {
    const db = freshDb();
    const text = await cli(['zwave', 'discover', '--url', network.url, '--db', db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ *2 +888 +2 +1,4 +-/m);
    expect(text.stdout).toMatch(/^ *3 +910 or 912\? +1 +2 +-/m);
    expect(text.stdout).not.toMatch(/2580|97531|1357/);

    const json = await cli(['zwave', 'discover', '--url', network.url, '--db', db, '--json']);
    const out = JSON.parse(json.stdout);
    expect(out.network).toBe(network.url);
    expect(out.nodes[0]).toMatchObject({
      nodeId: 2,
      match: 'exact',
      codeCount: 2,
      slots: [1, 4],
      lockId: null,
    });
    expect(out.nodes[0].codes).toBeUndefined();

    const shown = await cli(['zwave', 'discover', '--url', network.url, '--db', db, '--json', '--reveal']);
    expect(JSON.parse(shown.stdout).nodes[0].codes).toEqual({ 1: '2580', 4: '97531' });
  });

  it('refuses bad input with one line and exit 2, and an unreachable server with exit 70', async () => {
    const db = freshDb();
    for (const argv of [
      ['zwave', 'discover', '--db', db],
      ['zwave', 'discover', '--url', network.url, '--serial-port', '/dev/ttyUSB0', '--db', db],
      ['zwave', 'discover', '--url', 'http://example', '--db', db],
      ['zwave', 'adopt', '--url', network.url, '--node', 'two', '--db', db],
      ['zwave', 'adopt', '--url', network.url, '--db', db],
      ['zwave', 'adopt', '--url', network.url, '--node', '2,3', '--name', 'Door', '--db', db],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
    const away = await cli(['zwave', 'discover', '--url', `ws://127.0.0.1:${await freePort()}`, '--db', db]);
    expect(away.code).toBe(70);
    expect(away.stderr).toMatch(/cannot reach zwave-js-server/);
    const stick = await cli(['zwave', 'discover', '--serial-port', '/dev/ttyUSB199', '--db', db]);
    expect(stick.code).toBe(70);
    expect(stick.stderr).toMatch(/no serial device at \/dev\/ttyUSB199/);
  });
});

describe('keyward zwave adopt', () => {
  it('adds a node as a lock with each code as a credential in its slot, encrypted, in one change', async () => {
    const db = freshDb();
    const r = await cli([
      'zwave',
      'adopt',
      '--url',
      network.url,
      '--node',
      '2',
      '--name',
      'Front door',
      '--db',
      db,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Front door \(model 888, zwave-server, node 2\): 2 codes adopted from slots 1,4/,
    );
    expect(r.stdout).not.toMatch(/2580|97531/);

    const store = await openStore({ db });
    try {
      const [lock] = await store.listLocks();
      expect(lock).toMatchObject({ name: 'Front door', model: '888', driver: 'zwave-server' });
      expect(lock!.driverConfig).toEqual({ url: network.url, nodeId: 2 });
      const view = await store.lockView(lock!.id);
      expect(view.slots.map((s) => [s.slot, s.name, s.status])).toEqual([
        [1, 'Adopted slot 1', 'set'],
        [4, 'Adopted slot 4', 'set'],
      ]);
      const codes = await Promise.all(
        view.slots.map(async (s) => (await store.getCredential(s.credentialId!, { reveal: true })).code),
      );
      expect(codes).toEqual(['2580', '97531']);
      const people = await store.listPeople();
      expect(people.map((p) => p.name)).toEqual([
        'Adopted slot 1 (Front door)',
        'Adopted slot 4 (Front door)',
      ]);
      expect((await store.verifyAudit()).ok).toBe(true);
    } finally {
      await store.close();
    }

    const listed = await cli(['zwave', 'discover', '--url', network.url, '--db', db, '--json']);
    expect(JSON.parse(listed.stdout).nodes[0].lockId).toMatch(/^lock_/);
    const again = await cli(['zwave', 'adopt', '--url', network.url, '--node', '2', '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already in the register/);
  });

  it('asks which model a shared-radio node is, and writes nothing until told', async () => {
    const db = freshDb();
    const unsure = await cli(['zwave', 'adopt', '--url', network.url, '--node', '2,3', '--db', db]);
    expect(unsure.code).toBe(2);
    expect(unsure.stderr).toMatch(/node 3 may be a 910 or 912/);
    const store = await openStore({ db });
    try {
      // Node 2 was fine, but nothing is added unless every chosen node is.
      expect(await store.listLocks()).toHaveLength(0);
    } finally {
      await store.close();
    }
    const told = await cli([
      'zwave',
      'adopt',
      '--url',
      network.url,
      '--node',
      '2,3=912',
      '--db',
      db,
      '--json',
    ]);
    expect(told.code).toBe(0);
    const out = JSON.parse(told.stdout);
    expect(out.locks.map((l: { nodeId: number; model: string }) => [l.nodeId, l.model])).toEqual([
      [2, '888'],
      [3, '912'],
    ]);
    expect(told.stdout).not.toMatch(/2580|97531|1357/);
  });
});
