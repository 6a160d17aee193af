import { eventually } from '@ad-race/testing';

/** Waits for the text of `locator` to match `pattern`, and says what it was if it never does. */
export async function expectText(locator: { textContent(): Promise<string | null> }, pattern: RegExp, timeoutMs = 5_000): Promise<void> {
  let text: string | null = null;
  try {
    await eventually(async () => pattern.test((text = await locator.textContent()) ?? ''), timeoutMs);
  } catch {
    throw new Error(`expected text matching ${pattern}, got ${JSON.stringify(text)}`);
  }
}
