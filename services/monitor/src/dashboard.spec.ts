import { DashboardSeries, FitnessHistogram, RaceResult } from '@ad-race/contracts';
import { Value } from '@sinclair/typebox/value';
import { bucketsOf, bucketStarts, fitnessHistogramOf, lastRacesOf, seriesOf, WINDOWS } from './dashboard';
import { defaultPair } from './dashboard-source';
import type { RaceAnswerFact, RaceFacts, Timeline, TimelineAnswer } from './evidence';

const T0 = Date.parse('2026-11-30T09:00:00Z');
const S = 10_000; // the 5-minute window's bucket
const answer = (needAt: number, version: string, latencyMs: number, fitness: number | null = null, shadow = false): TimelineAnswer => ({ needAt, version, latencyMs, fitness, shadow });
const empty: Timeline = { answers: [], wins: [], clicks: [] };

describe('the buckets of a window', () => {
  it('ends with the bucket holding now, aligned to the bucket width, and covers the window', () => {
    const now = T0 + 123_456;
    for (const window of ['5m', '1h', '1d'] as const) {
      const { spanMs, bucketMs } = WINDOWS[window];
      const starts = bucketStarts(window, now);
      expect(starts).toHaveLength(spanMs / bucketMs);
      expect(starts.at(-1)).toBe(Math.floor(now / bucketMs) * bucketMs);
      expect(starts.every((s, i) => s % bucketMs === 0 && (i === 0 || s - starts[i - 1]! === bucketMs))).toBe(true);
    }
    expect(bucketStarts('5m', now)).toHaveLength(30);
  });

  it('puts each fact in the bucket of its need, and leaves out the facts outside the window', () => {
    const buckets = bucketsOf({ answers: [answer(T0 - 1, 'v1', 5), answer(T0, 'v1', 5), answer(T0 + S - 1, 'v1', 7), answer(T0 + S, 'v1', 9), answer(T0 + 2 * S, 'v1', 1)], wins: [], clicks: [] }, [T0, T0 + S], S);
    expect(buckets.map((b) => b.versions.get('v1')?.answers)).toEqual([2, 1]);
  });
});

describe('the series the charts draw', () => {
  // Two buckets: v1 answers 4 needs in the first and wins 3, of which 1 is clicked; v2 answers all
  // 4 and wins 1; v3 answers in shadow. In the second, only v1 answers.
  const first = [T0, T0 + 1, T0 + 2, T0 + 3];
  const timeline: Timeline = {
    answers: [
      ...first.map((t, i) => answer(t, 'v1', 10 + i)),
      ...first.map((t, i) => answer(t, 'v2', 20 + i)),
      ...first.map((t) => answer(t, 'v3', 1, null, true)),
      answer(T0 + S, 'v1', 100),
    ],
    wins: [...first.slice(0, 3).map((t) => ({ needAt: t, version: 'v1' })), { needAt: first[3]!, version: 'v2' }],
    clicks: [{ needAt: T0, version: 'v1' }],
  };
  const series = seriesOf(bucketsOf(timeline, [T0, T0 + S, T0 + 2 * S], S), S);

  it('keeps the schema the dashboard validates, one value per bucket, times in seconds', () => {
    expect(Value.Check(DashboardSeries, series)).toBe(true);
    expect(series.bucketSeconds).toBe(10);
    expect(series.times).toEqual([T0 / 1000, T0 / 1000 + 10, T0 / 1000 + 20]);
    expect(series.versions.map((v) => v.version)).toEqual(['v1', 'v2', 'v3']);
    for (const v of series.versions) for (const values of [v.answers, v.winRate, v.p50, v.p95, v.p99, v.clicks, v.clickThrough]) expect(values).toHaveLength(3);
  });

  it('gives win rate as races won of races answered, and click-through as clicks of ads served', () => {
    const [v1, v2, v3] = series.versions;
    expect(v1!.answers).toEqual([4, 1, 0]);
    expect(v1!.winRate).toEqual([0.75, 0, null]);
    expect(v2!.winRate).toEqual([0.25, null, null]);
    expect(v1!.clicks).toEqual([1, 0, 0]);
    expect(v1!.clickThrough).toEqual([0.333, null, null]);
    expect(v2!.clickThrough).toEqual([0, null, null]);
    expect(v3).toMatchObject({ shadow: true, winRate: [0, null, null] });
    expect(v1!.shadow).toBe(false);
  });

  it('gives latency percentiles per bucket as the verdict library computes them (type 7)', () => {
    const v1 = series.versions[0]!;
    // 10, 11, 12, 13: p50 = 11.5; p95 = 10 + 0.95 × 3 = 12.85; p99 = 12.97.
    expect(v1.p50).toEqual([11.5, 100, null]);
    expect(v1.p95[0]).toBeCloseTo(12.85, 6);
    expect(v1.p99[0]).toBeCloseTo(12.97, 6);
  });

  it('has no version at all without facts', () => {
    expect(seriesOf(bucketsOf(empty, [T0], S), S).versions).toEqual([]);
  });
});

