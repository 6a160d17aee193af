export interface LoginThrottleOptions {
  /** Failed logins an account may have before it must wait for the next attempt. */
  freeFailures: number;
  /** The wait after the last of those; it doubles with each further failure... */
  firstDelayMs: number;
  /** ...up to this: an account is slowed down, never locked out for good. */
  maxDelayMs: number;
  /** An account with no failed login for this long starts afresh. */
  forgetAfterMs: number;
  /** Accounts remembered at most; past this, the longest quiet are forgotten. */
  maxAccounts: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  freeFailures: 5,
  firstDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxAccounts: 100_000,
};

interface Failures {
  count: number;
  lastAt: number;
  /** No attempt before this (milliseconds since the epoch). */
  waitUntil: number;
}

/**
 * Slows down guessing one account's password: after a few failed logins, the
 * account must wait before the next attempt, twice as long after each further
 * failure, up to a few minutes, and a successful login starts it afresh. Its
 * owner is held up, never locked out. Keyed by the account's e-mail address,
 * whether or not such an account exists, so that the answer says nothing of
 * which addresses are customers'. Pure logic: the caller passes the time.
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, Failures>();
  private readonly options: LoginThrottleOptions;

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.options = { ...DEFAULT_LOGIN_THROTTLE, ...options };
  }

  /** How many milliseconds this account must still wait before it may try: 0 if it may now. */
  waitMs(account: string, now: number): number {
    const failures = this.current(account, now);
    return failures ? Math.max(0, failures.waitUntil - now) : 0;
  }

  failed(account: string, now: number): void {
    const { freeFailures, firstDelayMs, maxDelayMs, maxAccounts } = this.options;
    const failures = this.current(account, now) ?? { count: 0, lastAt: now, waitUntil: 0 };
    failures.count++;
    failures.lastAt = now;
    const over = failures.count - freeFailures; // 0 for the last free one
    if (over >= 0) failures.waitUntil = now + Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(over, 30));
    // Re-inserted, so the map stays in the order of the last failure: the first key is the longest quiet.
    this.accounts.delete(account);
    this.accounts.set(account, failures);
    if (this.accounts.size > maxAccounts) this.accounts.delete(this.accounts.keys().next().value!);
  }

  succeeded(account: string): void {
    this.accounts.delete(account);
  }

  private current(account: string, now: number): Failures | undefined {
    const failures = this.accounts.get(account);
    if (failures && now - failures.lastAt > this.options.forgetAfterMs && now >= failures.waitUntil) {
      this.accounts.delete(account);
      return undefined;
    }
    return failures;
  }
}
