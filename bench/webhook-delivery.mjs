// Webhooks to a local receiver: events arrive through sync's events port at a steady rate
// (default 1,500 a second for 4 s) to one webhook subscribed to every kind; the recorder writes
// them with their outbox rows and the worker delivers them (signed, keep-alive) to a receiver in
// this process. Prints deliveries per second and event-to-delivery latency (p50/p99: from the
// event's publication to the receiver's read of its body). Then a backlog of 10,000 queued at
// once, drained as fast as the worker can (deliveries/s). SQLite, and PostgreSQL when reachable.
// Run: npm run build && node bench/webhook-delivery.mjs [rate] [seconds] [sqlite|postgres|both]
import http from 'node:http';
import { ActivityRecorder } from '../dist/activity/recorder.js';
import { newWebhookSecret } from '../dist/notify/signature.js';
import { Notifier } from '../dist/notify/worker.js';
import { recordActivity } from '../dist/store/activity.js';
import { addSubscription } from '../dist/store/subscriptions.js';
import { systemClock } from '../dist/sync/clock.js';
import { SyncEvents } from '../dist/sync/events.js';
import { benchStore, pct, perDialect } from './sync-seed.mjs';

const RATE = Number(process.argv[2] ?? 1_500);
const SECONDS = Number(process.argv[3] ?? 4);
const WHICH = process.argv[4] ?? 'both';
const BACKLOG = 10_000;
const BASE = 1_700_000_000_000;

async function receiver(onBody) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      onBody(Buffer.concat(chunks).toString(), performance.now());
      res.writeHead(204);
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

async function run(dialect) {
  const { store, dispose } = await benchStore(dialect, systemClock, 'webhooks');
  const offeredAt = new Map();
  const latencies = [];
  let received = 0;
  const rx = await receiver((body, t) => {
    received++;
    const at = JSON.parse(body).data.at;
    const sent = offeredAt.get(at);
    if (sent !== undefined) latencies.push(t - sent);
  });
  await addSubscription(store.ctx, {
    name: 'bench',
    channel: 'webhook',
    target: rx.url,
    events: ['*'],
    secret: newWebhookSecret(),
  });
  const notifier = new Notifier({
    store,
    baseUrl: 'http://k',
    allowPrivate: true,
    batch: 500,
    idleMs: 1_000,
  });
  const recorder = new ActivityRecorder({ store, onRecorded: (r) => r.deliveries > 0 && notifier.wake() });
  const events = new SyncEvents();
  events.subscribe(recorder.listener);
  notifier.start();
  const total = RATE * SECONDS;
  const t0 = performance.now();
  let offered = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.round(((performance.now() - t0) / 1000) * RATE));
      const batch = [];
      for (; offered < due; offered++) {
        offeredAt.set(BASE + offered, performance.now());
        batch.push({
          type: 'lock-event',
          lockId: `lock_${offered % 50}`,
          event: { type: 'code-used', slot: 1 + (offered % 30), at: BASE + offered },
        });
      }
      events.publish(batch);
      if (offered >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  while (received < total) await new Promise((r) => setTimeout(r, 20));
  const steadyWall = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  // A backlog: 10,000 events queued in one transaction, then drained.
  const rows = Array.from({ length: BACKLOG }, (_, i) => ({
    at: BASE + total + i,
    type: 'code.used',
    lockId: 'lock_x',
    credentialId: null,
    personId: null,
    slot: 1,
    detail: {},
  }));
  await recordActivity(store.ctx, rows);
  const before = received;
  const d0 = performance.now();
  notifier.wake();
  while (received < before + BACKLOG) await new Promise((r) => setTimeout(r, 10));
  const drainSeconds = (performance.now() - d0) / 1000;
  await notifier.stop();
  await recorder.close();
  await rx.close();
  await dispose();
  return {
    dialect,
    steady: {
      target: `${RATE} events/s for ${SECONDS} s`,
      delivered: total,
      deliveriesPerSecond: Math.round(total / steadyWall),
      eventToDeliveryMs: {
        p50: +pct(latencies, 50).toFixed(1),
        p99: +pct(latencies, 99).toFixed(1),
        max: +latencies.at(-1).toFixed(1),
      },
    },
    backlog: {
      deliveries: BACKLOG,
      seconds: +drainSeconds.toFixed(2),
      deliveriesPerSecond: Math.round(BACKLOG / drainSeconds),
    },
  };
}

await perDialect(WHICH, run);
