import { TryAgainLater } from '@ad-race/messaging';
import type { Batch } from './evidence';

/**
 * Gathers the rows of many messages into one batch, written in one
 * transaction when it is full or `delayMs` after its first row, whichever
 * comes first. Each `add` resolves once its rows are committed (the message
 * is acknowledged then, not before), or rejects with TryAgainLater if the
 * write failed (the message goes back to its queue, to be delivered again).
 */
export class Batcher {
  private batch: Batch = emptyBatch();
  private size = 0;
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (batch: Batch) => void,
    private readonly options: { maxRows: number; delayMs: number },
  ) {}

  add(rows: Partial<Batch>): Promise<void> {
    for (const key of ['needs', 'answers', 'served', 'clicks'] as const) {
      const more = rows[key];
      if (!more) continue;
      (this.batch[key] as unknown[]).push(...more);
      this.size += more.length;
    }
    const committed = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.size >= this.options.maxRows) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.delayMs);
    return committed;
  }

  /** Writes what is gathered now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.batch;
    const waiters = this.waiters;
    this.batch = emptyBatch();
    this.size = 0;
    this.waiters = [];
    if (waiters.length === 0) return;
    try {
      this.write(batch);
    } catch (err) {
      const again = new TryAgainLater(`could not write the evidence: ${err instanceof Error ? err.message : String(err)}`);
      for (const w of waiters) w.reject(again);
      return;
    }
    for (const w of waiters) w.resolve();
  }
}

function emptyBatch(): Batch {
  return { needs: [], answers: [], served: [], clicks: [] };
}
