import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from './support/chromium.js';
import { SHOTS, startUiServer, type UiServer } from './support/ui-server.js';

/** Issue 15 §7 in a real browser: open the link the server printed and land signed in. */
describe.skipIf(skipWithoutChromium('the sign-in link suite'))(
  'signing in by the printed link, in Chromium',
  () => {
    let server: UiServer;
    let browser: Browser;
    beforeAll(async () => {
      server = await startUiServer();
      browser = await launchChromium();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('lands on the dashboard signed in, with the secret gone from the address bar, and signs out for good', async () => {
      const link = server.server.signIn!.url;
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => {
        throw e;
      });
      await page.goto(link);
      await page.getByRole('heading', { name: 'Locks', level: 1 }).waitFor();
      expect(page.url()).toBe(`${server.url}/`);
      expect(await page.getByRole('button', { name: 'Sign out (admin)' }).isVisible()).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'auth-signed-in-by-link.png'), fullPage: true });
      await page.screenshot({ path: '/tmp/auth-signed-in-by-link.png', fullPage: true });

      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({
        name: 'keyward_session',
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
      });
      expect(await page.evaluate<string>('document.cookie')).toBe('');
      expect(await page.evaluate<number>('sessionStorage.length + localStorage.length')).toBe(0);

      // A change made in the page passes the cross-site check: the browser says same-origin.
      await page.getByLabel('Name').fill('Garden gate');
      await page.getByLabel('Model').selectOption('264');
      await page.getByLabel('Connection').selectOption('sim');
      await page.getByRole('button', { name: 'Add lock' }).click();
      await page.getByRole('status').getByText('Added Garden gate.').waitFor();

      // Another browser opening the same link later gets nothing.
      const other = await browser.newContext();
      const late = await other.newPage();
      const answer = await late.goto(link);
      expect(answer?.status()).toBe(401);
      expect(await late.textContent('body')).toMatch(/used already or has expired/);
      await late.screenshot({ path: '/tmp/auth-link-used.png' });
      await other.close();

      await page.getByRole('button', { name: 'Sign out (admin)' }).click();
      await page.getByLabel('API token').waitFor();
      await page.reload();
      await page.getByLabel('API token').waitFor();
      await page.screenshot({ path: '/tmp/auth-signed-out.png', fullPage: true });
      // The cookie the browser may still hold is refused by the server.
      const me = await page.evaluate<number>("fetch('/api/v1/me').then((r) => r.status)");
      expect(me).toBe(401);
      await context.close();
    });
  },
);
