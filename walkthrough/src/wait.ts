// Waiting, for the walkthrough: for a while, or for a condition to hold.

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WaitedTooLong extends Error {}

/** Polls a condition every `everyMs` until it holds; throws WaitedTooLong naming what it waited for. */
export async function until(condition: () => Promise<boolean>, withinMs: number, what: string, everyMs = 250): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new WaitedTooLong(`waited ${withinMs / 1000} s for ${what}`);
    await sleep(everyMs);
  }
}
