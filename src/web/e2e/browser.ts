/**
 * Real Chromium for the web app's end-to-end tests: Debian's /usr/bin/chromium driven by
 * playwright-core (never a downloaded browser). Missing Chromium fails loudly in CI and skips
 * with a clear message elsewhere.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(
      `${CHROMIUM_PATH} is missing: the web app's end-to-end tests cannot run (apt-get install chromium)`,
    );
  }
  console.warn(
    `SKIPPING the web app's end-to-end tests: ${CHROMIUM_PATH} is missing (apt-get install chromium).`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}
