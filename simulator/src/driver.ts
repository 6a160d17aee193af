import { SessionResponse, serverMessageValidator, type AdClick, type LoginRequest, type PageView } from '@ad-race/contracts';
import { Value } from '@sinclair/typebox/value';
import WebSocket from 'ws';
import { decideClick } from './ground-truth';
import type { SimulateOptions } from './options';
import { planRun, schedule, SECONDS_PER_DAY, type SimulatedCustomer } from './plan';
import { Tally, type Progress, type Summary } from './summary';
import { TerminalReport } from './terminal';

// The driver: simulated customers use the stack as a browser would, through
// its real HTTP API and WebSocket. Each logs in once (POST /api/login) and keeps
// its session cookie, opens one socket (/api/ws), sends a page view when the
// plan says, and clicks the ad it gets when the ground truth says.

/** The password of every seeded customer (libs/catalog). */
const PASSWORD = 'rent-a-car';
/**
 * At least this long between two page views of one customer: the web server
 * closes a socket that sends more than 10 a second on average (PAGE_VIEWS_PER_SECOND).
 */
const MIN_GAP_MS = 125;
/** Logins at once: the web server checks two passwords at a time, and makes more wait. */
const LOGINS_AT_ONCE = 2;
/** Longest wait the web server's Retry-After may ask of a login before the run gives up. */
const MAX_RETRY_AFTER_S = 120;
const LOGIN_ATTEMPTS = 10;
/** How often the counts are reported while the run goes. */
const PROGRESS_EVERY_MS = 250;
/** How long the run waits for the ads of its last page views. */
const LAST_ADS_WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A page view sent, waiting for its ad. */
interface Waiting {
  page: string;
  clickDraw: number;
}

/** One simulated customer's browser: a session cookie, one socket, and the page views waiting for their ads. */
class Visitor {
  private socket: WebSocket | null = null;
  /** The socket being opened again, for the page views that come meanwhile to wait for. */
  private reconnecting: Promise<void> | null = null;
  private readonly waiting: Waiting[] = [];

  private constructor(
    private readonly customer: SimulatedCustomer,
    private readonly wsUrl: string,
    private readonly cookie: string,
    private readonly tally: Tally,
    private readonly warn: (text: string) => void,
  ) {}

  /** Logs the customer in, opens the socket, and waits for the ad the login shows. */
  static async arrive(customer: SimulatedCustomer, url: string, tally: Tally, warn: (text: string) => void): Promise<Visitor> {
    const cookie = await logIn(url, customer.profile.email, warn);
    tally.loggedIn();
    const visitor = new Visitor(customer, `${url.replace(/^http/, 'ws')}/api/ws`, cookie, tally, warn);
    visitor.waiting.push({ page: 'login', clickDraw: customer.loginClickDraw });
    await visitor.connect();
    return visitor;
  }

  get unanswered(): number {
    return this.waiting.length;
  }

  /** Opens a page: a page view on the socket (opened again first, if it was lost). */
  async open(page: string, clickDraw: number): Promise<void> {
    try {
      if (this.socket?.readyState !== WebSocket.OPEN) await (this.reconnecting ??= this.connect().finally(() => (this.reconnecting = null)));
      this.waiting.push({ page, clickDraw });
      this.send({ type: 'page', page });
      this.tally.pageViewSent();
    } catch (err) {
      this.tally.problem();
      this.warn(`a page view of ${this.customer.profile.email} was not sent: ${(err as Error).message}`);
    }
  }

  close(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'the simulation is over');
  }

  private send(frame: PageView | AdClick, socket = this.socket): void {
    socket!.send(JSON.stringify(frame));
  }

  private async connect(): Promise<void> {
    const socket = new WebSocket(this.wsUrl, { headers: { cookie: this.cookie } });
    // Listeners first: the ad of the login may come in the same packet as the socket's opening,
    // before this.socket is set, so the socket it came on is the one that clicks.
    socket.on('message', (data) => this.receive(socket, data.toString()));
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return; // closed by us, or replaced
      this.socket = null;
      this.tally.problem();
      this.warn(`the web server closed a socket: ${code} ${reason.toString() || '(no reason)'}`);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => {
        socket.terminate();
        reject(new Error(`the web server refused the socket: ${response.statusCode}`));
      });
    });
    socket.on('error', (err) => this.warn(`socket error: ${err.message}`));
    this.socket = socket;
  }

  /** A message from the web server: an ad is matched to the page view it answers, and maybe clicked. */
  private receive(socket: WebSocket, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (!serverMessageValidator.Check(message)) {
      this.tally.problem();
      this.warn(`a message from the web server breaks the contract: ${text.slice(0, 120)}`);
      return;
    }
    if (message.type === 'error') {
      this.tally.problem();
      this.warn(`the web server says: ${message.message}`);
      return;
    }
    if (message.type !== 'ad') return; // the race summary: the monitor keeps the details
    const index = this.waiting.findIndex((w) => w.page === message.page);
    // Another tab of the same customer (a person watching, as this customer) gets its ads here too.
    if (index < 0) return;
    const [view] = this.waiting.splice(index, 1);
    const version = message.servedBy.version;
    const clicked = decideClick(this.customer, message.ad.offer, version, view!.clickDraw) && socket.readyState === WebSocket.OPEN;
    if (clicked) this.send({ type: 'click', needId: message.needId }, socket);
    this.tally.adShown(version, clicked);
  }
}

