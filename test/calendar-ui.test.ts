import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from '../src/server/serve.js';
import { openStore } from '../src/store/index.js';
import { airbnb, FeedServer } from './support/calendar-feeds.js';
import { launchChromium, skipWithoutChromium } from './support/chromium.js';
import { SHOTS } from './support/ui-server.js';

/**
 * The Calendars page in Chromium: a host follows an Airbnb calendar (played by a local server),
 * picks the doors, sees each booking with its code's state on each door, and sees a failed check
 * with the bookings of the last good one still there.
 */
describe.skipIf(skipWithoutChromium('the calendar page suite'))('the Calendars page in Chromium', () => {
  const ROOT = join(import.meta.dirname, '..');
  let dir: string;
  let server: Running;
  let feeds: FeedServer;
  let browser: Browser;
  let page: Page;
  /** axe-core's serious and critical findings on the page as it stands. */
  const axe = async (): Promise<string[]> => {
    if (!(await page.evaluate('typeof window.axe !== "undefined"')))
      await page.evaluate(
        readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'),
      );
    return page.evaluate(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id + ': ' + v.help + ' ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
    );
  };
  const shot = (name: string) =>
    page.screenshot({ path: join(SHOTS, `calendar-${name}.png`), fullPage: true });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-calendar-ui-'));
    mkdirSync(SHOTS, { recursive: true });
    execFileSync(
      'npx',
      [
        'vite',
        'build',
        '--config',
        'web/vite.config.ts',
        '--outDir',
        join(dir, 'web'),
        '--logLevel',
        'error',
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    const dataDir = join(dir, 'data');
    const store = await openStore({ dataDir, env: {} });
    const site = await store.addSite({ name: 'Beach house', timeZone: 'America/New_York' });
    await store.addLock({ siteId: site.id, name: 'Front door', model: '264', driver: 'sim' });
    await store.addLock({ siteId: site.id, name: 'Garage', model: '914', driver: 'sim' });
    await store.close();
    feeds = await new FeedServer().start();
    const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    feeds.feeds.set('/beach.ics', {
      body: airbnb(
        [
          { uid: 'a', start: soon(-1), end: soon(2), code: 'HMUIAAAA01', phone: '4821' },
          { uid: 'b', start: soon(5), end: soon(9), code: 'HMUIBBBB02', phone: '7390' },
        ],
        [{ uid: 'blk', start: soon(12), end: soon(14) }],
      ),
    });
    server = await startServer({
      port: 0,
      dataDir,
      env: {},
      logLevel: 'error',
      simLatencyMs: 5,
      web: join(dir, 'web'),
      allowPrivateUrls: true,
    });
    if (server.admin.kind !== 'created') throw new Error('expected a first admin token');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (e) => {
      throw e;
    });
    await page.goto(server.url);
    await page.getByLabel('API token').fill(server.admin.token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Locks', level: 1 }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await feeds?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('follows a calendar with the doors picked and shows each booking reaching its doors', async () => {
    await page.getByRole('link', { name: 'Calendars' }).click();
    await page.getByRole('heading', { name: 'Calendars', level: 1 }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Beach house on Airbnb');
    await page.getByLabel('Calendar link (iCal / ICS export address)').fill(`${feeds.url}/beach.ics`);
    await page.getByLabel('Front door').check();
    await page.getByLabel('Garage').check();
    await page.getByRole('button', { name: 'Follow calendar' }).click();
    await page
      .getByRole('status')
      .getByText('Beach house on Airbnb is up to date: 2 new bookings.')
      .waitFor();
    await page.getByRole('button', { name: 'Show bookings of Beach house on Airbnb' }).click();
    await page.locator('tr[data-booking="active"]').nth(1).waitFor();
    // The guest staying now gets their code on both doors; the next guest's waits for their day.
    await page
      .locator('tr[data-booking="active"]')
      .first()
      .getByText('Set', { exact: false })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('tr[data-booking]').count()).toBe(2);
    await shot('1-followed');
    expect(await axe()).toEqual([]);
  });

  it('shows a failed check in plain words and keeps the bookings of the last good one', async () => {
    feeds.feeds.set('/beach.ics', { body: '', status: 500 });
    await page.getByRole('button', { name: 'Check now Beach house on Airbnb' }).click();
    await page
      .getByRole('alert')
      .getByText(/could not be checked: the calendar's address answered 500/)
      .waitFor();
    await page
      .locator('[data-problem]')
      .getByText(/bookings below are from the last good check/)
      .waitFor();
    expect(await page.locator('tr[data-booking="active"]').count()).toBe(2);
    await shot('2-failed');
    expect(await axe()).toEqual([]);
  });
});
