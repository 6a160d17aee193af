/** The server is checking as many passwords as it may, and as many more wait: try again shortly. */
export class TooManyPasswordChecks extends Error {
  readonly statusCode = 503;
  constructor() {
    super('too many logins at once: try again in a moment');
    this.name = 'TooManyPasswordChecks';
  }
}

/**
 * Runs at most `atOnce` password checks at a time, and lets at most `waiting`
 * more wait their turn; past that, a login is refused at once. A password
 * check (scrypt) costs tens of milliseconds of CPU: without a bound, a flood of
 * logins takes every core, and the page views and races on the same server
 * starve.
 */
export class PasswordChecks {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly atOnce: number,
    private readonly waiting: number,
  ) {}

  get busy(): number {
    return this.running;
  }

  async run<T>(check: () => Promise<T>): Promise<T> {
    if (this.running >= this.atOnce) {
      if (this.queue.length >= this.waiting) throw new TooManyPasswordChecks();
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await check();
    } finally {
      const next = this.queue.shift();
      if (next) next(); // the turn passes on: `running` stays the same
      else this.running--;
    }
  }
}
