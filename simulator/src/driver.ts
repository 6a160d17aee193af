import { DEMO_PASSWORD } from '@ad-race/catalog';
import { SessionResponse, serverMessageValidator, type AdClick, type LoginRequest, type PageView, type RaceMessage } from '@ad-race/contracts';
import { Value } from '@sinclair/typebox/value';
import WebSocket from 'ws';
import { decideClick } from './ground-truth';
import type { SimulateOptions } from './options';
import { PAGES, planRun, schedule, SECONDS_PER_DAY, simulatedCustomers, type Page, type SimulatedCustomer } from './plan';
import { streamOf } from './streams';
import { Tally, type Counts, type Progress, type Summary } from './summary';
import { TerminalReport } from './terminal';

// The driver: simulated customers use the stack as a browser would, through
// its real HTTP API and WebSocket. Each logs in once (POST /api/login) and keeps
// its session cookie, opens one socket (/api/ws), sends a page view when the
// plan says, and clicks the ad it gets when the ground truth says. A crowd keeps
// a few of them logged in for as long as a tool needs, since the web server
// lets one address log in only so often; a run replays its plan with one.

/**
 * At least this long between two page views of one customer: the web server
 * closes a socket that sends more than 10 a second on average (PAGE_VIEWS_PER_SECOND).
 */
export const MIN_GAP_MS = 125;
/** Logins at once: the web server checks two passwords at a time, and makes more wait. */
const LOGINS_AT_ONCE = 2;
/** Longest wait the web server's Retry-After may ask of a login before the run gives up. */
const MAX_RETRY_AFTER_S = 120;
const LOGIN_ATTEMPTS = 10;
/** How often the counts are reported while the run goes. */
const PROGRESS_EVERY_MS = 250;
/** How long the run waits for the ads of its last page views. */
const LAST_ADS_WAIT_MS = 10_000;

/** Waits `ms`, or less if `signal` aborts meanwhile. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A page view sent, waiting for its ad. */
interface Waiting {
  page: string;
  clickDraw: number;
}

/**
 * One simulated customer's browser: a session cookie, one socket, and the page
 * views waiting for their ads. It counts in whichever tally `tally` gives at the
 * moment, so that a crowd can start counting afresh while its visitors browse on.
 */
class Visitor {
  private socket: WebSocket | null = null;
  /** The socket being opened again, for the page views that come meanwhile to wait for. */
  private reconnecting: Promise<void> | null = null;
  private readonly waiting: Waiting[] = [];

  private constructor(
    private readonly customer: SimulatedCustomer,
    private readonly wsUrl: string,
    private readonly cookie: string,
    private readonly tally: () => Tally,
    private readonly warn: (text: string) => void,
    private readonly onRace?: (race: RaceMessage) => void,
  ) {}