/** How long a Retry-After header asks to wait, in ms (seconds or an HTTP date). */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header === null) return 5000;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Math.min(MAX_RETRY_AFTER_S * 1000, Math.max(1000, Number.isFinite(ms) ? ms : 5000));
}

/** POST /api/login, waiting as long as the web server asks (429, 503); the session cookie. */
export async function logIn(url: string, email: string, warn: (text: string) => void): Promise<string> {
  const login: LoginRequest = { email, password: PASSWORD };
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new Error(`could not reach the web server at ${url} (${cause}): is the stack running? (npm start, or --url)`);
    }
    if ((res.status === 429 || res.status === 503) && attempt < LOGIN_ATTEMPTS) {
      const waitMs = retryAfterMs(res.headers.get('retry-after'));
      warn(`the web server asked logins to wait (${res.status}): waited as its Retry-After said`);
      await res.body?.cancel();
      await sleep(waitMs);
      continue;
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.status !== 200 || !Value.Check(SessionResponse, body)) throw new Error(`could not log ${email} in: ${res.status} ${JSON.stringify(body)}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
    if (!cookie) throw new Error(`the web server logged ${email} in without a session cookie`);
    return cookie;
  }
}

/**
 * Runs `work` on every item, at most `atOnce` at a time. After a failure no
 * more items start; once those under way have settled, the first failure is thrown.
 */
async function inParallel<T>(items: readonly T[], atOnce: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * Runs a simulation against the stack at `url`: plans the run from the seed,
 * logs every customer in, replays the plan's page views at its compressed
 * times, clicks as the ground truth says, waits for the last ads, and returns
 * the summary. Draws a progress bar and prints the summary unless `quiet`.
 */
export async function simulate(options: SimulateOptions): Promise<Summary> {
  const startedAt = Date.now();
  const plan = planRun(options);
  const tally = new Tally();
  const terminal = options.quiet ? null : new TerminalReport();
  const warn = (text: string) => terminal?.warn(text);
  const visitors: Visitor[] = [];
  let phase: Progress['phase'] = 'logging in';
  let clockStartedAt: number | null = null;
  const endSec = plan.days * SECONDS_PER_DAY;
  const progress = (): Progress => ({
    ...tally.snapshot(),
    phase,
    simulatedSec: clockStartedAt === null ? 0 : Math.min(endSec, ((Date.now() - clockStartedAt) / 1000) * options.speed),
    days: plan.days,
    plannedPageViews: plan.views.length,
  });
  const report = () => {
    const now = progress();
    options.onProgress?.(now);
    terminal?.update(now);
  };
  const reporting = setInterval(report, PROGRESS_EVERY_MS);
  report();
  let summary: Summary | undefined;
  try {
    await inParallel(plan.customers, LOGINS_AT_ONCE, async (customer, index) => {
      visitors[index] = await Visitor.arrive(customer, options.url, tally, warn);
    });
    phase = 'browsing';
    clockStartedAt = Date.now();
    for (const { view, atMs } of schedule(plan.views, options.speed, MIN_GAP_MS)) {
      const waitMs = clockStartedAt + atMs - Date.now();
      if (waitMs > 0) await sleep(waitMs);
      void visitors[view.customer]!.open(view.page, view.clickDraw);
    }
    // The plan may end before its last day does (a quiet night): the clock runs on to its end.
    const restMs = clockStartedAt + (endSec / options.speed) * 1000 - Date.now();
    if (restMs > 0) await sleep(restMs);
    phase = 'waiting for the last ads';
    const giveUpAt = Date.now() + LAST_ADS_WAIT_MS;
    while (visitors.some((v) => v.unanswered > 0) && Date.now() < giveUpAt) await sleep(50);
    phase = 'done';
    summary = {
      url: options.url,
      customers: options.customers,
      days: options.days,
      seed: options.seed,
      speed: options.speed,
      ...tally.snapshot(),
      unanswered: visitors.reduce((sum, v) => sum + v.unanswered, 0),
      elapsedMs: Date.now() - startedAt,
    };
    return summary;
  } finally {
    clearInterval(reporting);
    for (const visitor of visitors) visitor?.close();
    if (summary) report();
    terminal?.finish(summary);
  }
}
