// The dashboard of a large portfolio (issue 15 §9): 200 locks and 2,000 codes. Target: the lock
// cards rendered within 1 s of loading in Chromium, and each key API action answering within
// 200 ms. `keyward serve --no-sync` runs in another process on a register seeded beforehand (150
// simulated locks with their codes confirmed, 50 keypad-only locks with visits to make; guests
// arriving and leaving through the week, cleaners on weekday windows), so nothing moves while it
// is measured. Debian's Chromium, headless; a fresh browser context per load.
// Run: npm run build && node bench/dashboard-200-locks.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { isActive } from '../dist/core/access/schedule.js';
import { openStore } from '../dist/store/index.js';
import { machine } from './http-support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.log(JSON.stringify({ bench: 'dashboard-200-locks', skipped: `no Chromium at ${CHROMIUM}` }));
  process.exit(0);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOCKS = 200;
const PER_LOCK = 10;
const LOADS = 5;
const CALLS = 15;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);

const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-dash-'));
const dataDir = join(dir, 'data');
const db = join(dir, 'keyward.db');
const env = { ...process.env, KEYWARD_DATA_DIR: dataDir, KEYWARD_ADMIN_TOKEN: '' };

const scheduleOfInput = (i) => ({
  startsAt: i.startsAt ?? null,
  endsAt: i.endsAt ?? null,
  windows: i.windows ?? [],
  useLimit: null,
});

async function seed() {
  const store = await openStore({ db, dataDir, env });
  const now = Date.now();
  const site = await store.addSite({ name: 'Portfolio' });
  const locks = [];
  for (let i = 0; i < LOCKS; i++)
    locks.push(
      await store.addLock({
        siteId: site.id,
        name: i % 4 === 3 ? `Cabin ${i}` : `Door ${i}`,
        model: '264',
        driver: i % 4 === 3 ? 'manual' : 'sim',
      }),
    );
  let n = 0;
  const active = [];
  for (const [j, lock] of locks.entries()) {
    for (let k = 0; k < PER_LOCK; k++) {
      // Distinct first four digits on each lock: a Kwikset refuses two codes sharing them.
      const code = `${1000 + k * 800 + (j % 800)}${String(n % 100).padStart(2, '0')}`;
      const name = `Guest ${n}`;
      const input = { name, code, lockIds: [lock.id] };
      if (k < 3) {
        const start = now + ((n % 14) - 4) * 12 * HOUR;
        Object.assign(input, { kind: 'guest', startsAt: start, endsAt: start + 3 * DAY });
      } else if (k === 3) {
        Object.assign(input, {
          name: `Cleaner ${n}`,
          windows: [{ days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 12 * 60 }],
        });
      }
      const c = await store.addCredential(input);
      if (lock.driver === 'sim' && isActive({ ...scheduleOfInput(input), uses: 0, revokedAt: null }, now, 0))
        active.push(c.id);
      n++;
    }
  }
  // The radio locks have confirmed every code wanted now; the keypad-only ones wait for a visit.
  for (let i = 0; i < active.length; i += 200)
    await store.ctx.db
      .updateTable('credential_locks')
      .set({ status: 'set' })
      .where('credential_id', 'in', active.slice(i, i + 200))
      .execute();
  const person = await store.addPerson({ name: 'Ana Lima' });
  await store.close();
  return { lockId: locks[0].id, personId: person.id, codes: n };
}

async function serve() {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'keyward.js'), 'serve', '--port', '0', '--db', db, '--log-level', 'warn', '--no-sync'],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m && out.includes('Sync:')) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  return { child, url, token };
}

const seeded = await seed();
const server = await serve();
const call = async (method, path, body) => {
  const t = performance.now();
  const r = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await r.json();
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return { ms, json };
};

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const list = (await call('GET', '/api/v1/locks')).json.locks;
  const states = {};
  for (const l of list) states[l.state] = (states[l.state] ?? 0) + 1;

  // Usable: every lock card on screen, as a host opening the dashboard sees it.
  const dashboard = [];
  const people = [];
  for (let i = 0; i < LOADS; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await ctx.addInitScript((t) => sessionStorage.setItem('keyward.token', t), server.token);
    const page = await ctx.newPage();
    await page.goto(server.url);
    await page.locator(`.cards > li:nth-child(${LOCKS})`).waitFor();
    dashboard.push(await page.evaluate(() => performance.now()));
    // The people page with its 2,000 codes (the first 60 drawn, the rest found by search),
    // opened from the dashboard: usable once the cards show where each code stands.
    const t = await page.evaluate(() => performance.now());
    await page.getByRole('link', { name: 'People & codes' }).click();
    await page.locator('.codes > li:nth-child(60) [data-phase]').first().waitFor();
    people.push((await page.evaluate(() => performance.now())) - t);
    await ctx.close();
  }

  // The key actions, each timed end to end from this process.
  const actions = {};
  const time = async (label, fn) => {
    const ms = [];
    for (let i = 0; i < CALLS; i++) ms.push(await fn(i));
    actions[label] = { medianMs: Math.round(median(ms)), maxMs: Math.round(max(ms)) };
  };
  const timed = async (...a) => (await call(...a)).ms;
  await time('GET /api/v1/locks (200 locks, state and upcoming)', () => timed('GET', '/api/v1/locks'));
  await time('GET /api/v1/locks?codes=true', () => timed('GET', '/api/v1/locks?codes=true'));
  await time('GET /api/v1/locks/{id}', () => timed('GET', `/api/v1/locks/${seeded.lockId}`));
  await time('GET /api/v1/credentials?includeRevoked=true (2,000)', () =>
    timed('GET', '/api/v1/credentials?includeRevoked=true'),
  );
  await time('GET /api/v1/status', () => timed('GET', '/api/v1/status'));
  await time('GET /api/v1/past-guests?q=guest', () => timed('GET', '/api/v1/past-guests?q=guest'));
  const created = [];
  await time('POST /api/v1/credentials (add a guest)', async (i) => {
    const r = await call('POST', '/api/v1/credentials', {
      name: `Bench ${i}`,
      kind: 'guest',
      generate: true,
      lockIds: [seeded.lockId],
      startsAt: Date.now() + DAY,
      endsAt: Date.now() + 3 * DAY,
    });
    created.push(r.json.id);
    return r.ms;
  });
  await time('DELETE /api/v1/credentials/{id} (revoke)', (i) =>
    timed('DELETE', `/api/v1/credentials/${created[i]}`),
  );
  await time('PATCH /api/v1/locks/{id} (rename)', (i) =>
    timed('PATCH', `/api/v1/locks/${seeded.lockId}`, { name: `Door 0 (${i})` }),
  );
  await time('PATCH /api/v1/people/{id} (rename)', (i) =>
    timed('PATCH', `/api/v1/people/${seeded.personId}`, { name: `Ana Lima ${i}` }),
  );
  const slowest = Math.max(...Object.values(actions).map((a) => a.medianMs));
  console.log(
    JSON.stringify(
      {
        bench: 'dashboard-200-locks',
        locks: LOCKS,
        codes: seeded.codes,
        lockStates: states,
        dashboardCardsRenderedMs: { median: Math.round(median(dashboard)), all: dashboard.map(Math.round) },
        peoplePageUsableMs: { median: Math.round(median(people)), all: people.map(Math.round) },
        actions,
        target: { dashboardMs: 1000, actionMs: 200 },
        pass: median(dashboard) < 1000 && slowest < 200,
        machine: machine(),
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