  /** Logs the customer in, opens the socket, and waits for the ad the login shows. */
  static async arrive(customer: SimulatedCustomer, url: string, tally: () => Tally, warn: (text: string) => void, onRace?: (race: RaceMessage) => void): Promise<Visitor> {
    const cookie = await logIn(url, customer.profile.email, warn);
    tally().loggedIn();
    const visitor = new Visitor(customer, `${url.replace(/^http/, 'ws')}/api/ws`, cookie, tally, warn, onRace);
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
      this.tally().pageViewSent();
    } catch (err) {
      this.tally().problem();
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
      this.tally().problem();
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
      this.tally().problem();
      this.warn(`a message from the web server breaks the contract: ${text.slice(0, 120)}`);
      return;
    }
    if (message.type === 'error') {
      this.tally().problem();
      this.warn(`the web server says: ${message.message}`);
      return;
    }
    if (message.type === 'race') return this.onRace?.(message); // the photo finish: the monitor keeps the details too
    const index = this.waiting.findIndex((w) => w.page === message.page);
    // Another tab of the same customer (a person watching, as this customer) gets its ads here too.
    if (index < 0) return;
    const [view] = this.waiting.splice(index, 1);
    const version = message.servedBy.version;
    const clicked = decideClick(this.customer, message.ad.offer, version, view!.clickDraw) && socket.readyState === WebSocket.OPEN;
    if (clicked) this.send({ type: 'click', needId: message.needId }, socket);
    this.tally().adShown(version, clicked);
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
  const login: LoginRequest = { email, password: DEMO_PASSWORD };
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

/** A page view to send: which customer opens which page, the draw that decides the click, and when, in real ms after the start. */
interface TimedView {
  customer: number;
  page: Page;
  clickDraw: number;
  atMs: number;
}

/**
 * Steady traffic of `customers` customers for `durationMs`: `perSecond` page
 * views a second in all, each customer in turn, but no faster than MIN_GAP_MS
 * per customer allows (perSecond is capped at customers × 1000 / MIN_GAP_MS).
 * Pages and click draws come from each customer's own stream of the seed, and
 * `browse` (which browse of a crowd this is), so that the same seed gives the
 * same traffic and one browse does not repeat the choices of the one before.
 */
export function steadyViews(customers: number, durationMs: number, perSecond: number, seed: number, browse = 0): TimedView[] {
  if (!Number.isInteger(customers) || customers < 1) throw new RangeError('customers must be a whole number, 1 or more');
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError('durationMs must be a finite number, 0 or more');
  if (!Number.isFinite(perSecond) || perSecond <= 0) throw new RangeError('perSecond must be a finite number above 0');
  // One round gives every customer a page view: never sooner than MIN_GAP_MS after the round before.
  const roundMs = Math.max(MIN_GAP_MS, (customers * 1000) / perSecond);
  const streams = Array.from({ length: customers }, (_, customer) => streamOf(seed, 'steady', browse, customer));
  const views: TimedView[] = [];
  for (let round = 0; ; round++) {
    for (let customer = 0; customer < customers; customer++) {
      // A customer's offset in the round in whole ms: its gaps are exactly roundMs, not a float's hair under.
      const atMs = round * roundMs + Math.floor((customer * roundMs) / customers);
      if (atMs >= durationMs) return views;
      const random = streams[customer]!;
      views.push({ customer, page: random.pick(PAGES), clickDraw: random.next(), atMs });
    }
  }
}

/**
 * Sends each page view at its time (`startedAt` + its atMs) without waiting
 * for its ad, until the last one or until `signal` aborts.
 */
async function replay(crowd: Crowd, views: readonly TimedView[], startedAt: number, signal?: AbortSignal, onView?: () => void): Promise<void> {
  for (const { customer, page, clickDraw, atMs } of views) {
    await sleep(startedAt + atMs - Date.now(), signal);
    if (signal?.aborted) return;
    void crowd.open(customer, page, clickDraw);
    onView?.();
  }
}

/**
 * A few simulated customers logged in for as long as a tool needs them, each
 * with its socket open: page views on demand, and the counts of what they saw
 * between two moments (recount), without logging in again.
 */
export class Crowd {
  private readonly visitors: Visitor[] = [];
  /** Where the visitors count: recount() swaps in a new one while they go on. */
  private tally = new Tally();
  /** How many browses have started: each draws from streams of its own. */
  private browses = 0;
  private browsing = false;
  /** When the last browse's customers may send again (MIN_GAP_MS after its last view). */
  private quietUntil = 0;

  private constructor(
    readonly customers: readonly SimulatedCustomer[],
    private readonly seed: number,
  ) {}

  /**
   * Logs the first `customers` simulated customers of the seed in, a few at a
   * time, each with its socket open and the ad of its login awaited. `watch`
   * is given at once a way to read the counts while they log in (the crowd
   * itself comes only when all have). `onRace` is given the photo finish of
   * every race the customers see (again, should a late answer come). If one
   * cannot log in, those that did are closed and the reason is thrown.
   */
  static async arrive(options: {
    url: string;
    customers: number;
    seed: number;
    warn?: (text: string) => void;
    watch?: (counts: () => Counts) => void;
    onRace?: (race: RaceMessage) => void;
  }): Promise<Crowd> {
    const crowd = new Crowd(simulatedCustomers(options.customers, options.seed), options.seed);
    options.watch?.(() => crowd.counts());
    const warn = options.warn ?? (() => undefined);
    try {
      await inParallel(crowd.customers, LOGINS_AT_ONCE, async (customer, index) => {
        crowd.visitors[index] = await Visitor.arrive(customer, options.url, () => crowd.tally, warn, options.onRace);
      });
    } catch (error) {
      crowd.close();
      throw error;
    }
    return crowd;
  }

