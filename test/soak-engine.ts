import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/store/index.js';
import { type Rng, rng } from './fuzz-values.js';
import { createDatabase, type DialectName, TEST_KEY, type TestDb } from './store/dialects.js';
import { root } from './sync-processes.js';

/**
 * The crash suite (issue 14 §5): `keyward serve` (the built CLI) runs against a database with
 * simulated locks kept in files; a driver sends creations and revocations over HTTP and records
 * every 2xx; the server is killed with SIGKILL at a random moment (under load, or while the
 * reconciler alone is writing to the locks), restarted, and then nothing answered 2xx may be
 * lost, nothing applied twice, and the audit chain must verify.
 */

const ADMIN = 'kw_soak-admin-token-0123456789abcdefghijklmnopqrstuvwxyz';
const LOCKS = ['914', '264', '910'];

export interface SoakOptions {
  dialect: DialectName;
  trials: number;
  seed: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  dialect: DialectName;
  seed: number;
  /** Kills carried out (fewer than asked once the losses pass 20). */
  trials: number;
  /** Answers recorded 2xx before the kills. */
  created: number;
  revoked: number;
  /** Requests cut off by a kill: either outcome is allowed, but only once. */
  cutOff: number;
  losses: string[];
  ms: number;
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

function serve(db: string, dataDir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'keyward.js'), 'serve', '--port', '0', '--db', db, '--log-level', 'fatal'],
    {
      env: {
        ...process.env,
        KEYWARD_DATA_DIR: dataDir,
        KEYWARD_SECRET_KEY: TEST_KEY.toString('hex'),
        KEYWARD_ADMIN_TOKEN: ADMIN,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`keyward serve did not start: ${out} ${err}`)), 30_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Keyward is serving (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, exited });
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`keyward serve exited (${how}) before serving: ${err}`));
    });
  });
}

async function call(server: Server, method: string, path: string, body?: unknown) {
  const r = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: r.status, json: (await r.json().catch(() => null)) as Record<string, unknown> | null };
}

interface Ledger {
  created: Map<string, { id: string; lockIds: string[] }>;
  revoked: Set<string>;
  /** Names of creations and ids of revocations whose answer a kill cut off. */
  unknownCreations: Set<string>;
  unknownRevocations: Set<string>;
}

