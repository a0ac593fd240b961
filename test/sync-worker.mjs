// A reconciler process over simulated locks kept in files, run by sync-restart.test.ts and
// sync-leases.test.ts against transpiled sources. Arguments: the transpiled src directory, the
// database URL, the directory of lock files and a JSON of options; the key comes in
// KEYWARD_SECRET_KEY. Prints one line per confirmed op and "converged" when nothing is left.
const [srcDir, db, lockDir, optionsJson] = process.argv.slice(2);
const opts = JSON.parse(optionsJson ?? '{}');
const { openStore } = await import(`${srcDir}/store/index.js`);
const { systemClock } = await import(`${srcDir}/sync/clock.js`);
const { SimLock } = await import(`${srcDir}/sync/sim-driver.js`);
const { Reconciler } = await import(`${srcDir}/sync/reconciler.js`);
const { SiteLeases } = await import(`${srcDir}/sync/leases.js`);

const store = await openStore({ db, dataDir: '/nonexistent', actor: opts.holder ?? `worker-${process.pid}` });
const sims = new Map();
let leases = null;
const reconciler = new Reconciler({
  store,
  clock: systemClock,
  driverFor: (lock) => {
    const sim = new SimLock({
      model: lock.model,
      clock: systemClock,
      latencyMs: opts.latencyMs ?? 10,
      file: `${lockDir}/${lock.id}.json`,
    });
    sims.set(lock.id, sim);
    return sim;
  },
  mayWork: (siteId) => (leases ? leases.holds(siteId) : true),
});
if (opts.leaseMs) {
  leases = new SiteLeases({ store, clock: systemClock, holder: opts.holder, ttlMs: opts.leaseMs });
  leases.onAcquired(async (siteId) => {
    process.stdout.write(`acquired ${siteId}\n`);
    const locks = await store.listLocks(siteId);
    await reconciler.start(locks.map((l) => l.id));
  });
  await leases.start();
} else {
  await reconciler.start();
}
const origin = reconciler.stats;
let last = 0;
for (;;) {
  await new Promise((r) => setTimeout(r, 20));
  if (origin.opsConfirmed > last) {
    process.stdout.write(`confirmed ${origin.opsConfirmed}\n`);
    last = origin.opsConfirmed;
  }
  if (!reconciler.idle()) continue;
  const open = await store.ctx.db
    .selectFrom('credential_locks')
    .select('lock_id')
    .where('status', 'in', ['unset', 'setting', 'removing'])
    .limit(1)
    .execute();
  if (open.length === 0 && !opts.stayAlive) {
    process.stdout.write('converged\n');
    reconciler.stop();
    await leases?.stop();
    await store.close();
    process.exit(0);
  }
}
