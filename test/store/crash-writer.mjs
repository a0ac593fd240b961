// Writes register changes in a loop until killed. Run by crash.test.ts against transpiled sources.
// Arguments: the transpiled src directory and the database URL; the key comes in KEYWARD_SECRET_KEY.
const [srcDir, db] = process.argv.slice(2);
const { openStore } = await import(`${srcDir}/store/index.js`);
const store = await openStore({ db, dataDir: '/nonexistent', actor: 'crash-writer' });
const sites = await store.listSites();
const site = sites[0] ?? (await store.addSite({ name: 'Crash site' }));
for (let i = 0; ; i++) {
  const lock = await store.addLock({ siteId: site.id, name: `Door ${process.pid}-${i}`, model: '264' });
  for (let k = 0; k < 20; k++) {
    await store.addCredential({ name: `Code ${k}`, code: String(1000 + k * 111), lockIds: [lock.id] });
    process.stdout.write('.');
  }
}
