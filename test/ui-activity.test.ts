import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from '../src/server/serve.js';
import { httpReceiver } from './notify/receivers.js';
import { launchChromium, skipWithoutChromium } from './support/chromium.js';
import { SHOTS } from './support/ui-server.js';

const ROOT = join(import.meta.dirname, '..');
const CODE = '482913';

/**
 * Activity and notifications in a real browser: a guest opens a simulated lock at its keypad
 * (over the API, as a person at the door), the host sees it on the activity page and the lock's
 * page, and adds an ntfy topic (a local receiver) that receives a test.
 */
describe.skipIf(skipWithoutChromium('the activity UI suite'))(
  'activity and notifications in Chromium',
  () => {
    let dir: string;
    let r: Running;
    let browser: Browser;
    let page: Page;
    let token = '';
    let lockId = '';
    const ntfy = httpReceiver();
    const shot = (name: string) =>
      page.screenshot({ path: join(SHOTS, `activity-${name}.png`), fullPage: true });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'keyward-ui-activity-'));
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
      r = await startServer({
        port: 0,
        dataDir: join(dir, 'data'),
        env: {},
        logLevel: 'error',
        simLatencyMs: 5,
        web: join(dir, 'web'),
        allowPrivateUrls: true,
      });
      token = r.admin.kind === 'created' ? r.admin.token : '';
      const site = await r.store.addSite({ name: 'Cabins' });
      const lock = await r.store.addLock({
        siteId: site.id,
        name: 'Front door',
        model: '264',
        driver: 'sim',
      });
      lockId = lock.id;
      await r.store.addCredential({
        name: 'Smith family',
        code: CODE,
        kind: 'guest',
        lockIds: [lockId],
        startsAt: Date.now() - 60_000,
        endsAt: Date.now() + 86_400_000,
      });
      r.sync.nudge([lockId]);
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      page.on('pageerror', (e) => {
        throw e;
      });
      await page.goto(r.url);
      await page.getByLabel('API token').fill(token);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Locks', level: 1 }).waitFor();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await r?.close();
      await (await ntfy).close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows the guest arriving on the activity page, filtered by kind, and on the lock page', {
      timeout: 90_000,
    }, async () => {
      await page.getByRole('link', { name: 'Activity' }).click();
      await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
      await page
        .getByText('The code for Smith family is now on the lock at Front door')
        .waitFor({ timeout: 20_000 });
      const res = await fetch(`${r.url}/api/v1/locks/${lockId}/keypad`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [...[...CODE].map((d) => ({ press: d })), { press: 'kwikset' }] }),
      });
      expect(((await res.json()) as { bolt: string }).bolt).toBe('unlocked');
      // A new filter reloads: "Guest arrived" only.
      await page.waitForTimeout(300);
      await page.getByLabel('What').selectOption('guest.arrived');
      await page.getByText('Smith family arrived at Front door').waitFor({ timeout: 10_000 });
      expect(await page.locator('ul.events li').count()).toBe(1);
      await shot('1-guest-arrived');
      await page.getByLabel('What').selectOption('');
      await page.getByText('Smith family used their code at Front door').waitFor();
      expect(await page.content()).not.toContain(CODE);
      await shot('2-all');
      await page.goto(`${r.url}/#/locks/${lockId}`);
      await page.getByRole('heading', { name: 'Recent activity' }).waitFor();
      await page.getByText('Smith family used their code').waitFor();
      await page.getByLabel('Code typed at the keypad').fill('1234');
      await page.getByRole('button', { name: 'Try the door' }).click();
      await page.getByRole('status').getByText('The door stayed locked').waitFor();
      await page.getByLabel('Code typed at the keypad').fill(CODE);
      await page.getByRole('button', { name: 'Try the door' }).click();
      await page.getByRole('status').getByText('The door opened').waitFor();
      await shot('3-lock-page');
      await page.getByRole('link', { name: 'All activity' }).click();
      await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
      // The lock list arrives after the page: the filter shows the lock once its option exists.
      await expect.poll(() => page.locator('form.filters select').first().inputValue()).toBe(lockId);
      await page.getByText('Smith family used their code at Front door').first().waitFor();
      expect(await page.getByText('Smith family used their code at Front door').count()).toBe(2);
    });

    it('adds an ntfy topic, sends a test to it and shows the delivery', { timeout: 60_000 }, async () => {
      const rx = await ntfy;
      await page.getByRole('link', { name: 'Notifications' }).click();
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      await page.getByLabel('How').selectOption('ntfy');
      await page.getByLabel('Topic address').fill(`${rx.url}/cabins`);
      await page.getByLabel('Name (optional)').fill('My phone');
      await page.getByLabel('Guest arrived').check();
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('status').getByText('Added My phone.').waitFor();
      await page.getByRole('button', { name: 'Send a test to My phone' }).click();
      await page.getByRole('button', { name: 'Deliveries of My phone' }).click();
      await page.locator('tr[data-status="delivered"]').waitFor({ timeout: 10_000 });
      expect(rx.received.some((x) => x.body.includes('This is a test from Keyward'))).toBe(true);
      await shot('4-notifications');
    });
  },
);
