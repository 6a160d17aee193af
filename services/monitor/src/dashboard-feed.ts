import type { DashboardRequest } from './dashboard-source';

/** One connected dashboard: where its events go, and how to end its stream. */
export interface FeedClient {
  send(chunk: string): void;
  end(): void;
}

export interface DashboardFeedOptions {
  /** How often a snapshot is made and pushed, while anyone watches. */
  intervalMs: number;
  /** The number of dashboards connected, after each change (for a gauge). */
  onCount?: (connected: number) => void;
  /** A snapshot could not be made (the dashboards keep the last one). */
  onError?: (err: unknown) => void;
}

/**
 * The live feed of every open dashboard, as server-sent events. A snapshot is
 * made once per interval for each distinct question (window and pair) that
 * some dashboard asks, and the same text goes to all that ask it: five
 * dashboards cost what one does. The timer runs only while one is connected.
 */
export class DashboardFeed {
  private readonly watching = new Map<string, { request: DashboardRequest; clients: Set<FeedClient> }>();
  private readonly latest = new Map<string, { at: number; json: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly make: (request: DashboardRequest) => string,
    private readonly options: DashboardFeedOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Connects a dashboard: it gets a snapshot at once, then one every interval. Returns how to disconnect it. */
  add(request: DashboardRequest, client: FeedClient): () => void {
    const key = keyOf(request);
    const entry = this.watching.get(key) ?? { request, clients: new Set<FeedClient>() };
    this.watching.set(key, entry);
    entry.clients.add(client);
    this.count();
    const json = this.snapshot(request);
    if (json !== undefined) client.send(event(json));
    this.timer ??= setInterval(() => this.tick(), this.options.intervalMs);
    return () => {
      // Once only (a second delete finds nothing); and not after close(), which counted every stream out already (the entry is no longer watched).
      if (this.watching.get(key) !== entry || !entry.clients.delete(client)) return;
      if (entry.clients.size === 0) this.watching.delete(key);
      this.count();
      if (this.watching.size === 0) this.stop();
    };
  }

  /** The snapshot for a question, as JSON: the one made this interval if there is one, else a new one. */
  snapshot(request: DashboardRequest): string | undefined {
    const key = keyOf(request);
    const now = this.now();
    for (const [k, { at }] of this.latest) if (now - at >= this.options.intervalMs && k !== key) this.latest.delete(k);
    const kept = this.latest.get(key);
    if (kept && now - kept.at < this.options.intervalMs) return kept.json;
    try {
      const json = this.make(request);
      this.latest.set(key, { at: now, json });
      return json;
    } catch (err) {
      this.options.onError?.(err);
      return undefined;
    }
  }

  /** Ends every dashboard's stream (the monitor is closing). */
  close(): void {
    for (const { clients } of this.watching.values()) for (const client of clients) client.end();
    this.watching.clear();
    this.count();
    this.stop();
  }

  private tick(): void {
    for (const [key, { request, clients }] of this.watching) {
      this.latest.delete(key);
      const json = this.snapshot(request);
      // Nothing new to say: a comment keeps proxies from closing an idle stream.
      const chunk = json === undefined ? ': no snapshot\n\n' : event(json);
      for (const client of clients) client.send(chunk);
    }
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.latest.clear();
  }

  /** Reports the number of dashboards connected: every client of every question watched. */
  private count(): void {
    let connected = 0;
    for (const { clients } of this.watching.values()) connected += clients.size;
    this.options.onCount?.(connected);
  }
}

function keyOf({ window, a, b }: DashboardRequest): string {
  return `${window}|${a ?? ''}|${b ?? ''}`;
}

/** One server-sent event holding a snapshot (JSON has no raw newlines, so one data line). */
function event(json: string): string {
  return `event: snapshot\ndata: ${json}\n\n`;
}