  /** One page view of customer `index` (unpaced: keep MIN_GAP_MS between two of one customer). */
  open(index: number, page: string, clickDraw: number): Promise<void> {
    const visitor = this.visitors[index];
    if (!visitor) throw new RangeError(`the crowd has no customer ${index}`);
    return visitor.open(page, clickDraw);
  }

  /**
   * Steady traffic (steadyViews) for `durationMs`, or until `signal` aborts;
   * resolves when the last page view is sent, not answered (see settle()). One
   * browse at a time, so that no customer sends faster than the web server allows.
   */
  async browse(options: { durationMs: number; perSecond: number; signal?: AbortSignal; onView?: () => void }): Promise<void> {
    if (this.browsing) throw new Error('the crowd is browsing already: one browse at a time');
    const views = steadyViews(this.visitors.length, options.durationMs, options.perSecond, this.seed, this.browses);
    this.browses++;
    this.browsing = true;
    try {
      await sleep(this.quietUntil - Date.now(), options.signal);
      await replay(this, views, Date.now(), options.signal, options.onView);
    } finally {
      this.browsing = false;
      this.quietUntil = Date.now() + MIN_GAP_MS;
    }
  }

  /** Page views (and logins) still waiting for their ad. */
  get unanswered(): number {
    return this.visitors.reduce((sum, v) => sum + v.unanswered, 0);
  }

  /** Waits until every page view sent has its ad, or `timeoutMs` passed; how many are still unanswered. */
  async settle(timeoutMs = LAST_ADS_WAIT_MS): Promise<number> {
    const giveUpAt = Date.now() + timeoutMs;
    while (this.unanswered > 0 && Date.now() < giveUpAt) await sleep(50);
    return this.unanswered;
  }

  /** What happened since the last recount (or since arrive), and counting starts afresh. */
  recount(): Counts {
    const counts = this.tally.snapshot();
    this.tally = new Tally();
    return counts;
  }

  /** What happened since the last recount (or since arrive), counting on. */
  counts(): Counts {
    return this.tally.snapshot();
  }

  close(): void {
    for (const visitor of this.visitors) visitor?.close();
  }
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
  const terminal = options.quiet ? null : new TerminalReport();
  const warn = (text: string) => terminal?.warn(text);
  let crowd: Crowd | undefined;
  // Nothing yet, until the crowd starts logging in.
  let counts = () => new Tally().snapshot();
  let phase: Progress['phase'] = 'logging in';
  let clockStartedAt: number | null = null;
  const endSec = plan.days * SECONDS_PER_DAY;
  const progress = (): Progress => ({
    ...counts(),
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
    crowd = await Crowd.arrive({ url: options.url, customers: options.customers, seed: options.seed, warn, watch: (c) => (counts = c) });
    phase = 'browsing';
    clockStartedAt = Date.now();
    const views = schedule(plan.views, options.speed, MIN_GAP_MS).map(({ view, atMs }) => ({ ...view, atMs }));
    await replay(crowd, views, clockStartedAt);
    // The plan may end before its last day does (a quiet night): the clock runs on to its end.
    await sleep(clockStartedAt + (endSec / options.speed) * 1000 - Date.now());
    phase = 'waiting for the last ads';
    const unanswered = await crowd.settle(LAST_ADS_WAIT_MS);
    phase = 'done';
    summary = {
      url: options.url,
      customers: options.customers,
      days: options.days,
      seed: options.seed,
      speed: options.speed,
      ...crowd.counts(),
      unanswered,
      elapsedMs: Date.now() - startedAt,
    };
    return summary;
  } finally {
    clearInterval(reporting);
    crowd?.close();
    if (summary) report();
    terminal?.finish(summary);
  }
}
