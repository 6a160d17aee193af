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

  /** Waits until `predicate` holds for an item at index `from` or later, and returns it. */
  async waitUntil(predicate: (item: T) => boolean, { from = 0, timeoutMs = 3_000 } = {}): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let checked = from; ; ) {
      for (; checked < this.items.length; checked++) {
        if (predicate(this.items[checked]!)) return this.items[checked]!;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`waited ${timeoutMs} ms for a matching item among ${this.items.length}`);
      await this.waitFor(this.items.length + 1, left).catch(() => undefined);
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
