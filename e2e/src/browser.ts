import { eventually } from '@ad-race/testing';
import { join } from 'node:path';
import type { ConsoleMessage, Page } from 'playwright-core';

/** Screenshots for people to look at, left behind by every run (git ignores them). */
export const SCREENSHOTS = join(__dirname, '..', 'screenshots');

/**
 * Watches a page for problems: its uncaught errors, and the console messages
 * `keep` picks. A violation of the Content Security Policy is logged to the
 * console as an error, so `keep` can pick those too.
 */
export async function watchPage(page: Page, problems: string[], keep: (message: ConsoleMessage) => boolean): Promise<void> {
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (keep(message)) problems.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
}

/** Waits for the text of `locator` to match `pattern`, and says what it was if it never does. */
export async function expectText(locator: { textContent(): Promise<string | null> }, pattern: RegExp, timeoutMs = 5_000): Promise<void> {
  let text: string | null = null;
  try {
    await eventually(async () => pattern.test((text = await locator.textContent()) ?? ''), timeoutMs);
  } catch {
    throw new Error(`expected text matching ${pattern}, got ${JSON.stringify(text)}`);
  }
}
