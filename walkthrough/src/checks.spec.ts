import type { Comparison, RaceResult, VersionAlive, VersionSummary } from '@ad-race/contracts';
import type { Counts } from '@ad-race/simulator';
import {
  answersTranslated,
  comparedInShadow,
  everyViewServed,
  fitnessAndClicks,
  instancesOf,
  margins,
  monitorSawWinner,
  neverServed,
  photoFinish,
  ranOn,
  seenAlive,
  servedOnlyBy,
  verdictGiven,
  wonMost,
} from './checks';

// Each act's claims, judged both ways: each holds on figures that show what
// the act proves, and fails on figures where that stopped being true.

function counts(byVersion: Record<string, number>, extra: Partial<Counts> = {}): Counts {
  const ads = Object.values(byVersion).reduce((a, b) => a + b, 0) + (extra.houseAds ? extra.houseAds.fallback + extra.houseAds.shed : 0);
  return {
    logins: 0,
    pageViews: ads,
    ads,
    byVersion: Object.fromEntries(Object.entries(byVersion).map(([v, n]) => [v, { ads: n, clicks: 0, clickThrough: 0 }])),
    houseAds: { fallback: 0, shed: 0 },
    clicks: 0,
    problems: 0,
    ...extra,
  };
}

function summary(version: string, fields: Partial<VersionSummary> = {}): VersionSummary {
  return { version, shadow: false, answers: 60, invalid: 0, latencyMs: { p50: 1, p95: 2, p99: 3 }, winRate: 0.5, wins: 30, wouldHaveWon: 0, meanFitness: 10, clicks: 3, clickThrough: 0.1, ...fields };
}

function comparison(a: VersionSummary, b: VersionSummary, fields: Partial<Comparison> = {}): Comparison {
  const paired = { pairs: 60, dropped: 0, meanA: 1, meanB: 1, meanDifference: 0, ci95: null, pValue: null, verdict: 'better' as const };
  const proportion = { successes: 1, trials: 10, rate: 0.1 };
  return {
    window: { from: '2026-11-30T10:00:00.000Z', to: '2026-11-30T10:01:00.000Z' },
    needs: 60,
    houseAds: 0,
    a,
    b,
    latency: paired,
    fitness: paired,
    clickThrough: { a: proportion, b: proportion, difference: 0, ci95: null, z: null, pValue: null, verdict: 'no significant difference' },
    verdict: 'better',
    summary: 'b against a: overall better',
    hourly: [],
    ...fields,
  };
}

const reply = (version: string, latencyMs: number, extra: Partial<RaceResult['replies'][number]> = {}) => ({ version, latencyMs, won: false, shadow: false, late: false, translated: false, ...extra });
const race = (at: string, ...replies: RaceResult['replies']): RaceResult => ({ needId: at, at, page: 'home', deadlineMs: 250, winner: replies[0]?.version ?? null, replies, noAnswer: [] });

function alive(service: string, version: string, instances: string[], fields: Partial<VersionAlive> = {}): VersionAlive {
  const at = '2026-11-30T10:00:00.000Z';
  return { service, version, shadow: false, alive: instances.length > 0, instances: instances.map((instance) => ({ instance, lastSeen: at, reads: [], writes: [] })), reads: [], writes: [], lastSeen: at, ...fields };
}

describe('what the customers saw', () => {
  it('every page view got an ad from an ad service: not when one is unanswered, fell back to the house ad, or the server reported a problem', () => {
    expect(everyViewServed(counts({ v1: 60 }), 0).holds).toBe(true);
    expect(everyViewServed(counts({ v1: 59 }), 1).holds).toBe(false);
    expect(everyViewServed(counts({ v1: 59 }, { houseAds: { fallback: 1, shed: 0 } }), 0)).toMatchObject({ holds: false, evidence: '60 page views: 60 ads (v1 59, house 1), 0 unanswered' });
    expect(everyViewServed(counts({ v1: 60 }, { problems: 2 }), 0).holds).toBe(false);
    expect(everyViewServed(counts({}), 0).holds).toBe(false); // no traffic proves nothing
  });

  it('every ad from the versions named: not when another served one', () => {
    expect(servedOnlyBy(counts({ v1: 60 }), ['v1']).holds).toBe(true);
    expect(servedOnlyBy(counts({ v1: 59, v2: 1 }), ['v1'])).toMatchObject({ holds: false, evidence: 'v1 59, v2 1, house 0' });
    expect(servedOnlyBy(counts({}), ['v1']).holds).toBe(false);
  });

  it('one version won most: more than half, not half', () => {
    expect(wonMost(counts({ v1: 29, v2: 31 }), 'v2')).toMatchObject({ holds: true, evidence: '31 of 60 ads (52%)' });
    expect(wonMost(counts({ v1: 30, v2: 30 }), 'v2').holds).toBe(false);
  });

  it('a shadow was never served: not once', () => {
    expect(neverServed(counts({ v2: 60 }), 'v3').holds).toBe(true);
    expect(neverServed(counts({ v2: 59, v3: 1 }), 'v3')).toMatchObject({ holds: false, evidence: 'v3 served 1 of 60 ads' });
  });
});

