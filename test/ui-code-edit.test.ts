import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from './support/chromium.js';
import { scrollWidth, startUiServer, type UiServer } from './support/ui-server.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DAY = 86_400_000;

/**
 * A stay changed in the browser, at desktop and phone sizes: the edit form opens prefilled, says
 * when weekly hours would send someone to a keypad-only door every day, and saves the same code
 * in the same slot. The add form points out non-digits and shows the advice while typing.
 * Screenshots go to /tmp/keyward-edit-*.png.
 */
describe.skipIf(skipWithoutChromium('the code edit UI suite'))('changing a code in Chromium', () => {
  let server: UiServer;
  let browser: Browser;
  let credentialId = '';
  let frontSlot = 0;

  beforeAll(async () => {
    server = await startUiServer(async (store) => {
      const site = await store.addSite({ name: 'Beach house', timeZone: 'Europe/London' });
      const front = await store.addLock({ siteId: site.id, name: 'Front door', model: '264', driver: 'sim' });
      await store.addLock({ siteId: site.id, name: 'Cabin', model: '910', driver: 'manual' });
      const c = await store.addCredential({
        name: 'Smith family',
        code: '482913',
        kind: 'guest',
        lockIds: [front.id],
        startsAt: Date.now() + DAY,
        endsAt: Date.now() + 3 * DAY,
      });
      credentialId = c.id;
      frontSlot = c.locks[0]!.slot;
      return [{ lockId: front.id, model: '264', slots: {} }];
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(width: number, height: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    page.on('pageerror', (e) => {
      throw e;
    });
    await page.goto(server.url);
    await page.getByLabel('API token').fill(server.token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Locks', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'People & codes' }).click();
    await page.getByRole('heading', { name: 'People & codes', level: 1 }).waitFor();
    return page;
  }

  async function seriousAxe(page: Page): Promise<string[]> {
    if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
    return page.evaluate(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
    );
  }

  for (const [size, width, height] of [
    ['desktop', 1200, 900],
    ['phone', 390, 844],
  ] as const) {
    it(`opens a prefilled edit form, warns about daily visits to a keypad-only door, and saves in place (${size})`, async () => {
      const page = await signedIn(width, height);
      await page.getByRole('button', { name: 'Edit Smith family' }).click();
      const form = page.locator('.edit-code');
      await form.getByLabel('Name of the code').waitFor();
      expect(await form.getByLabel('Name of the code').inputValue()).toMatch(/^Smith family/);
      expect(await form.getByLabel('Leaves (Europe/London)').inputValue()).toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/,
      );
      expect(await form.getByLabel(/Front door/).isChecked()).toBe(true);
      // The phone run meets the code as the desktop run left it: on the cabin too.
      expect(await form.getByLabel(/Cabin/).isChecked()).toBe(size === 'phone');

      await form.getByLabel(/Cabin/).check();
      await form.getByRole('button', { name: 'Add weekly hours' }).click();
      await form
        .getByText(
          /Cabin is keypad-only: with weekly hours someone has to go to the door about 10 times a week/,
        )
        .waitFor();
      expect(await seriousAxe(page)).toEqual([]);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `/tmp/keyward-edit-${size}.png`, fullPage: true });

      // Back to all hours, one more night, a new name: saved as the same code in the same slot.
      await form.getByRole('button', { name: 'Remove hours 1' }).click();
      const leaves = await form.getByLabel('Leaves (Europe/London)').inputValue();
      const later = new Date(`${leaves}:00Z`);
      later.setUTCDate(later.getUTCDate() + 1);
      await form.getByLabel('Leaves (Europe/London)').fill(later.toISOString().slice(0, 16));
      await form.getByLabel('Name of the code').fill(`Smith family (${size})`);
      await form.getByRole('button', { name: 'Save changes' }).click();
      await page
        .getByRole('status')
        .getByText(`Saved "Smith family (${size})": the same code, in the same slots.`)
        .waitFor();
      const saved = (await page.evaluate(
        async ([id, token]) =>
          (
            await fetch(`/api/v1/credentials/${id}?reveal=true`, {
              headers: { authorization: `Bearer ${token}` },
            })
          ).json(),
        [credentialId, server.token] as const,
      )) as { code: string; locks: Array<{ lockName: string; slot: number }> };
      expect(saved.code).toBe('482913');
      expect(saved.locks.find((l) => l.lockName === 'Front door')?.slot).toBe(frontSlot);
      expect(saved.locks.map((l: { lockName: string }) => l.lockName).sort()).toEqual([
        'Cabin',
        'Front door',
      ]);
      await page.close();
    }, 60_000);
  }

  it('points out a non-digit at once, never strips it, and shows the advice while typing', async () => {
    const page = await signedIn(390, 844);
    const add = page.locator('#add-code-h').locator('..');
    const field = add.getByLabel(/^Code \(leave empty/);
    await field.fill('12a4');
    await add.getByText('Only the digits 0-9 go into a code').waitFor();
    expect(await field.inputValue()).toBe('12a4');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('1234');
    await add.locator('.advice li').first().waitFor();
    const advice = await add.locator('.advice').textContent();
    expect(advice).toMatch(/1234/);
    expect(await add.getByLabel(/^Arrives \(Europe\/London\)/).inputValue()).toMatch(/T(16:00|\d{2}:\d{2})$/);
    expect(await add.getByLabel(/^Leaves \(Europe\/London\)/).inputValue()).toMatch(/T11:00$/);
    await page.screenshot({ path: '/tmp/keyward-add-advice-phone.png', fullPage: true });
    await page.close();
  }, 60_000);

  it('names whose code a typed one clashes with and offers to generate one instead', async () => {
    const page = await signedIn(1200, 900);
    const add = page.locator('#add-code-h').locator('..');
    await add.getByLabel('Permanent').check();
    await add.getByLabel('Name of the code').fill('Ann');
    await add.getByLabel(/Cabin/).uncheck();
    await add.getByLabel(/^Code \(leave empty/).fill('482977');
    await add.getByRole('button', { name: 'Add code', exact: true }).click();
    await add
      .getByRole('alert')
      .getByText(/clashes with the code of "Smith family/)
      .waitFor();
    expect(await add.getByRole('alert').textContent()).not.toMatch(/lock_|4829/);
    await add.getByRole('button', { name: 'Generate one instead' }).click();
    await add.getByText('Created "Ann" on 1 lock.').waitFor();
    expect(await add.locator('[role=status] output.code').textContent()).toMatch(/^[0-9]{4,8}$/);
    await page.screenshot({ path: '/tmp/keyward-clash-desktop.png', fullPage: true });

    // The lock page offers the same edit on each code it holds.
    await page.getByRole('link', { name: 'Locks', exact: true }).click();
    await page.getByRole('link', { name: 'Front door' }).click();
    // (Smith family's stay starts tomorrow: the lock page lists what the lock holds now.)
    await page.getByRole('button', { name: 'Edit Ann' }).click();
    await page.getByRole('heading', { name: 'Change Ann' }).waitFor();
    await page.getByLabel('Name of the code').fill('Ann B');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText('Saved "Ann B": the same code, in the same slots.').waitFor();
    await page.screenshot({ path: '/tmp/keyward-lock-edit-desktop.png', fullPage: true });
    await page.close();
  }, 60_000);
});
