// First page of the UI usable (issue 8: within 1 s of loading): a cold browser context loads the
// page from `keyward serve` (another process) until the sign-in field is on screen, and, signed
// in, until the dashboard lists the demo's locks. Debian's Chromium, headless, 5 loads each.
// Run: npm run build && node bench/http-first-page.mjs
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { machine, startServer } from './http-support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.log(JSON.stringify({ bench: 'http-first-page', skipped: `no Chromium at ${CHROMIUM}` }));
  process.exit(0);
}
const RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer(['--demo']);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const signIn = [];
  const dashboard = [];
  for (let i = 0; i < RUNS; i++) {
    // A fresh context each time: nothing cached, as on a first visit.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(server.url);
    await page.locator('#token').waitFor();
    signIn.push(await page.evaluate(() => performance.now()));
    await ctx.close();

    const ctx2 = await browser.newContext();
    await ctx2.addInitScript((t) => sessionStorage.setItem('keyward.token', t), server.token);
    const page2 = await ctx2.newPage();
    await page2.goto(server.url);
    await page2.locator('.cards li').first().waitFor();
    dashboard.push(await page2.evaluate(() => performance.now()));
    await ctx2.close();
  }
  const ms = (xs) => xs.map((x) => Math.round(x));
  console.log(
    JSON.stringify(
      {
        bench: 'http-first-page',
        runs: RUNS,
        signInUsableMs: { median: Math.round(median(signIn)), all: ms(signIn) },
        dashboardUsableMs: { median: Math.round(median(dashboard)), all: ms(dashboard) },
        target: { usableMs: 1000 },
        machine: machine(),
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await server.stop();
}