/** Creations and revocations, a few at a time, until `stop` says so; every 2xx is recorded. */
async function load(
  r: Rng,
  server: Server,
  lockIds: string[],
  ledger: Ledger,
  tag: string,
  stop: () => boolean,
) {
  let n = 0;
  const one = async () => {
    while (!stop()) {
      const live = [...ledger.created.values()].filter((c) => !ledger.revoked.has(c.id));
      if (live.length > 6 && r.chance(0.4)) {
        const victim = r.pick(live).id;
        try {
          const res = await call(server, 'DELETE', `/api/v1/credentials/${victim}`);
          if (res.status < 300) ledger.revoked.add(victim);
        } catch {
          ledger.unknownRevocations.add(victim);
          return;
        }
      } else {
        const name = `${tag}-${n++}`;
        const locks = lockIds.filter(() => r.chance(0.6));
        if (locks.length === 0) locks.push(r.pick(lockIds));
        try {
          const res = await call(server, 'POST', '/api/v1/credentials', {
            name,
            generate: true,
            lockIds: locks,
          });
          if (res.status === 201) ledger.created.set(name, { id: String(res.json!.id), lockIds: locks });
        } catch {
          ledger.unknownCreations.add(name);
          return;
        }
      }
    }
  };
  await Promise.all([one(), one(), one()]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the reconciler has nothing left to send, or says what is still open. */
async function converged(store: Store, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await store.ctx.db
      .selectFrom('credential_locks')
      .select(['credential_id', 'lock_id', 'status', 'error'])
      .where('status', 'in', ['unset', 'setting', 'removing'])
      .execute();
    if (open.length === 0) return null;
    if (Date.now() > deadline)
      return `${open.length} assignments still open: ${JSON.stringify(open.slice(0, 3))}`;
    await sleep(200);
  }
}

/** The register and the locks after a restart: every recorded answer holds, once. */
async function check(store: Store, simDir: string, ledger: Ledger, losses: string[], trial: number) {
  const say = (m: string) => losses.push(`trial ${trial}: ${m}`);
  const byName = new Map<string, number>();
  for (const row of await store.ctx.db.selectFrom('credentials').select('name').execute())
    byName.set(row.name, (byName.get(row.name) ?? 0) + 1);
  for (const [name, n] of byName) if (n > 1) say(`${n} credentials named ${name}: a creation applied twice`);
  for (const [name, c] of ledger.created) {
    let cred: Awaited<ReturnType<Store['getCredential']>>;
    try {
      cred = await store.getCredential(c.id, { reveal: true });
    } catch {
      say(`${name} (${c.id}) was answered 201 and is gone`);
      continue;
    }
    const revoked = cred.revokedAt !== null;
    if (ledger.revoked.has(c.id) && !revoked) say(`${name} was revoked (2xx) and is active again`);
    const missing = c.lockIds.filter((l) => !cred.locks.some((x) => x.lockId === l));
    if (missing.length) say(`${name} lost its assignment to ${missing.join(', ')}`);
  }
  const doubled = await sql<{ lock_id: string; slot: number; n: number }>`
    select lock_id, slot, count(*) as n from credential_locks where status <> 'removed'
    group by lock_id, slot having count(*) > 1`.execute(store.ctx.db);
  for (const d of doubled.rows) say(`slot ${d.slot} of ${d.lock_id} is held by ${d.n} credentials`);
  // The locks themselves: each holds exactly the codes of its live credentials, each once.
  for (const lock of await store.listLocks()) {
    const file = join(simDir, `${lock.id}.json`);
    const slots: Record<string, string> = existsSync(file)
      ? JSON.parse(readFileSync(file, 'utf8')).lock.slots
      : {};
    const onLock = Object.values(slots);
    if (new Set(onLock).size !== onLock.length) say(`${lock.id} holds a code twice`);
    const wanted: string[] = [];
    for (const c of await store.listCredentials({ lockId: lock.id })) {
      const full = await store.getCredential(c.id, { reveal: true });
      if (full.revokedAt === null) wanted.push(full.code!);
    }
    const missing = wanted.filter((code) => !onLock.includes(code)).length;
    const extra = onLock.filter((code) => !wanted.includes(code)).length;
    if (missing || extra)
      say(`${lock.id}: ${missing} live codes missing on the lock, ${extra} codes too many`);
  }
  const audit = await store.verifyAudit();
  if (!audit.ok) say(`audit chain: ${audit.problems.map((p) => p.message).join('; ')}`);
}

export async function soak(opts: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const r = rng(opts.seed);
  const losses: string[] = [];
  const log = opts.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-soak-'));
  const database: TestDb = await createDatabase(opts.dialect);
  const ledger: Ledger = {
    created: new Map(),
    revoked: new Set(),
    unknownCreations: new Set(),
    unknownRevocations: new Set(),
  };
  let server: Server | null = null;
  let done = 0;
  try {
    const setup = await openStore({
      db: database.url,
      secretKey: TEST_KEY,
      dataDir: '/nonexistent',
      env: {},
    });
    const site = await setup.addSite({ name: 'Soak cabins' });
    const lockIds: string[] = [];
    for (const model of LOCKS)
      lockIds.push(
        (await setup.addLock({ siteId: site.id, name: `Door ${model}`, model, driver: 'sim' })).id,
      );
    await setup.close();
    let reported = 0;
    for (let trial = 1; trial <= opts.trials; trial++) {
      done = trial;
      server = await serve(database.url, dataDir);
      // Under load (creations and revocations in flight, the reconciler busy), or while the
      // reconciler alone carries earlier changes to the locks.
      const underLoad = r.chance(0.7);
      // A server takes a few hundred milliseconds to answer its first requests.
      const killAfter = (underLoad ? 600 : 20) + r.int(underLoad ? 1500 : 400);
      let stopped = false;
      let running: Promise<void> = Promise.resolve();
      if (underLoad) running = load(r, server, lockIds, ledger, `t${trial}`, () => stopped);
      else {
        // Enough new work for the reconciler to be mid-way through it when the kill lands.
        let k = 0;
        await load(r, server, lockIds, ledger, `t${trial}`, () => k++ > 12);
      }
      await sleep(killAfter);
      server.child.kill('SIGKILL');
      const how = await server.exited;
      stopped = true;
      await running;
      if (how !== 'SIGKILL') losses.push(`trial ${trial}: the server exited by itself (${how})`);
      // Restart: the new process must finish what the killed one started.
      server = await serve(database.url, dataDir);
      const store = await openStore({
        db: database.url,
        secretKey: TEST_KEY,
        dataDir: '/nonexistent',
        env: {},
      });
      try {
        const open = await converged(store, 60_000);
        if (open) losses.push(`trial ${trial}: no convergence after the restart: ${open}`);
        await check(store, join(dataDir, 'sim-locks'), ledger, losses, trial);
      } finally {
        await store.close();
      }
      server.child.kill('SIGTERM');
      await server.exited;
      server = null;
      for (const loss of losses.slice(reported)) log(`soak ${opts.dialect} LOSS ${loss}`);
      reported = losses.length;
      log(
        `soak ${opts.dialect} trial ${trial}/${opts.trials}: killed ${underLoad ? 'under load' : 'while reconciling'} after ${killAfter} ms; ${ledger.created.size} created, ${ledger.revoked.size} revoked so far; ${losses.length} losses`,
      );
      if (losses.length > 20) break;
    }
  } finally {
    if (server) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    if (process.env.KEYWARD_SOAK_KEEP) log(`kept: database ${database.url}, data ${dataDir}`);
    else {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return {
    dialect: opts.dialect,
    seed: opts.seed,
    trials: done,
    created: ledger.created.size,
    revoked: ledger.revoked.size,
    cutOff: ledger.unknownCreations.size + ledger.unknownRevocations.size,
    losses,
    ms: Date.now() - started,
  };
}
