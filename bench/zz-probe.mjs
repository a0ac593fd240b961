import { chromium } from 'playwright-core';
const [url, token] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
for (let i = 0; i < 3; i++) {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await ctx.addInitScript((t) => sessionStorage.setItem('keyward.token', t), token);
  const page = await ctx.newPage();
  await page.goto(url);
  await page.locator('.cards > li:nth-child(200)').waitFor();
  const r = await page.evaluate(() => ({
    now: performance.now(),
    res: performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.responseEnd), e.transferSize]),
    dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
  }));
  console.log(JSON.stringify(r));
  await ctx.close();
}
await browser.close();
