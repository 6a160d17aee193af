import type { Comparison, DashboardSeries, RaceResult } from '@ad-race/contracts';
import { fitnessSteps, latencyLines, perVersion, shapeOf } from './chart-data';
import { colourOf } from './palette';
import { raceView } from './races';
import { answersNeeds } from '@ad-race/contracts';
import { channels } from './render';
import { formatP, overallLine, verdictRows } from './verdict';

const series: DashboardSeries = {
  bucketSeconds: 10,
  times: [100, 110],
  versions: [
    { version: 'v1', shadow: false, answers: [4, 1], winRate: [0.75, null], p50: [11, 100], p95: [12, 100], p99: [13, 100], clicks: [1, 0], clickThrough: [0.333, null] },
    { version: 'v3', shadow: true, answers: [4, 0], winRate: [0, null], p50: [1, null], p95: [2, null], p99: [3, null], clicks: [0, 0], clickThrough: [null, null] },
  ],
};

describe('the chart data', () => {
  it('gives one line per version, each as long as the times', () => {
    const data = perVersion(series, (v) => v.winRate);
    expect(data).toEqual({ x: [100, 110], lines: [{ version: 'v1', part: '' }, { version: 'v3', part: '' }], columns: [[0.75, null], [0, null]] });
  });

  it('gives three latency lines per version, p50 p95 p99, and a new shape when the versions change', () => {
    const data = latencyLines(series);
    expect(data.lines.map((l) => `${l.version} ${l.part}`)).toEqual(['v1 p50', 'v1 p95', 'v1 p99', 'v3 p50', 'v3 p95', 'v3 p99']);
    expect(data.columns[4]).toEqual([2, null]);
    expect(shapeOf(data)).not.toBe(shapeOf(latencyLines({ ...series, versions: series.versions.slice(0, 1) })));
  });

  it('draws the fitness histogram as each version’s share of its answers, a step per bin', () => {
    const data = fitnessSteps({ edges: [0, 5, 10], versions: [{ version: 'v1', counts: [1, 3], total: 4, mean: 6 }, { version: 'v2', counts: [0, 0], total: 0, mean: null }] });
    expect(data).toEqual({ x: [0, 5, 10], lines: [{ version: 'v1', part: '' }], columns: [[25, 75, 75]] });
  });
});

const paired = (pairs: number, verdict: Comparison['verdict'], more: Partial<Comparison['fitness']> = {}): Comparison['fitness'] => ({
  pairs,
  dropped: 0,
  meanA: 10,
  meanB: 12.5,
  meanDifference: 2.5,
  ci95: [1.25, 3.75],
  pValue: 0.0004,
  verdict,
  ...more,
});
const summary = (version: string): Comparison['a'] => ({ version, shadow: false, answers: 60, invalid: 0, latencyMs: null, winRate: 0.5, wins: 30, wouldHaveWon: 0, meanFitness: 10, clicks: 3, clickThrough: 0.1 });
const comparison = (verdict: Comparison['verdict']): Comparison => ({
  window: { from: '2026-11-30T09:00:00.000Z', to: '2026-11-30T09:05:00.000Z' },
  needs: 60,
  houseAds: 0,
  a: summary('v1'),
  b: summary('v2'),
  fitness: paired(60, verdict),
  latency: paired(60, 'no significant difference', { meanA: 4, meanB: 3.5, meanDifference: -0.5, ci95: [-1, 0], pValue: 0.2 }),
  clickThrough: { a: { successes: 3, trials: 30, rate: 0.1 }, b: { successes: 0, trials: 30, rate: 0 }, difference: -0.1, ci95: null, z: null, pValue: null, verdict: 'not enough data' },
  verdict,
  summary: 'v2 against v1 …',
  hourly: [],
});

