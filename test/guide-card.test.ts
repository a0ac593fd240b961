import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideCard } from '../src/cli/render/guide-card.js';
import { getModel } from '../src/core/catalog/index.js';
import { factoryState } from '../src/core/codes/lock-state.js';
import { buildGuide } from '../src/core/guide/index.js';
import { launchChromium, skipWithoutChromium } from './support/chromium.js';

describe.skipIf(skipWithoutChromium('the printable guide card test'))(
  'the printable guide card in Chromium',
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('renders every step with its keys and expected signals on one A4 page', async () => {
      const model = getModel('955');
      const result = buildGuide({ ...factoryState(model), programmingSwitch: false }, model, {
        op: 'add-user',
        slot: 3,
        code: '581920',
      });
      if (!result.ok) throw new Error('guide refused');
      const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
      await page.setContent(guideCard(result.guide));
      const steps = await page.locator('ol > li').count();
      expect(steps).toBe(result.guide.steps.length);
      expect(await page.locator('kbd', { hasText: 'program' }).count()).toBeGreaterThan(3);
      await expect(page.locator('h1').textContent()).resolves.toContain('Add a user code to slot 3');
      const pdf = await page.pdf({ format: 'A4' });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBe(1);
      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: 'test-output/guide-card-955-add-user.png', fullPage: true });
      await page.close();
    });
  },
);
