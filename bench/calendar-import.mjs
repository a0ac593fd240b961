// Issue 16 §4: importing a calendar of 1,000 bookings into credentials on 5 locks, under 1 s
// of CPU. A local server (in this process, so its CPU counts too) plays an Airbnb feed of 1,000
// reservations, each with the guest's phone digits; one refresh reads it, matches it and makes
// the 1,000 guest codes on 5 locks (5,000 lock assignments, every code checked against each
// lock's rules and the codes placed before it). Then a second refresh of the unchanged feed and
// a third with new UIDs for every booking, as platforms do. Reports CPU and wall time of each.
// Run: npm run build && node bench/calendar-import.mjs
//      KEYWARD_BENCH_DB=postgres node bench/calendar-import.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchDatabase, machine } from './http-support.js';

const BOOKINGS = Number(process.argv[2] ?? 1000);
const LOCKS = 5;
const root = process.env.KEYWARD_BENCH_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
const { openStore } = await import(dist('store/index.js'));
const { addCalendar, getCalendar } = await import(dist('store/calendars.js'));
const { refreshCalendar } = await import(dist('calendar/refresh.js'));

const DAY = 86_400_000;
const first = Date.UTC(2027, 0, 1);
const ymd = (t) => new Date(t).toISOString().slice(0, 10).replaceAll('-', '');
// A fixed pseudo-random phone per booking, so every run draws the same clashes.
let seed = 12345;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed;
};
function feed(uidPrefix) {
  seed = 12345;
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN'];
  for (let i = 0; i < BOOKINGS; i++) {
    const start = first + i * 4 * DAY;
    const phone = String(rand() % 10000).padStart(4, '0');
    lines.push(
      'BEGIN:VEVENT',
      `DTSTART;VALUE=DATE:${ymd(start)}`,
      `DTEND;VALUE=DATE:${ymd(start + 3 * DAY)}`,
      'SUMMARY:Reserved',
      `UID:${uidPrefix}-${i}@airbnb.com`,
      `DESCRIPTION:Reservation URL: https://www.airbnb.com/hosting/reservations/details/HM${String(i).padStart(8, '0')}\\nPhone Number (Last 4 Digits): ${phone}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

let body = feed('a');
const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end(body));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/listing.ics`;

const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
const db = await benchDatabase(dir);
const store = await openStore({ db: db.url, secretKey: Buffer.alloc(32, 7), dataDir: dir, env: {} });
try {
  const listing = async (name) => {
    const site = await store.addSite({ name, timeZone: 'America/New_York' });
    const lockIds = [];
    for (let i = 0; i < LOCKS; i++)
      lockIds.push((await store.addLock({ siteId: site.id, name: `Door ${i}`, model: '264' })).id);
    return addCalendar(store.ctx, { name, url, lockIds });
  };
  // Two listings of 5 locks each: the first import in this process also loads the ICS library
  // (node-ical and its Temporal polyfill, once per process); the second is a running server's.
  const cold = await listing('Listing A');
  const cal = await listing('Listing B');
  const rt = { allowPrivateUrls: true };
  const measure = async (id = cal.id) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const answer = await refreshCalendar(store, id, rt);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { answer, cpuMs: Math.round((cpu.user + cpu.system) / 1000), wallMs: Math.round(ms) };
  };
  const load = loadavg()[0];
  const importCold = await measure(cold.id);
  const importRun = await measure();
  const unchanged = await measure();
  body = feed('reissued');
  const newUids = await measure();
  const after = await getCalendar(store.ctx, cal.id);
  const active = after.bookings.filter((b) => b.status === 'active');
  const audit = await store.verifyAudit();
  if (!audit.ok) throw new Error('audit chain broken');
  for (const run of [importCold, importRun])
    if (run.answer.added !== BOOKINGS)
      throw new Error(
        `only ${run.answer.added} added: ${JSON.stringify(run.answer)} ${JSON.stringify(after.bookings.filter((b) => b.problem).slice(0, 3))}`,
      );
  console.log(
    JSON.stringify(
      {
        bench: 'calendar-import',
        dialect: db.dialect,
        bookings: BOOKINGS,
        locks: LOCKS,
        importFirstInProcess: importCold,
        import: importRun,
        refreshUnchanged: unchanged,
        refreshNewUids: newUids,
        activeBookings: active.length,
        phoneCodes: 'the rest drew random codes where a phone prefix clashed',
        loadavg1mAtStart: Number(load.toFixed(2)),
        machine: machine(),
      },
      null,
      2,
    ),
  );
} finally {
  await store.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
  server.close();
}
