import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from './support/chromium.js';
import { SHOTS, scrollWidth, startUiServer, type UiServer } from './support/ui-server.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1200, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * Issue 15 §5-7 in Chromium: troubleshooting the door you have, the practice keypad after a
 * mistake on a phone, the audit log in sentences, and dark mode, at desktop and phone sizes.
 * Screenshots go to test-output/ui-plain-*.png for a person to look at.
 */
describe.skipIf(skipWithoutChromium('the plain-words UI suite'))(
  'plain words in the web UI',
  { timeout: 120_000 },
  () => {
    let server: UiServer;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    let lockId = '';

    async function open(opts: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
      const context = await browser.newContext({ viewport: DESKTOP, ...opts });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => {
        throw e;
      });
      await page.goto(server.url);
      await page.getByLabel('API token').fill(server.token);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Locks', level: 1 }).waitFor();
      return page;
    }

    const shot = (page: Page, name: string, fullPage = true) =>
      page.screenshot({ path: join(SHOTS, `ui-plain-${name}.png`), fullPage });

    /** Serious and critical axe violations, named. */
    async function axe(page: Page): Promise<string[]> {
      if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
      const found = await page.evaluate<{ id: string; impact: string; nodes: { target: string[] }[] }[]>(
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
        id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
      );
      return found
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }

    beforeAll(async () => {
      server = await startUiServer(async (store) => {
        const site = await store.addSite({ name: 'Home' });
        const front = await store.addLock({
          siteId: site.id,
          name: 'Front door',
          model: '264',
          driver: 'sim',
        });
        lockId = front.id;
        await store.addLock({ siteId: site.id, name: 'Cabin 2', model: '910', driver: 'manual' });
        const ana = await store.addPerson({ name: 'Ana', siteId: site.id });
        await store.addCredential({ name: 'Ana', code: '29475', personId: ana.id, lockIds: [front.id] });
        await store.recordBattery(front.id, 1.32);
        return [{ lockId: front.id, model: '264', slots: {} }];
      });
      browser = await launchChromium();
      // The reconciler puts Ana's code on the simulated lock: wait until the lock confirms it.
      for (let i = 0; i < 200; i++) {
        const r = await fetch(`${server.url}/api/v1/locks/${lockId}`, {
          headers: { authorization: `Bearer ${server.token}` },
        });
        const view = (await r.json()) as { slots: { status: string }[] };
        if (view.slots.some((s) => s.status === 'set')) break;
        await new Promise((res) => setTimeout(res, 100));
      }
    }, 180_000);

    afterAll(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await server?.close();
    });

    it('shows the battery as a percentage with the volts beside it', async () => {
      const page = await open();
      await page.getByText('Battery 34% (1.32 V per cell)').first().waitFor();
      await shot(page, 'dashboard');
    });

    it('troubleshoots the door you have: which door first, its codes named, fixes as buttons, no command', async () => {
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const page = await open({ viewport });
        await page.goto(`${server.url}/#/troubleshoot`);
        await page.getByRole('group', { name: 'Which door?' }).waitFor();
        expect(await page.getByLabel('Front door (SmartCode 264 Deadbolt)').isChecked()).toBe(true);
        // A model is asked only for a lock Keyward does not know.
        expect(await page.getByLabel('Model').count()).toBe(0);
        await page.getByLabel('A lock Keyward does not know').check();
        await page.getByLabel('Model').waitFor();
        await page.getByLabel('Front door (SmartCode 264 Deadbolt)').check();
        await shot(page, `troubleshoot-1-${size}`);
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByLabel('Red flash and 3 beeps').check();
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByLabel('The code you typed (optional)').fill('29476');
        await page.getByRole('button', { name: 'Find the cause' }).click();
        await page.getByRole('heading', { name: 'Likely causes' }).waitFor();
        const answer = page.locator('section[aria-labelledby="causes-h"]');
        await answer
          .getByText(/What Keyward knows of Front door: 1 code, the battery at 34% \(1\.32 V per cell\)\./)
          .waitFor();
        const first = page.locator('ol.causes > li').first();
        expect(await first.locator('.tag').textContent()).toMatch(/^Most likely \(\d+%\)$/);
        expect(await first.textContent()).toContain('Ana’s code');
        const text = (await answer.textContent()) ?? '';
        expect(text).not.toMatch(/keyward |--op|--slot/);
        expect(text).not.toContain('29475');
        // The shares add up to 100% at most.
        const pcts = (await page.locator('ol.causes .tag').allTextContents()).map((t) =>
          Number(/(\d+)%/.exec(t)![1]),
        );
        expect(pcts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
        expect(await scrollWidth(page)).toBeLessThanOrEqual(viewport.width);
        await shot(page, `troubleshoot-causes-${size}`);
        expect(await axe(page)).toEqual([]);
        // A fix opens the guide on the practice keypad of the lock's model.
        await answer.getByRole('link', { name: 'Open the guide: Factory reset' }).first().click();
        await page.getByRole('heading', { name: 'Practise on a virtual keypad' }).waitFor();
        expect(page.url()).toContain('#/practise/264/factory-reset');
        expect(await page.getByLabel('Operation').inputValue()).toBe('factory-reset');
      }
    });

    it('says a wrong key and a time-out on the practice keypad, starts again from step 1, light and step in view on a phone', async () => {
      const page = await open({ viewport: PHONE, hasTouch: true, isMobile: true });
      await page.goto(`${server.url}/#/practise/264`);
      const guide = page.locator('section.guide');
      const next = async () => (await guide.getAttribute('data-next')) ?? '';
      const press = async (input: string) => {
        const exact = page.locator(`.lock [data-input='${input}'], .lock [data-alias='${input}']`);
        // On a 5-button pad a digit shares its button with another ("Key 7 8").
        const digit = /^\{"press":"([0-9])"\}$/.exec(input)?.[1];
        if ((await exact.count()) === 0 && digit)
          await page.locator(`.keypad button.key[aria-label~="${digit}"]`).click();
        else await exact.first().click();
      };
      // No internal words, no keyboard hints on a touch screen.
      expect(await page.locator('body').textContent()).not.toMatch(/mode:|slot-select|code-entry/);
      expect(await page.locator('.keyboard-hint').isVisible()).toBe(false);

      await press(await next());
      const expected = await next();
      const wrong = (
        await page
          .locator('.keypad button.key')
          .evaluateAll((b) => b.map((x) => x.getAttribute('data-input')))
      ).find((i) => i !== expected)!;
      // Scroll so the keys are under the thumb: the light and the step stay at the top of the screen.
      await page.locator('.keypad button.key').last().scrollIntoViewIfNeeded();
      await press(wrong);
      const bar = page.locator('.now-bar');
      await bar.getByText(/That was not the expected key.*start again from step 1/i).waitFor();
      await bar.getByText(/^Step 1 of \d+:/).waitFor();
      await page.locator('.keypad button.key').last().scrollIntoViewIfNeeded();
      const box = await bar.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(-1);
      expect(box!.y).toBeLessThan(10);
      expect(await page.evaluate('window.scrollY')).toBeGreaterThan(100);
      await shot(page, 'practise-mistake-phone', false);

      // A time-out part-way: the guide says so and starts again.
      await page.locator('.inside [data-input=\'{"wait":10000}\']').click();
      await press(await next());
      await page.locator('.inside [data-input=\'{"wait":10000}\']').click();
      await bar.getByText(/The lock timed out.*start again from step 1/i).waitFor();
      await shot(page, 'practise-timeout-phone', false);

      // From step 1 again, every step as the guide says, to the end.
      for (let i = 0; i < 60 && (await next()); i++) await press(await next());
      await page.locator('[data-finished="true"]').waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot(page, 'practise-done-phone');

      // The operations a fix opens have something to work on: a code to delete, a code to test.
      for (const path of ['practise/264/delete-user/3', 'practise/910/test-code']) {
        await page.goto(`${server.url}/#/${path}`);
        await guide.locator('ol.steps').waitFor();
        expect(await guide.getByRole('alert').count()).toBe(0);
        for (let i = 0; i < 60 && (await next()); i++) await press(await next());
        await page.locator('[data-finished="true"]').waitFor();
      }
      await shot(page, 'practise-test-code-phone');

      // A real pause at the keypad is a pause for the lock: longer than it allows, and it gives up.
      const timed = await open({ viewport: PHONE, hasTouch: true, isMobile: true });
      await timed.clock.install();
      await timed.goto(`${server.url}/#/practise/264`);
      const g = timed.locator('section.guide');
      const first = (await g.getAttribute('data-next')) ?? '';
      await timed.locator(`.lock [data-input='${first}']`).first().click();
      await timed.clock.fastForward(6_000);
      const second = (await g.getAttribute('data-next')) ?? '';
      await timed.locator(`.lock [data-input='${second}'], .lock [data-alias='${second}']`).first().click();
      await timed
        .locator('.now-bar')
        .getByText(/The lock timed out.*start again from step 1/i)
        .waitFor();
      await timed
        .locator('.now-bar')
        .getByText(/^Step 1 of \d+:/)
        .waitFor();
    });

    it('shows the audit log in sentences with names, filterable, sync steps folded', async () => {
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const page = await open({ viewport });
        await page.goto(`${server.url}/#/audit`);
        const list = page.getByRole('list', { name: 'Audit entries, newest first' });
        await list.getByText('Ana’s code added for Front door.').waitFor();
        await page
          .getByText(/^\d+ sync steps/)
          .first()
          .waitFor();
        await page.locator('.filters select').nth(2).selectOption('codes');
        expect(await list.locator('> li').count()).toBeGreaterThan(0);
        for (const kind of await list
          .locator('> li')
          .evaluateAll((l) => l.map((x) => x.getAttribute('data-kind'))))
          expect(kind).toBe('codes');
        await page.locator('.filters select').nth(2).selectOption('');
        await page.locator('.filters select').nth(1).selectOption({ label: 'Ana' });
        await list.getByText('Ana’s code added for Front door.').waitFor();
        await page.locator('.filters select').nth(0).selectOption({ label: 'Cabin 2' });
        expect(await list.getByText('Ana’s code added for Front door.').count()).toBe(0);
        await page.locator('.filters select').nth(0).selectOption('');
        await page.locator('.filters select').nth(1).selectOption('');
        // A folded run opens to show its steps, each a sentence.
        await page
          .getByText(/^\d+ sync steps/)
          .first()
          .click();
        await list.getByText('Ana’s code set on Front door.').first().waitFor();
        expect((await list.textContent()) ?? '').not.toMatch(/cred_|lock_[A-Za-z0-9]|per_[A-Za-z0-9]/);
        expect(await scrollWidth(page)).toBeLessThanOrEqual(viewport.width);
        await shot(page, `audit-${size}`);
        expect(await axe(page)).toEqual([]);
      }
    });

    it('follows the system in dark mode, with enough contrast on every page', async () => {
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const page = await open({ viewport, colorScheme: 'dark' });
        const bg = await page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
        const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
        expect(r! + g! + b!).toBeLessThan(120);
        for (const [name, path] of [
          ['dashboard', ''],
          ['lock', `locks/${lockId}`],
          ['people', 'people'],
          ['practise', 'practise/264'],
          ['audit', 'audit'],
          ['troubleshoot', 'troubleshoot'],
        ] as const) {
          await page.goto(`${server.url}/#/${path}`);
          await page.locator('main h1').first().waitFor();
          await page.waitForTimeout(300);
          await shot(page, `dark-${name}-${size}`);
          expect(await axe(page), `${name} at ${size}`).toEqual([]);
        }
      }
    });
  },
);
