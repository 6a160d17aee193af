import { decodeServerMessage, type AdMessage, type Customer, type RaceMessage, type ServerMessage } from '@ad-race/contracts';
import { el, renderAd } from './ad-card';
import { finishRows, finishSummary, WinTally } from './photo-finish';

const PAGES: Record<string, { title: string; intro: string }> = {
  home: { title: 'Welcome back', intro: 'Where to next? Every page you open asks the ad services for an ad, and they race to answer.' },
  deals: { title: 'Deals', intro: 'This week’s offers across our desks in 20 cities and their airports.' },
  'my-trips': { title: 'My trips', intro: 'Your past and upcoming rentals.' },
};

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let socket: WebSocket | null = null;
let reconnectDelayMs = 500;
let latestNeedId: string | null = null;
let loggedIn = false;
let tally = new WinTally();

function currentPage(): string {
  const page = location.hash.replace(/^#/, '');
  return page in PAGES ? page : 'home';
}

function status(text: string): void {
  $('status').textContent = text;
}

function showLogin(): void {
  loggedIn = false;
  $('login-view').hidden = false;
  $('site-view').hidden = true;
  $('nav').hidden = true;
  $('who').hidden = true;
  $<HTMLInputElement>('email').focus();
}

function showSite(customer: Customer): void {
  loggedIn = true;
  $('login-view').hidden = true;
  $('site-view').hidden = false;
  $('nav').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = `${customer.name} · ${customer.loyaltyTier} · ${customer.city}`;
  renderPage();
}

function renderPage(): void {
  const page = currentPage();
  $('page-heading').textContent = PAGES[page]!.title;
  $('page-intro').textContent = PAGES[page]!.intro;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    if (link.dataset['page'] === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function renderRace(race: RaceMessage): void {
  $('finish-summary').textContent = finishSummary(race);
  const rows = finishRows(race).map((row) => {
    const tr = document.createElement('tr');
    tr.className = `result-${row.kind}`;
    for (const text of [row.version, row.time, row.result]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    if (row.route !== 'direct') {
      const via = document.createElement('small');
      via.className = 'route';
      via.textContent = row.route;
      tr.children[0]!.append(via);
    }
    tr.children[1]!.className = 'time';
    return tr;
  });
  $('finish-rows').replaceChildren(...rows);
}

/** The running tally: wins per version (and the house ad), and what each shadow would have won. */
function renderTally(): void {
  const rows = tally.table();
  const most = Math.max(1, ...rows.map((r) => r.wins + r.wouldHaveWon));
  $('tally-total').textContent = `(${tally.total} ${tally.total === 1 ? 'race' : 'races'})`;
  $('tally').replaceChildren(
    ...rows.map((row) => {
      const li = el('li');
      li.dataset['label'] = row.label;
      const label = el('span', row.label, 'label');
      const bar = el('span', undefined, 'bar');
      bar.setAttribute('aria-hidden', 'true');
      for (const [part, value] of [['wins', row.wins], ['would', row.wouldHaveWon]] as const) {
        const segment = el('span', undefined, part);
        // Set through the CSSOM, which the page's Content-Security-Policy allows (a style attribute it would not).
        segment.style.width = `${(100 * value) / most}%`;
        bar.append(segment);
      }
      const count = el('span', row.wouldHaveWon > 0 ? `${row.wins} won · ${row.wouldHaveWon} would have won` : `${row.wins} won`, 'count');
      li.append(label, count, bar);
      return li;
    }),
  );
}

function onMessage(message: ServerMessage): void {
  switch (message.type) {
    case 'ad':
      latestNeedId = message.needId;
      renderAd($('ad-card'), message as AdMessage, clickAd);
      break;
    case 'race':
      if (tally.add(message)) renderTally();
      // A late answer can update an older race: show only the race of the ad on screen.
      if (message.needId === latestNeedId) renderRace(message);
      break;
    case 'error':
      status(`The server says: ${message.message}`);
      break;
  }
}

/** The customer followed an ad: the server counts it, once per ad, for the version that served it. */
function clickAd(message: AdMessage): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'click', needId: message.needId }));
  status(`You clicked the ad for ${message.ad.offer.model}: a click for ads ${message.servedBy.version}, counted once.`);
}

function viewPage(): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'page', page: currentPage() }));
}

