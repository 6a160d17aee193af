import { serverMessageValidator, type ServerMessage } from '@ad-race/contracts';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** What one page view came to: its ad, timed as the browser sees it and as the web server saw the race. */
export interface Outcome {
  sentAt: number;
  e2eMs: number;
  raceMs: number;
  version: string;
}

/**
 * A logged-in customer with the ad socket open, as a browser holds it. Every
 * page view gets a page name of its own, so its ad can be matched on arrival.
 */
export class BenchCustomer {
  private readonly pending = new Map<string, number>();
  private sequence = 0;

  private constructor(
    private readonly ws: WebSocket,
    private readonly onOutcome: (outcome: Outcome) => void,
  ) {
    ws.on('message', (data) => this.receive(data.toString()));
  }

  static async connect(baseUrl: string, email: string, password: string, onOutcome: (o: Outcome) => void): Promise<BenchCustomer> {
    const res = await fetch(`${baseUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`login of ${email} failed: ${res.status}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/ws`, { headers: { cookie }, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new BenchCustomer(ws, onOutcome);
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** Sends a page view; returns when it was sent (performance.now()). */
  view(): number {
    const page = `b${(this.sequence++).toString(36)}`;
    const sentAt = performance.now();
    this.pending.set(page, sentAt);
    this.ws.send(`{"type":"page","page":"${page}"}`);
    return sentAt;
  }

  forgetWaiting(): void {
    this.pending.clear();
  }

  close(): void {
    this.ws.terminate();
  }

  private receive(data: string): void {
    const now = performance.now();
    const message = JSON.parse(data) as ServerMessage;
    if (message.type !== 'ad') {
      if (message.type === 'error') throw new Error(`the web server said: ${message.message}`);
      return;
    }
    const sentAt = this.pending.get(message.page);
    if (sentAt === undefined) return; // the ad for the login, or for a view given up on
    this.pending.delete(message.page);
    if (!serverMessageValidator.Check(message)) throw new Error(`an ad that breaks the contract: ${data}`);
    this.onOutcome({ sentAt, e2eMs: now - sentAt, raceMs: message.latencyMs, version: message.servedBy.version });
  }
}