describe('what the monitor reports', () => {
  it('counts a winner that won more than half the races it answered', () => {
    expect(monitorSawWinner(comparison(summary('v1', { winRate: 0.2 }), summary('v2', { winRate: 0.8, wins: 48 })), 'v2').holds).toBe(true);
    expect(monitorSawWinner(comparison(summary('v1', { winRate: 0.6 }), summary('v2', { winRate: 0.4 })), 'v2').holds).toBe(false);
    expect(monitorSawWinner(comparison(summary('v1'), summary('v2', { winRate: null, answers: 0 })), 'v2').holds).toBe(false);
  });

  it('shows the photo finish: the median margin of the races both ran, late answers left out', () => {
    const races = [race('1', reply('v2', 1), reply('v1', 2)), race('2', reply('v2', 1.5), reply('v1', 1.8)), race('3', reply('v1', 1)), race('4', reply('v1', 1), reply('v2', 1.2))];
    expect(margins(races, 'v2', 'v1').map((m) => +m.toFixed(2))).toEqual([1, 0.3, -0.2]);
    expect(photoFinish(races, 'v2', 'v1')).toMatchObject({ holds: true, evidence: 'v2 ahead by 0.30 ms, the median of the 3 races both ran' });
    expect(photoFinish(races, 'v1', 'v2').holds).toBe(false);
    expect(photoFinish([race('5', reply('v1', 1), reply('v2', 0.5, { late: true }))], 'v2', 'v1').holds).toBe(false);
  });

  it('sees a version alive or stopped, and the instances alive', () => {
    const versions = [alive('ads', 'v1', ['ads-v1-a']), alive('ads', 'v2', []), alive('web', '1.0.0', ['web-b', 'web-a'])];
    expect(seenAlive(versions, 'ads', 'v1', true).holds).toBe(true);
    expect(seenAlive(versions, 'ads', 'v2', true).holds).toBe(false);
    expect(seenAlive(versions, 'ads', 'v2', false).holds).toBe(true);
    expect(seenAlive(versions, 'ads', 'v9', true).evidence).toBe('ads v9: never seen');
    expect(instancesOf(versions, 'web')).toEqual(['web-a', 'web-b']);
    expect(instancesOf(versions, 'ads', 'v2')).toEqual([]);
  });

  it('says a process ran on only when the same instances are alive', () => {
    expect(ranOn('the web server', ['web-a'], ['web-a'], 'act 1').holds).toBe(true);
    expect(ranOn('the web server', ['web-a'], ['web-b'], 'act 1')).toMatchObject({ holds: false, evidence: 'before: web-a; now: web-b' });
    expect(ranOn('the web server', [], [], 'act 1').holds).toBe(false);
  });

  it('times a shadow that answers and never wins: not one that is no shadow, won, or never answered', () => {
    const v2 = summary('v2');
    expect(comparedInShadow(comparison(v2, summary('v3', { shadow: true, wins: 0, wouldHaveWon: 12 })), 'v3').holds).toBe(true);
    expect(comparedInShadow(comparison(v2, summary('v3', { shadow: false, wins: 0 })), 'v3').holds).toBe(false);
    expect(comparedInShadow(comparison(v2, summary('v3', { shadow: true, wins: 1 })), 'v3').holds).toBe(false);
    expect(comparedInShadow(comparison(v2, summary('v3', { shadow: true, wins: 0, answers: 0 })), 'v3').holds).toBe(false);
  });

  it('gives a verdict, and fitness and click-through for each version that served', () => {
    const c = comparison(summary('v1'), summary('v2'));
    expect(verdictGiven(c).holds).toBe(true);
    expect(verdictGiven({ ...c, verdict: 'not enough data' }).holds).toBe(false);
    expect(fitnessAndClicks(c)).toMatchObject({ holds: true, evidence: 'v1 fitness €10.00, click-through 10.0% (3 of 30); v2 fitness €10.00, click-through 10.0% (3 of 30)' });
    expect(fitnessAndClicks(comparison(summary('v1', { clickThrough: null }), summary('v2'))).holds).toBe(false);
    expect(fitnessAndClicks(comparison(summary('v1', { meanFitness: null }), summary('v2'))).holds).toBe(false);
    expect(fitnessAndClicks(comparison(summary('v2'), summary('v3', { shadow: true, clickThrough: null }))).holds).toBe(true); // a shadow serves no ads to click
  });

  it('sees a version on the newer messages, its answers translated: not while it reads the old ones, or when one came direct', () => {
    const moved = [alive('ads', 'v2', ['ads-v2-a'], { reads: ['ad.need.v2'] })];
    const translated = [race('1', reply('v1', 1), reply('v2', 2, { translated: true }))];
    expect(answersTranslated(moved, translated, 'v2', 'ad.need.v2').holds).toBe(true);
    expect(answersTranslated([alive('ads', 'v2', ['ads-v2-a'], { reads: ['ad.need.v1'] })], translated, 'v2', 'ad.need.v2').holds).toBe(false);
    expect(answersTranslated(moved, [...translated, race('2', reply('v2', 1))], 'v2', 'ad.need.v2').holds).toBe(false);
    expect(answersTranslated(moved, [], 'v2', 'ad.need.v2').holds).toBe(false);
  });
});