describe('the verdict table', () => {
  it('shows each metric: both sides, the difference with its 95% interval and p, and its verdict', () => {
    const [fitness, latency, ctr] = verdictRows(comparison('better'));
    expect(fitness).toEqual({ metric: 'Fitness', basis: '60 pairs', a: '€10.00', b: '€12.50', difference: '+€2.50', confidence: '+€1.25 … +€3.75 · p < 0.001', verdict: 'better' });
    expect(latency).toMatchObject({ a: '4.00 ms', b: '3.50 ms', difference: '−0.50 ms', confidence: '−1.00 ms … ±0.00 ms · p = 0.200' });
    expect(ctr).toMatchObject({ basis: '30 · 30 ads', a: '10.0%', b: '0.0%', difference: '−10.0 pt', confidence: 'no interval yet · p —', verdict: 'not enough data' });
  });

  it('says "not enough data" where that is the truth, and the verdict otherwise', () => {
    expect(overallLine(comparison('not enough data'))).toBe('v2 vs v1: not enough data yet');
    expect(overallLine(comparison('better'))).toBe('v2 is better than v1');
    expect(overallLine(comparison('worse'))).toBe('v2 is worse than v1');
    expect(overallLine(comparison('no significant difference'))).toBe('v2 vs v1: no significant difference');
    expect(formatP(null)).toBe('—');
    expect(formatP(0.04567)).toBe('0.046');
  });
});

describe('a race as a photo finish', () => {
  const reply = (version: string, latencyMs: number, more: Partial<RaceResult['replies'][number]> = {}) => ({ version, latencyMs, won: false, shadow: false, late: false, translated: false, ...more });
  const race = (replies: RaceResult['replies'], more: Partial<RaceResult> = {}): RaceResult => ({ needId: 'n1', at: '2026-11-30T09:00:00.000Z', page: 'login', deadlineMs: 250, winner: 'v1', replies, noAnswer: [], ...more });

  it('reads as on the customer page when the first answer made won', () => {
    const view = raceView(race([reply('v1', 2, { won: true }), reply('v2', 5, { translated: true }), reply('v3', 7, { shadow: true })], { noAnswer: ['v4'] }));
    expect(view.summary).toBe('v1 won in 2.00 ms, 3.00 ms ahead of v2. No answer from v4.');
    expect(view.rows.map((r) => [r.version, r.kind])).toEqual([
      ['v1', 'won'],
      ['v2', 'lost'],
      ['v3', 'shadow'],
      ['v4', 'no-answer'],
    ]);
  });

  it('says so when an answer made first arrived second and lost, rather than a negative lead', () => {
    const view = raceView(race([reply('v1', 3), reply('v2', 6, { won: true, translated: true })], { winner: 'v2' }));
    expect(view.summary).toBe('v2 won in 6.00 ms: its answer reached the web server before v1’s, made 3.00 ms sooner.');
    expect(view.rows[0]).toMatchObject({ version: 'v1', kind: 'lost', result: 'lost: made 3.00 ms sooner, arrived later' });
  });

  it('shows the house ad when the deadline is not known', () => {
    expect(raceView(race([], { winner: null, deadlineMs: null })).summary).toBe('The house ad was shown.');
  });
});

describe('the versions table', () => {
  it('tells the ad service’s versions from the rest of the stack, and says what each speaks', () => {
    const ads = { reads: ['ad.need.v2'], writes: ['ad.solution.v2', 'service.heartbeat.v1'] };
    const adapter = { reads: ['ad.need.v1', 'ad.solution.v2'], writes: ['ad.need.v2', 'ad.solution.v1', 'service.heartbeat.v1'] };
    expect(answersNeeds(ads)).toBe(true);
    expect(answersNeeds(adapter)).toBe(false);
    expect(channels(ads)).toBe('need v2 → solution v2');
    expect(channels(adapter)).toBe('need v1, solution v2 → need v2, solution v1');
    expect(channels({ reads: ['service.heartbeat.v1'], writes: [] })).toBe('–');
  });

  it('gives each version one colour, the same wherever it is drawn', () => {
    const versions = ['v3', 'v1', 'v2'];
    expect(colourOf('v1', versions)).toBe(colourOf('v1', ['v1', 'v2', 'v3']));
    expect(new Set(versions.map((v) => colourOf(v, versions))).size).toBe(3);
  });
});
