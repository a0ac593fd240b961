import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Whether to skip a browser suite: only on a developer's machine without Chromium, and it says
 * so. In CI (CI=true) a browser suite always runs, so a missing Chromium fails it instead of
 * passing unseen.
 */
export function skipWithoutChromium(suite: string): boolean {
  if (hasChromium() || process.env.CI === 'true') return false;
  console.warn(`SKIPPED: ${suite} needs Chromium at ${CHROMIUM_PATH} (CI=true makes it mandatory)`);
  return true;
}

/** Debian's Chromium, headless; the flags keep it off a network this machine does not have. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
