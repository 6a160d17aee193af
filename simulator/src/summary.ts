import { HOUSE_AD_SOURCES } from './ground-truth';
import { SECONDS_PER_DAY } from './plan';

// What a run counts as it goes (page views, ads by who served them, clicks),
// what it reports while it runs, and the summary at the end.

/** One version's ads (the races it won) and the clicks on them. */
export interface VersionCounts {
  ads: number;
  clicks: number;
  /** clicks / ads; null before its first ad. */
  clickThrough: number | null;
}

/** What happened so far. */
export interface Counts {
  /** Customers logged in (each once a run; the login shows an ad too). */
  logins: number;
  /** Page views sent over the customers' sockets. */
  pageViews: number;
  /** Ads received for a login or a page view. */
  ads: number;
  /** Ads served by each ad-service version (not house ads). */
  byVersion: Record<string, VersionCounts>;
  /** House ads: no version answered in time (fallback), or the web server was too busy to ask (shed). */
  houseAds: { fallback: number; shed: number };
  clicks: number;
  /** Error messages from the web server, messages breaking the contract, ads for no view sent, sockets lost. */
  problems: number;
}

export interface Progress extends Counts {
  phase: 'logging in' | 'browsing' | 'waiting for the last ads' | 'done';
  /** Simulated seconds since Monday midnight. */
  simulatedSec: number;
  days: number;
  /** Page views the plan holds for the whole run. */
  plannedPageViews: number;
}

export interface Summary extends Counts {
  url: string;
  customers: number;
  days: number;
  seed: number;
  speed: number;
  /** Logins and page views with no ad by the end of the run. */
  unanswered: number;
  /** Real time the run took, logins included. */
  elapsedMs: number;
}

/** Counts a run's events. */
export class Tally {
  private readonly counts: Counts = { logins: 0, pageViews: 0, ads: 0, byVersion: {}, houseAds: { fallback: 0, shed: 0 }, clicks: 0, problems: 0 };

  loggedIn(): void {
    this.counts.logins++;
  }

  pageViewSent(): void {
    this.counts.pageViews++;
  }

  /** An ad arrived for a view: served by a version (or the house ad), clicked or not. */
  adShown(servedByVersion: string, clicked: boolean): void {
    const c = this.counts;
    c.ads++;
    if (HOUSE_AD_SOURCES.includes(servedByVersion)) {
      c.houseAds[servedByVersion === 'shed' ? 'shed' : 'fallback']++;
      return;
    }
    const version = (c.byVersion[servedByVersion] ??= { ads: 0, clicks: 0, clickThrough: null });
    version.ads++;
    if (clicked) {
      version.clicks++;
      c.clicks++;
    }
    version.clickThrough = version.clicks / version.ads;
  }

  problem(): void {
    this.counts.problems++;
  }

  /** A copy of the counts so far. */
  snapshot(): Counts {
    const c = this.counts;
    const byVersion = Object.fromEntries(Object.entries(c.byVersion).map(([v, counts]) => [v, { ...counts }]));
    return { ...c, byVersion, houseAds: { ...c.houseAds } };
  }
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A simulated instant as people read it: "day 3 Wed 19:42"; the end of the last of `days` days is its 24:00. */
export function simulatedClock(simulatedSec: number, days = Infinity): string {
  const end = simulatedSec >= days * SECONDS_PER_DAY;
  const day = end ? days - 1 : Math.floor(simulatedSec / SECONDS_PER_DAY);
  const inDay = end ? SECONDS_PER_DAY : Math.floor(simulatedSec - day * SECONDS_PER_DAY);
  const hh = String(Math.floor(inDay / 3600)).padStart(2, '0');
  const mm = String(Math.floor((inDay % 3600) / 60)).padStart(2, '0');
  return `day ${day + 1} ${WEEKDAYS[day % 7]} ${hh}:${mm}`;
}

const percent = (share: number | null) => (share === null ? '–' : `${(100 * share).toFixed(1)}%`);

/** The versions in a stable order: by name. */
const versionsOf = (counts: Counts) => Object.keys(counts.byVersion).sort();

/** House ads: no version answered in time (fallback), or the web server was too busy to ask (shed). */
export const houseAds = (counts: Counts) => counts.houseAds.fallback + counts.houseAds.shed;

/** Who served the ads so far, in one short text: "v1 520 v2 640 house 3" (with separator ' '). */
export function servedLine(counts: Counts, separator: string): string {
  return [...versionsOf(counts).map((v) => `${v} ${counts.byVersion[v]!.ads}`), `house ${houseAds(counts)}`].join(separator);
}

/** Click-through so far, per version, in one short text: "v1 2.1% v2 8.4%". */
export function clickThroughLine(counts: Counts): string {
  const versions = versionsOf(counts);
  return versions.length === 0 ? '–' : versions.map((v) => `${v} ${percent(counts.byVersion[v]!.clickThrough)}`).join('  ');
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** The summary as a few lines of text, for a terminal. */
export function formatSummary(s: Summary): string {
  const n = (x: number) => x.toLocaleString('en');
  const answered = s.unanswered === 0 ? 'every one answered' : `${n(s.unanswered)} unanswered`;
  const rows = versionsOf(s).map((v) => {
    const c = s.byVersion[v]!;
    return `  ${v.padEnd(10)}${n(c.ads).padStart(8)}${percent(c.ads / Math.max(1, s.ads)).padStart(9)}${n(c.clicks).padStart(9)}${percent(c.clickThrough).padStart(15)}`;
  });
  const house = houseAds(s);
  return [
    `Simulated ${s.days} day${s.days === 1 ? '' : 's'} of ${s.customers} customer${s.customers === 1 ? '' : 's'} (seed ${s.seed}, ${n(s.speed)}× speed) against ${s.url} in ${formatDuration(s.elapsedMs)}`,
    `  ${n(s.pageViews)} page views and ${n(s.logins)} logins: ${n(s.ads)} ads, ${answered}`,
    '',
    `  ${'version'.padEnd(10)}${'ads won'.padStart(8)}${'share'.padStart(9)}${'clicks'.padStart(9)}${'click-through'.padStart(15)}`,
    ...rows,
    `  ${'house ad'.padEnd(10)}${n(house).padStart(8)}${percent(house / Math.max(1, s.ads)).padStart(9)}   (${n(s.houseAds.fallback)} too late, ${n(s.houseAds.shed)} shed)`,
    ...(s.problems > 0 ? ['', `  ${n(s.problems)} problems (error messages, broken messages, lost sockets): see the lines above`] : []),
  ].join('\n');
}
