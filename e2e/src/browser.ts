import { chromiumPath } from '@ad-race/service-testing';
import { eventually } from '@ad-race/testing';
import { chromium, type Browser } from 'playwright-core';

/** The Chromium the tests drive: headless, and quiet on the network beyond the stack. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
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
