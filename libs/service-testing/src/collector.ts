/** Collects what arrives, and lets a test wait until enough has. */
export class Collector<T> {
  readonly items: T[] = [];
  private waiters: (() => void)[] = [];

  push = (item: T): void => {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  };

  /** Resolves with the items once there are at least `count`; fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 3_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.items.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`waited ${timeoutMs} ms for ${count} items, got ${this.items.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.items;
  }

  /** Waits until `predicate` holds for some item, and returns it. */
  async waitUntil(predicate: (item: T) => boolean, timeoutMs = 3_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.items.find(predicate);
      if (found !== undefined) return found;
      await this.waitFor(this.items.length + 1, Math.max(1, deadline - Date.now())).catch(() => {
        throw new Error(`waited ${timeoutMs} ms for a matching item among ${this.items.length}`);
      });
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns true; fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(20);
  }
}