describe('the fitness histogram', () => {
  const bucketsWith = (answers: TimelineAnswer[]) => bucketsOf({ ...empty, answers }, [T0, T0 + S], S);

  it('merges the fine bins of every bucket into bins of one nice width, counting every scored answer once', () => {
    const answers = [
      ...[0.1, 0.4, 3.2, 9.9].map((f) => answer(T0, 'v1', 1, f)),
      ...[12.5, 19.99].map((f) => answer(T0 + S, 'v2', 1, f)),
      answer(T0, 'v2', 1, null), // not scored: not counted
    ];
    const histogram = fitnessHistogramOf(bucketsWith(answers), 10);
    expect(Value.Check(FitnessHistogram, histogram)).toBe(true);
    // 0 to 20 € in at most 10 bins: 2 € wide.
    expect(histogram.edges).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    const [v1, v2] = histogram.versions;
    expect(v1).toEqual({ version: 'v1', counts: [2, 1, 0, 0, 1, 0, 0, 0, 0, 0], total: 4, mean: 3.4 });
    expect(v2).toMatchObject({ version: 'v2', counts: [0, 0, 0, 0, 0, 0, 1, 0, 0, 1], total: 2 });
  });

  it('starts at the lowest bin holding an answer, not at zero', () => {
    const histogram = fitnessHistogramOf(bucketsWith([answer(T0, 'v1', 1, 100), answer(T0, 'v1', 1, 104.9)]), 20);
    expect(histogram.edges[0]).toBe(100);
    expect(histogram.edges.at(-1)).toBe(105);
    expect(histogram.versions[0]!.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('is empty, with every version listed, when nothing was scored', () => {
    expect(fitnessHistogramOf(bucketsWith([answer(T0, 'v1', 1, null)]))).toEqual({ edges: [], versions: [{ version: 'v1', counts: [], total: 0, mean: null }] });
  });
});

describe('the last races as photo finishes', () => {
  const fact = (messageId: string, version: string, at: number, more: Partial<RaceAnswerFact> = {}): RaceAnswerFact => ({
    messageId,
    version,
    channel: 'ad.solution.v1',
    translated: false,
    shadow: false,
    createdAt: T0 + at,
    valid: true,
    ...more,
  });
  const race = (answers: RaceAnswerFact[], more: Partial<RaceFacts> = {}): RaceFacts => ({
    conversationId: 'need-1',
    needAt: T0,
    deadlineAt: T0 + 250,
    page: 'login',
    winner: 'v1',
    winningAnswerId: 'a1',
    answers,
    ...more,
  });

  it('lists each version once, fastest first: its answer in the race, shadow and translation said, late past the deadline', () => {
    const [result] = lastRacesOf([
      race([
        fact('a1', 'v1', 4),
        // v2 answered version 2 first-hand, and the web server raced its translation (on the winner's channel).
        fact('a2', 'v2', 3, { channel: 'ad.solution.v2' }),
        fact('a2t', 'v2', 6, { translated: true }),
        fact('a3', 'v3', 2, { shadow: true, channel: 'ad.solution.v2' }),
        fact('a9', 'v9', 300),
      ]),
    ]);
    expect(Value.Check(RaceResult, result)).toBe(true);
    expect(result).toEqual({
      needId: 'need-1',
      at: new Date(T0).toISOString(),
      page: 'login',
      deadlineMs: 250,
      winner: 'v1',
      replies: [
        { version: 'v3', latencyMs: 2, won: false, shadow: true, late: false, translated: false },
        { version: 'v1', latencyMs: 4, won: true, shadow: false, late: false, translated: false },
        { version: 'v2', latencyMs: 6, won: false, shadow: false, late: false, translated: true },
        { version: 'v9', latencyMs: 300, won: false, shadow: false, late: true, translated: false },
      ],
      noAnswer: [],
    });
  });

  it('says which versions, answering other races, gave this one no valid answer', () => {
    const races = lastRacesOf([
      race([fact('b1', 'v1', 5), fact('b2', 'v2', 7, { valid: false })], { conversationId: 'need-2', winningAnswerId: 'b1' }),
      race([fact('a1', 'v1', 4), fact('a2', 'v2', 5)]),
    ]);
    expect(races[0]!.noAnswer).toEqual(['v2']);
    expect(races[1]!.noAnswer).toEqual([]);
  });

  it('shows the house ad as no winner, and an unknown deadline as null', () => {
    const [result] = lastRacesOf([race([], { winner: null, winningAnswerId: null, deadlineAt: null })]);
    expect(result).toMatchObject({ winner: null, deadlineMs: null, replies: [], noAnswer: [] });
  });

  it('puts the winner first among answers made at the same moment', () => {
    const [result] = lastRacesOf([race([fact('a2', 'v2', 4), fact('a1', 'v1', 4)])]);
    expect(result!.replies.map((r) => r.version)).toEqual(['v1', 'v2']);
  });
});

describe('the pair judged when the dashboard names none', () => {
  const versions = [
    { version: 'v1', shadow: false },
    { version: 'v2', shadow: false },
    { version: 'v3', shadow: true },
  ];

  it('is the first served version against the next, shadow versions last', () => {
    expect(defaultPair(versions)).toEqual({ a: 'v1', b: 'v2' });
    expect(defaultPair([versions[2]!, versions[0]!])).toEqual({ a: 'v1', b: 'v3' });
  });

  it('keeps the side that is named', () => {
    expect(defaultPair(versions, { a: 'v2' })).toEqual({ a: 'v2', b: 'v1' });
    expect(defaultPair(versions, { b: 'v1' })).toEqual({ a: 'v2', b: 'v1' });
  });

  it('is none with fewer than two versions', () => {
    expect(defaultPair([versions[0]!])).toBeNull();
    expect(defaultPair([])).toBeNull();
  });
});
