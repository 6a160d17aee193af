export interface AdmissionOptions {
  /** Needs allowed in flight (published, no winner yet) at first. */
  initialLimit: number;
  minLimit: number;
  maxLimit: number;
  /**
   * A race won later than this after its need was published, or not won at
   * all by its deadline, says that the bus is falling behind.
   */
  targetLatencyMs: number;
  /** The limit is multiplied by this when the bus falls behind. */
  backoff: number;
  /**
   * The bus falls behind when more than this share of the races settled in a
   * window of `targetLatencyMs` were won late or not at all: one slow race
   * (a garbage collection, a busy core) is not a backlog.
   */
  lateShare: number;
}

export const DEFAULT_ADMISSION_OPTIONS: Omit<AdmissionOptions, 'targetLatencyMs'> = {
  initialLimit: 20,
  minLimit: 4,
  maxLimit: 10_000,
  backoff: 0.75,
  lateShare: 0.1,
};

/**
 * How many needs may be in flight at once: load shedding instead of collapse.
 * Past what the bus can carry, needs wait in its queues until every one of
 * them is past its deadline and every customer gets the house ad late. With a
 * limit on the needs in flight, the excess is answered at once with the house
 * ad, and the needs admitted stay on time.
 *
 * The limit adapts, additive increase and multiplicative decrease, as TCP's
 * congestion window does and Netflix's concurrency-limits (AIMD): it grows by
 * one for every limit's worth of races won within the target while it is at
 * least half in use, and shrinks by a factor at the end of a window (the
 * target's time) in which more than a small share of the races were won late
 * or not at all. It settles near what the bus carries on time: with needs in
 * flight L and races a second X, a race takes L / X (Little's law). Pure
 * logic: the caller passes the time.
 */
export class AdmissionLimit {
  private readonly options: AdmissionOptions;
  private current: number;
  private inFlight = 0;
  private window = { start: -Infinity, settled: 0, late: 0 };

  constructor(options: Pick<AdmissionOptions, 'targetLatencyMs'> & Partial<AdmissionOptions>) {
    this.options = { ...DEFAULT_ADMISSION_OPTIONS, ...options };
    this.current = this.options.initialLimit;
  }

  get limit(): number {
    return Math.floor(this.current);
  }

  get admitted(): number {
    return this.inFlight;
  }

  /** Whether one more need may go out now; if so, it is in flight until settled. */
  admit(): boolean {
    if (this.inFlight >= this.limit) return false;
    this.inFlight++;
    return true;
  }

  /** An admitted need is settled: its race was won after `latencyMs`, or (undefined) not by its deadline. */
  settle(latencyMs: number | undefined, now: number): void {
    const inUse = this.inFlight;
    this.inFlight = Math.max(0, this.inFlight - 1);
    const { targetLatencyMs, backoff, minLimit, maxLimit, lateShare } = this.options;
    if (now - this.window.start >= targetLatencyMs) {
      const { settled, late } = this.window;
      if (late > 0 && late > settled * lateShare) this.current = Math.max(minLimit, this.current * backoff);
      this.window = { start: now, settled: 0, late: 0 };
    }
    this.window.settled++;
    if (latencyMs === undefined || latencyMs > targetLatencyMs) this.window.late++;
    else if (inUse * 2 >= this.current) this.current = Math.min(maxLimit, this.current + 1 / this.current);
  }
}
