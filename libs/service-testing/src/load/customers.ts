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

/** One version's answer to a page view's need, as the race summary timed it (need published to answer received). */
export interface Reply {
  sentAt: number;
  version: string;
  latencyMs: number;
  translated: boolean;
}

/**
 * A logged-in customer with the ad socket open, as a browser holds it. Every
 * page view gets a page name of its own, so its ad can be matched on arrival.
 */
export class LoadCustomer {
  private readonly pending = new Map<string, number>();
  /** The page views answered, by need: their race summaries come after the ad, once or more. */
  private readonly raced = new Map<string, { sentAt: number; versions: Set<string> }>();
  private sequence = 0;

  private constructor(
    private readonly ws: WebSocket,
    private readonly onOutcome: (outcome: Outcome) => void,
    private readonly onReply: (reply: Reply) => void,
  ) {
    ws.on('message', (data) => this.receive(data.toString()));
  }

  static async connect(baseUrl: string, email: string, password: string, onOutcome: (o: Outcome) => void, onReply: (r: Reply) => void = () => undefined): Promise<LoadCustomer> {
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
    return new LoadCustomer(ws, onOutcome, onReply);
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
    this.raced.clear();
  }

  close(): void {
    this.ws.terminate();
  }

  private receive(data: string): void {
    const now = performance.now();
    const message = JSON.parse(data) as ServerMessage;
    if (message.type === 'error') throw new Error(`the web server said: ${message.message}`);
    if (message.type === 'race') {
      const race = this.raced.get(message.needId);
      for (const reply of race ? message.replies : []) {
        if (race!.versions.has(reply.version)) continue;
        race!.versions.add(reply.version);
        this.onReply({ sentAt: race!.sentAt, version: reply.version, latencyMs: reply.latencyMs, translated: reply.translated });
      }
      return;
    }
    const sentAt = this.pending.get(message.page);
    if (sentAt === undefined) return; // the ad for the login, or for a view given up on
    this.pending.delete(message.page);
    if (!serverMessageValidator.Check(message)) throw new Error(`an ad that breaks the contract: ${data}`);
    this.raced.set(message.needId, { sentAt, versions: new Set() });
    this.onOutcome({ sentAt, e2eMs: now - sentAt, raceMs: message.latencyMs, version: message.servedBy.version });
  }
}