/**
 * How long to wait, after logging in, for the ad the login asked for. The web
 * instance that took the login sends it to the first socket this session opens
 * there; behind a load balancer, this page's socket can reach another instance,
 * and the ad never comes. Then the page asks for an ad of its own. Longer
 * than the race's deadline (AD_DEADLINE_MS, 250 ms by default), by which even
 * the house ad has come; with a deadline longer than this, a slow login race
 * can cost one race more.
 */
const LOGIN_AD_WAIT_MS = 1500;

/** Opens the ad socket. `announcePage` is false right after logging in: the login itself asked for an ad. */
function connect(announcePage: boolean): void {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`);
  socket = ws;
  let sawAd = false;
  ws.addEventListener('open', () => {
    reconnectDelayMs = 500;
    status('');
    if (announcePage) viewPage();
    else setTimeout(() => !sawAd && socket === ws && viewPage(), LOGIN_AD_WAIT_MS);
  });
  ws.addEventListener('message', (event) => {
    // Checked against the contract before anything is shown: a message that breaks it is reported, not rendered.
    const decoded = decodeServerMessage(String(event.data));
    if (!decoded.ok) return status(`Ignored a message from the server: ${decoded.error}`);
    sawAd ||= decoded.message.type === 'ad';
    onMessage(decoded.message);
  });
  ws.addEventListener('close', () => {
    if (socket !== ws || !loggedIn) return;
    status('Lost the connection to the ad server; reconnecting…');
    setTimeout(() => void resume(), reconnectDelayMs);
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, 10_000);
  });
}

/** Picks up an existing session: show the site and reconnect, or show the login form. */
async function resume(): Promise<void> {
  try {
    const res = await fetch('/api/session');
    if (res.status === 401) return showLogin();
    if (!res.ok) throw new Error(String(res.status));
    const { customer } = (await res.json()) as { customer: Customer };
    showSite(customer);
    connect(true);
  } catch {
    status('Cannot reach the server; retrying…');
    setTimeout(() => void resume(), reconnectDelayMs);
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, 10_000);
  }
}

async function logIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const error = $('login-error');
  error.textContent = '';
  const email = $<HTMLInputElement>('email').value.trim();
  const password = $<HTMLInputElement>('password').value;
  if (!email || !password) {
    error.textContent = 'Enter your e-mail address and password.';
    return;
  }
  try {
    const res = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const body = (await res.json()) as { customer?: Customer; error?: string };
    if (!res.ok || !body.customer) {
      error.textContent = res.status === 401 ? 'Wrong e-mail address or password.' : `Could not log in: ${body.error ?? res.statusText}`;
      return;
    }
    $<HTMLInputElement>('password').value = '';
    location.hash = 'home';
    showSite(body.customer);
    connect(false);
  } catch {
    error.textContent = 'Could not reach the server. Is it running?';
  }
}

async function logOut(): Promise<void> {
  loggedIn = false;
  socket?.close(1000, 'logged out');
  socket = null;
  await fetch('/api/logout', { method: 'POST' }).catch(() => undefined);
  $('ad-card').replaceChildren();
  $('finish-rows').replaceChildren();
  tally = new WinTally();
  renderTally();
  showLogin();
}

/**
 * Stage mode: large type that fills a projector's 1920x1080 with the ad, the
 * served-by line and the photo finish. `?stage` in the address turns it on
 * (`?stage=off` off); the toggle in the header too. Remembered in this browser.
 */
function setStage(on: boolean): void {
  document.documentElement.classList.toggle('stage', on);
  $('stage-toggle').setAttribute('aria-pressed', String(on));
  try {
    localStorage.setItem('ad-race.stage', on ? 'on' : 'off');
  } catch {
    // Storage refused (a private window, say): stage mode lasts as long as the page.
  }
}

function initialStage(): boolean {
  const asked = new URLSearchParams(location.search).get('stage');
  if (asked !== null) return asked !== 'off' && asked !== '0' && asked !== 'false';
  try {
    return localStorage.getItem('ad-race.stage') === 'on';
  } catch {
    return false;
  }
}

$('login-form').addEventListener('submit', (event) => void logIn(event as SubmitEvent));
$('logout').addEventListener('click', () => void logOut());
$('stage-toggle').addEventListener('click', () => setStage(!document.documentElement.classList.contains('stage')));
window.addEventListener('hashchange', () => {
  if (!loggedIn) return;
  renderPage();
  viewPage();
});
// A link to the page already shown changes no hash, so no hashchange: it is a page view all the same.
for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-page]')) {
  link.addEventListener('click', () => {
    if (loggedIn && link.hash === location.hash) viewPage();
  });
}
setStage(initialStage());
void resume();
