import { answersNeeds, type Comparison, type RaceResult, type VersionAlive } from '@ad-race/contracts';
import { el } from '../ad-card';
import { raceView } from './races';
import { overallLine, verdictRows } from './verdict';

// Tables and photo finishes, written into the page's elements with
// textContent only (what the monitor says is never parsed as HTML).

/** The page's element with this id. */
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function swatch(colour: string): HTMLElement {
  const s = document.createElement('span');
  s.className = 'swatch';
  s.style.backgroundColor = colour; // CSSOM, not an inline style attribute: allowed by the CSP
  return s;
}

/** The versions alive: the ad service's first, then the rest of the stack; shadow ones marked. */
export function renderVersions(versions: readonly VersionAlive[], colour: (version: string) => string): void {
  const shown = [...versions].sort((x, y) => Number(answersNeeds(y)) - Number(answersNeeds(x)));
  const rows = shown.map((v) => {
    const tr = document.createElement('tr');
    tr.dataset['version'] = v.version;
    tr.dataset['service'] = v.service;
    if (!v.alive) tr.className = 'gone';
    const name = el('td', '');
    if (answersNeeds(v)) name.append(swatch(colour(v.version)));
    name.append(el('span', answersNeeds(v) ? `${v.service} ${v.version}` : v.service));
    if (v.shadow) name.append(tag('shadow', 'shadow'));
    if (!v.alive) name.append(tag('stopped', 'stopped'));
    tr.append(name, el('td', v.alive ? String(v.instances.length) : '0', 'number'), el('td', channels(v), 'speaks'));
    return tr;
  });
  $('versions-rows').replaceChildren(...(rows.length ? rows : [emptyRow(3, 'No heartbeat heard yet.')]));
}

/** The message versions a service speaks, shortly: "need v1 v2 → solution v1 v2". */
export function channels(v: Pick<VersionAlive, 'reads' | 'writes'>): string {
  const short = (list: readonly string[]) => {
    const byName = new Map<string, string[]>();
    for (const c of list) {
      const m = /^(?:ad\.)?(.+)\.(v\d+)$/.exec(c);
      if (!m || m[1] === 'service.heartbeat' || m[1] === 'session.ended') continue;
      byName.set(m[1]!, [...(byName.get(m[1]!) ?? []), m[2]!]);
    }
    return [...byName].map(([name, vs]) => `${name} ${vs.sort().join(' ')}`).join(', ');
  };
  const reads = short(v.reads);
  const writes = short(v.writes);
  return reads || writes ? `${reads || '–'} → ${writes || '–'}` : '–';
}

function tag(text: string, kind: string): HTMLElement {
  return el('span', text, `tag tag-${kind}`);
}

function emptyRow(columns: number, text: string): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const td = el('td', text, 'muted');
  td.colSpan = columns;
  tr.append(td);
  return tr;
}

/** The verdict of b against a: one big line, the table, and the monitor's sentence. */
export function renderVerdict(comparison: Comparison | null): void {
  const overall = $('verdict-overall');
  if (!comparison) {
    overall.textContent = 'Not enough data: no two versions have answered yet.';
    overall.dataset['verdict'] = 'not enough data';
    $('verdict-rows').replaceChildren();
    $('verdict-summary').textContent = '';
    return;
  }
  overall.textContent = overallLine(comparison);
  overall.dataset['verdict'] = comparison.verdict;
  $('verdict-a').textContent = comparison.a.version;
  $('verdict-b').textContent = comparison.b.version;
  $('verdict-rows').replaceChildren(
    ...verdictRows(comparison).map((row) => {
      const tr = document.createElement('tr');
      const metric = el('td', row.metric, 'metric');
      const verdict = el('span', row.verdict, 'metric-verdict');
      verdict.dataset['verdict'] = row.verdict;
      metric.append(verdict, el('small', row.basis));
      const difference = el('td', row.difference, 'number');
      difference.append(el('small', row.confidence));
      tr.append(metric, el('td', row.a, 'number'), el('td', row.b, 'number'), difference);
      return tr;
    }),
  );
  $('verdict-summary').textContent = comparison.summary;
}

/** The last races, newest first, as photo finishes: a lane per version, its bar as long as its time. */
export function renderRaces(races: readonly RaceResult[], colour: (version: string) => string): void {
  const items = races.map((race) => {
    const li = document.createElement('li');
    li.className = 'race';
    const view = raceView(race);
    const head = document.createElement('p');
    head.className = 'race-head';
    const time = document.createElement('time');
    time.dateTime = race.at;
    time.textContent = new Date(race.at).toLocaleTimeString();
    const summary = document.createElement('span');
    summary.textContent = view.summary;
    head.append(time, summary);
    const slowest = Math.max(1, ...race.replies.map((r) => r.latencyMs));
    const lanes = document.createElement('ul');
    lanes.className = 'lanes';
    // finishRows lists the answers in the order given (fastest first), then the versions that gave none.
    view.rows.forEach((row, i) => {
      const reply = race.replies[i];
      const lane = document.createElement('li');
      lane.className = `lane result-${row.kind}`;
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = row.version;
      if (reply?.translated) who.append(tag('adapter', 'route'));
      const track = document.createElement('span');
      track.className = 'track';
      if (reply) {
        const bar = document.createElement('span');
        bar.className = 'bar';
        bar.style.width = `${Math.max(2, (100 * reply.latencyMs) / slowest)}%`;
        bar.style.backgroundColor = colour(row.version);
        track.append(bar);
      }
      const result = document.createElement('span');
      result.className = 'result';
      result.textContent = reply ? `${row.time} · ${row.result}` : row.result;
      lane.append(who, track, result);
      lanes.append(lane);
    });
    li.append(head, lanes);
    return li;
  });
  const empty = document.createElement('li');
  empty.className = 'muted';
  empty.textContent = 'No race yet.';
  $('races').replaceChildren(...(items.length ? items : [empty]));
}
