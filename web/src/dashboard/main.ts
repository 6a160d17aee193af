import { answersNeeds, DASHBOARD_WINDOWS, decodeDashboardSnapshot, type DashboardSnapshot, type DashboardWindow } from '@ad-race/contracts';
import { el } from '../ad-card';
import { fitnessSteps, latencyLines, perVersion } from './chart-data';
import { Chart } from './charts';
import { colourOf } from './palette';
import { $, renderRaces, renderVerdict, renderVersions } from './render';
// uPlot's own styles, bundled beside this script (dashboard/main.css): the CSP allows styles from this origin only.
import 'uplot/dist/uPlot.min.css';

// The monitor's dashboard: one live stream of snapshots (server-sent events),
// each checked against the contract before anything is drawn. The window and
// the pair judged are in the address, so a projector can be pointed at one.

/** Without a snapshot for this long, the page says so. */
const STALE_MS = 10_000;

interface Choice {
  window: DashboardWindow;
  /** The pair judged; empty: the monitor chooses. */
  a: string;
  b: string;
}

function choiceFromAddress(): Choice {
  const q = new URLSearchParams(location.search);
  const window = q.get('window') as DashboardWindow;
  return { window: DASHBOARD_WINDOWS.includes(window) ? window : '5m', a: q.get('a') ?? '', b: q.get('b') ?? '' };
}

let choice = choiceFromAddress();
let source: EventSource | null = null;
let lastSnapshotAt = 0;
let knownVersions: string[] = [];

const charts = {
  win: new Chart($('chart-win'), { y: 'rate', x: 'time', kind: 'lines' }),
  latency: new Chart($('chart-latency'), { y: 'ms', x: 'time', kind: 'lines' }),
  fitness: new Chart($('chart-fitness'), { y: 'share', x: 'eur', kind: 'steps' }),
  ctr: new Chart($('chart-ctr'), { y: 'ratio', x: 'time', kind: 'lines' }),
};

function connection(state: 'live' | 'connecting' | 'down' | 'stale' | 'broken', text: string): void {
  const status = $('connection');
  status.dataset['state'] = state;
  status.textContent = text;
}

/** The choice as a query string: the stream's and the address's. */
function queryOf(c: Choice): string {
  const q = new URLSearchParams({ window: c.window });
  if (c.a) q.set('a', c.a);
  if (c.b) q.set('b', c.b);
  return q.toString();
}

/** (Re)opens the stream for the current choice. EventSource reconnects by itself after a dropped connection. */
function connect(): void {
  source?.close();
  connection('connecting', 'Connecting to the monitor…');
  const es = new EventSource(`api/dashboard/stream?${queryOf(choice)}`);
  source = es;
  es.addEventListener('snapshot', (event) => {
    const decoded = decodeDashboardSnapshot((event as MessageEvent<string>).data);
    if (!decoded.ok) {
      connection('broken', `The monitor sent what the page cannot read: ${decoded.error}`);
      return;
    }
    lastSnapshotAt = Date.now();
    connection('live', `Live · updated ${new Date(decoded.message.at).toLocaleTimeString()}`);
    render(decoded.message);
  });
  es.addEventListener('error', () => {
    if (source !== es) return;
    connection('down', 'Monitor unreachable, retrying…');
    // A refused answer (not a dropped connection) closes the stream for good: open it again a little later.
    if (es.readyState === EventSource.CLOSED) setTimeout(() => source === es && connect(), 3000);
  });
}

setInterval(() => {
  if (source && lastSnapshotAt > 0 && Date.now() - lastSnapshotAt > STALE_MS && $('connection').dataset['state'] === 'live') {
    connection('stale', `No news from the monitor for ${Math.round((Date.now() - lastSnapshotAt) / 1000)} s, retrying…`);
  }
}, 2000);

function render(s: DashboardSnapshot): void {
  const adVersions = s.versions.filter(answersNeeds).map((v) => v.version);
  knownVersions = [...new Set([...knownVersions, ...adVersions, ...s.series.versions.map((v) => v.version)])];
  const colour = (version: string) => colourOf(version, knownVersions);
  renderVersions(s.versions, colour);
  renderPicker(s);
  renderVerdict(s.comparison);
  charts.win.draw(perVersion(s.series, (v) => v.winRate), colour);
  charts.latency.draw(latencyLines(s.series), colour);
  charts.fitness.draw(fitnessSteps(s.fitness), colour);
  charts.ctr.draw(perVersion(s.series, (v) => v.clickThrough), colour);
  const seriesKeys = s.series.versions.map((v) => ({ version: v.version, shadow: v.shadow }));
  for (const [name, versions] of [
    ['win', seriesKeys],
    ['latency', seriesKeys],
    ['fitness', s.fitness.versions.filter((v) => v.total > 0).map((v) => ({ version: v.version, shadow: false, mean: v.mean }))],
    ['ctr', s.series.versions.filter((v) => !v.shadow).map((v) => ({ version: v.version, shadow: false }))],
  ] as const) {
    renderLegend(name, versions, colour);
  }
  renderRaces(s.races, colour);
}

function renderLegend(name: string, versions: readonly { version: string; shadow: boolean; mean?: number | null }[], colour: (v: string) => string): void {
  const box = document.querySelector<HTMLElement>(`[data-legend="${name}"]`)!;
  box.replaceChildren(
    ...versions.map((v) => {
      const item = el('span', undefined, 'key');
      const line = el('span', undefined, 'key-line');
      line.style.backgroundColor = colour(v.version);
      const text = el('span', `${v.version}${v.shadow ? ' (shadow)' : ''}${v.mean !== undefined && v.mean !== null ? ` · mean €${v.mean.toFixed(2)}` : ''}`);
      item.append(line, text);
      return item;
    }),
  );
}

/** The pair pickers: every ad version heard of; the pair judged selected. */
function renderPicker(s: DashboardSnapshot): void {
  const judged = s.comparison ? { a: s.comparison.a.version, b: s.comparison.b.version } : { a: choice.a, b: choice.b };
  for (const [id, selected] of [
    ['pair-a', judged.a],
    ['pair-b', judged.b],
  ] as const) {
    const select = $<HTMLSelectElement>(id);
    if (document.activeElement === select) continue; // not while someone is choosing
    const options = [...knownVersions].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
    if (select.options.length !== options.length || [...select.options].some((o, i) => o.value !== options[i])) {
      select.replaceChildren(...options.map((v) => new Option(v, v)));
    }
    select.value = selected;
  }
}

function choose(change: Partial<Choice>): void {
  choice = { ...choice, ...change };
  history.replaceState(null, '', `?${queryOf(choice)}`);
  connect();
}

$<HTMLSelectElement>('window').value = choice.window;
$<HTMLSelectElement>('window').addEventListener('change', (e) => choose({ window: (e.target as HTMLSelectElement).value as DashboardWindow }));
$<HTMLSelectElement>('pair-a').addEventListener('change', (e) => choose({ a: (e.target as HTMLSelectElement).value, b: $<HTMLSelectElement>('pair-b').value }));
$<HTMLSelectElement>('pair-b').addEventListener('change', (e) => choose({ b: (e.target as HTMLSelectElement).value, a: $<HTMLSelectElement>('pair-a').value }));
$('pair').addEventListener('submit', (e) => e.preventDefault());
connect();
