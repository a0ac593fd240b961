import { createHook } from 'node:async_hooks';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Running, type ServeOptions, startServer } from '../src/server/serve.js';

/** What `npm start` / `keyward serve` set up on first start, each in a data directory of its own. */
describe('starting the server', () => {
  const dirs: string[] = [];
  const running: Running[] = [];
  const start = async (opts: ServeOptions & { dir?: string } = {}) => {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'keyward-start-'));
    if (!dirs.includes(dir)) dirs.push(dir);
    const r = await startServer({ port: 0, dataDir: dir, env: {}, logLevel: false, web: false, ...opts });
    running.push(r);
    return { r, dir };
  };
  afterEach(async () => {
    for (const r of running.splice(0)) await r.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes the first admin token to <data dir>/admin-token with mode 0600, and only once', async () => {
    const { r, dir } = await start();
    expect(r.admin.kind).toBe('created');
    const file = join(dir, 'admin-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    expect(r.admin.kind === 'created' && r.admin.token).toBe(token);
    const me = await fetch(`${r.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ role: 'admin' });
    await r.close();
    running.pop();
    const again = await start({ dir });
    expect(again.r.admin).toEqual({ kind: 'existing', file });
  });

  it('takes a chosen admin token from KEYWARD_ADMIN_TOKEN or --token-file and never writes it out', async () => {
    const chosen = `kw_${'c'.repeat(40)}`;
    const { r, dir } = await start({ env: { KEYWARD_ADMIN_TOKEN: chosen } });
    expect(r.admin).toEqual({ kind: 'chosen', source: 'KEYWARD_ADMIN_TOKEN' });
    expect(() => statSync(join(dir, 'admin-token'))).toThrow();
    const me = await fetch(`${r.url}/api/v1/me`, { headers: { authorization: `Bearer ${chosen}` } });
    expect(me.status).toBe(200);
    const tokenFile = join(dir, 'mine');
    writeFileSync(tokenFile, `kw_${'f'.repeat(40)}\n`);
    const second = await start({ tokenFile });
    expect(second.r.admin).toEqual({ kind: 'chosen', source: tokenFile });
  });

  it('creates the demo site, one simulated lock of each guide model, only in an empty database', async () => {
    const { r, dir } = await start({ demo: true, simLatencyMs: 1 });
    expect(r.demo).toBe(true);
    const locks = await r.store.listLocks();
    // Sorted: the four are created within one millisecond, and ties list in any order.
    expect(locks.map((l) => [l.model, l.driver]).sort()).toEqual([
      ['264', 'sim'],
      ['275', 'sim'],
      ['913', 'sim'],
      ['955', 'sim'],
    ]);
    expect(r.sync.running).toBe(true);
    await r.close();
    running.pop();
    const again = await start({ dir, demo: true });
    expect(again.r.demo).toBe(false);
    expect(await again.r.store.listLocks()).toHaveLength(4);
  });

  it('serves the health check and the API docs without a token', async () => {
    const { r } = await start({ sync: false });
    expect(await (await fetch(`${r.url}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${r.url}/api/docs`)).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('stops everything it started when the port is taken, so nothing runs on against a closed database', async () => {
    const { r } = await start({ sync: false });
    const port = Number(new URL(r.url).port);
    // Timers made during the failed start that are still pending afterwards: sync's passes, the
    // calendar scheduler, the notification worker would each leave one.
    const pending = new Set<number>();
    let starting = true;
    const hook = createHook({
      init: (id, type) => void (starting && type === 'Timeout' && pending.add(id)),
      destroy: (id) => void pending.delete(id),
    }).enable();
    const dir = mkdtempSync(join(tmpdir(), 'keyward-start-'));
    dirs.push(dir);
    const second = {
      port,
      dataDir: dir,
      env: {},
      logLevel: false,
      web: false,
      demo: true,
      simLatencyMs: 1,
    } as const;
    await expect(startServer(second)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    starting = false;
    await new Promise((done) => setTimeout(done, 200));
    hook.disable();
    expect(pending.size).toBe(0);
    // and the database was closed cleanly: the same directory starts on a free port
    const again = await start({ dir, sync: false });
    expect((await again.r.store.listLocks()).length).toBe(4);
  });
});
