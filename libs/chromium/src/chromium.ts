import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is looked for, after CHROMIUM_PATH: Debian's and Ubuntu's packages, then Google Chrome. */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/**
 * The Chromium the browser tests drive with playwright-core: CHROMIUM_PATH
 * when set, otherwise the first of CHROMIUM_CANDIDATES that exists. Throws
 * one line saying how to get one when there is none.
 */
export function chromiumPath(env: Record<string, string | undefined> = process.env, exists: (path: string) => boolean = existsSync): string {
  const chosen = env['CHROMIUM_PATH'];
  if (chosen) {
    if (exists(chosen)) return chosen;
    throw new Error(`Chromium not found at CHROMIUM_PATH=${chosen}: apt-get install chromium, or set CHROMIUM_PATH to a Chromium or Chrome`);
  }
  const found = CHROMIUM_CANDIDATES.find((path) => exists(path));
  if (found) return found;
  throw new Error(`Chromium not found (looked in ${CHROMIUM_CANDIDATES.join(', ')}): apt-get install chromium, or set CHROMIUM_PATH`);
}

/** The Chromium the tests drive: headless, and quiet on the network beyond the stack. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
