import type { DashboardSeries, DashboardWindow, FitnessHistogram, RaceAnswer, RaceResult, VersionSeries } from '@ad-race/contracts';
import { percentiles, type Percentiles } from '@ad-race/verdict';
import type { RaceFacts, Timeline } from './evidence';

// What the dashboard draws, from the evidence (pure: the facts and the time
// are given). The window is cut into buckets by the time of each need; a
// bucket is summarised once per version (answers, wins, clicks, latency
// percentiles, fitness in fine bins), so buckets that are over can be kept
// and only the open one read again.

/** Each window: how far back it looks, and how wide its buckets are. */
export const WINDOWS: Record<DashboardWindow, { spanMs: number; bucketMs: number }> = {
  '5m': { spanMs: 5 * 60_000, bucketMs: 10_000 },
  '1h': { spanMs: 3600_000, bucketMs: 60_000 },
  '1d': { spanMs: 24 * 3600_000, bucketMs: 30 * 60_000 },
};

/** The width of the finest fitness bin, in €: buckets count fitness in these, the histogram merges them. */
export const FITNESS_STEP_EUR = 0.5;

/** One version in one bucket. */
export interface VersionBucket {
  /** Every one of its answers in the bucket was in shadow. */
  shadow: boolean;
  answers: number;
  wins: number;
  clicks: number;
  latencyMs: Percentiles | null;
  /** Answers by fitness: the index of the fine bin (fitness / FITNESS_STEP_EUR, rounded down) to its count. */
  fitnessBins: Map<number, number>;
  fitnessSum: number;
  fitnessN: number;
}

/** A bucket of the window: the needs made in [start, start + bucket width). */
export interface Bucket {
  start: number;
  versions: Map<string, VersionBucket>;
}

/** The starts of the buckets of a window ending now: the last one is still open. */
export function bucketStarts(window: DashboardWindow, now: number): number[] {
  const { spanMs, bucketMs } = WINDOWS[window];
  const last = Math.floor(now / bucketMs) * bucketMs;
  const count = Math.ceil(spanMs / bucketMs);
  return Array.from({ length: count }, (_, i) => last - (count - 1 - i) * bucketMs);
}

/** Summarises the facts of the needs made in [from, from + bucketMs × starts) into one bucket per start. */
export function bucketsOf(timeline: Timeline, starts: readonly number[], bucketMs: number): Bucket[] {
  if (starts.length === 0) return [];
  const first = starts[0]!;
  const indexOf = (needAt: number) => {
    const i = Math.floor((needAt - first) / bucketMs);
    return i >= 0 && i < starts.length ? i : -1;
  };
  const latencies = starts.map(() => new Map<string, number[]>());
  const buckets: Bucket[] = starts.map((start) => ({ start, versions: new Map() }));
  const versionIn = (i: number, version: string): VersionBucket => {
    const versions = buckets[i]!.versions;
    let v = versions.get(version);
    if (!v) versions.set(version, (v = { shadow: true, answers: 0, wins: 0, clicks: 0, latencyMs: null, fitnessBins: new Map(), fitnessSum: 0, fitnessN: 0 }));
    return v;
  };
  for (const a of timeline.answers) {
    const i = indexOf(a.needAt);
    if (i < 0) continue;
    const v = versionIn(i, a.version);
    v.answers++;
    v.shadow &&= a.shadow;
    const values = latencies[i]!.get(a.version) ?? [];
    values.push(a.latencyMs);
    latencies[i]!.set(a.version, values);
    if (a.fitness !== null && Number.isFinite(a.fitness)) {
      const bin = Math.floor(a.fitness / FITNESS_STEP_EUR);
      v.fitnessBins.set(bin, (v.fitnessBins.get(bin) ?? 0) + 1);
      v.fitnessSum += a.fitness;
      v.fitnessN++;
    }
  }
  for (const [facts, key] of [
    [timeline.wins, 'wins'],
    [timeline.clicks, 'clicks'],
  ] as const) {
    for (const f of facts) {
      const i = indexOf(f.needAt);
      if (i < 0) continue;
      const v = versionIn(i, f.version);
      v[key]++;
    }
  }
  buckets.forEach((bucket, i) => {
    for (const [version, values] of latencies[i]!) bucket.versions.get(version)!.latencyMs = percentiles(values);
  });
  return buckets;
}

/** The versions of the buckets, in order, each shadow if every answer it made in them was. */
function versionsOf(buckets: readonly Bucket[]): { version: string; shadow: boolean }[] {
  const seen = new Map<string, { answers: number; shadow: boolean }>();
  for (const b of buckets) {
    for (const [version, v] of b.versions) {
      const s = seen.get(version) ?? { answers: 0, shadow: true };
      s.answers += v.answers;
      if (v.answers > 0) s.shadow &&= v.shadow;
      seen.set(version, s);
    }
  }
  return [...seen]
    .map(([version, s]) => ({ version, shadow: s.answers > 0 && s.shadow }))
    .sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
}

/**
 * The series the charts draw, one value per bucket and version: win rate (races won of races
 * answered, as the verdict counts it), latency p50/p95/p99, clicks and click-through (clicks of
 * ads served). Null where a version had nothing to say in a bucket.
 */
export function seriesOf(buckets: readonly Bucket[], bucketMs: number): DashboardSeries {
  const ratio = (x: number, of: number) => (of === 0 ? null : round(x / of));
  const versions = versionsOf(buckets).map(({ version, shadow }): VersionSeries => {
    const at = buckets.map((b) => b.versions.get(version));
    return {
      version,
      shadow,
      answers: at.map((v) => v?.answers ?? 0),
      winRate: at.map((v) => (v ? ratio(v.wins, v.answers) : null)),
      p50: at.map((v) => (v?.latencyMs ? round(v.latencyMs.p50) : null)),
      p95: at.map((v) => (v?.latencyMs ? round(v.latencyMs.p95) : null)),
      p99: at.map((v) => (v?.latencyMs ? round(v.latencyMs.p99) : null)),
      clicks: at.map((v) => v?.clicks ?? 0),
      clickThrough: at.map((v) => (v ? ratio(v.clicks, v.wins) : null)),
    };
  });
  return { bucketSeconds: Math.round(bucketMs / 1000), times: buckets.map((b) => b.start / 1000), versions };
}

/** Bin widths the histogram may take, in €: each a whole number of fine bins. */
const NICE_WIDTHS = [0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];

/**
 * The distribution of fitness per version over the buckets: the fine bins merged into at most
 * `maxBins` bins of one "nice" width (0.5, 1, 2, 2.5, 5, 10 € …) covering every version's answers.
 * `ofVersions` is the buckets' versions in order, if already known (a snapshot's series lists them).
 */
export function fitnessHistogramOf(
  buckets: readonly Bucket[],
  maxBins = 20,
  ofVersions: readonly { version: string }[] = versionsOf(buckets),
): FitnessHistogram {
  const versions = ofVersions.map(({ version }) => {
    const bins = new Map<number, number>();
    let sum = 0;
    let n = 0;
    for (const b of buckets) {
      const v = b.versions.get(version);
      if (!v) continue;
      for (const [bin, count] of v.fitnessBins) bins.set(bin, (bins.get(bin) ?? 0) + count);
      sum += v.fitnessSum;
      n += v.fitnessN;
    }
    return { version, bins, total: n, mean: n === 0 ? null : round(sum / n) };
  });
  const all = versions.flatMap((v) => [...v.bins.keys()]);
  if (all.length === 0) return { edges: [], versions: versions.map(({ version }) => ({ version, counts: [], total: 0, mean: null })) };
  const lo = Math.min(...all) * FITNESS_STEP_EUR;
  const hi = (Math.max(...all) + 1) * FITNESS_STEP_EUR;
  const width = NICE_WIDTHS.find((w) => Math.ceil(hi / w) - Math.floor(lo / w) <= maxBins) ?? NICE_WIDTHS.at(-1)!;
  const perBin = Math.round(width / FITNESS_STEP_EUR);
  const first = Math.floor(lo / width);
  const count = Math.ceil(hi / width) - first;
  return {
    edges: Array.from({ length: count + 1 }, (_, i) => round((first + i) * width)),
    versions: versions.map(({ version, bins, total, mean }) => {
      const counts = new Array<number>(count).fill(0);
      for (const [bin, n] of bins) counts[Math.floor(bin / perBin) - first]! += n;
      return { version, counts, total, mean };
    }),
  };
}

/**
 * The races as photo finishes, newest first: each version's answer (the one in the race: the
 * winner's, or on the channel the race was run on), fastest first; late if made after the need's
 * deadline; and the versions that answered other races of these but gave this one no valid answer.
 */
export function lastRacesOf(races: readonly RaceFacts[]): RaceResult[] {
  const answering = [...new Set(races.flatMap((r) => r.answers.filter((a) => a.valid).map((a) => a.version)))].sort();
  return races.map((race) => {
    const valid = race.answers.filter((a) => a.valid && a.createdAt !== null);
    const channel = raceChannel(race, valid);
    const byVersion = new Map<string, (typeof valid)[number]>();
    for (const a of valid) {
      const kept = byVersion.get(a.version);
      const rank = (x: typeof a) => (x.messageId === race.winningAnswerId ? 0 : x.channel === channel ? 1 : 2);
      if (!kept || rank(a) < rank(kept) || (rank(a) === rank(kept) && a.createdAt! < kept.createdAt!)) byVersion.set(a.version, a);
    }
    const replies = [...byVersion.values()]
      .map(
        (a): RaceAnswer => ({
          version: a.version,
          latencyMs: round(a.createdAt! - race.needAt),
          won: a.messageId === race.winningAnswerId,
          shadow: a.shadow,
          late: race.deadlineAt !== null && a.createdAt! > race.deadlineAt,
          translated: a.translated,
        }),
      )
      .sort((a, b) => a.latencyMs - b.latencyMs || Number(b.won) - Number(a.won));
    return {
      needId: race.conversationId,
      at: new Date(race.needAt).toISOString(),
      page: race.page,
      deadlineMs: race.deadlineAt === null ? null : race.deadlineAt - race.needAt,
      winner: race.winner,
      replies,
      noAnswer: answering.filter((v) => !byVersion.has(v)),
    };
  });
}

/** The channel the race was run on: the winning answer's; without one, the channel most versions answered on. */
function raceChannel(race: RaceFacts, valid: readonly { messageId: string; version: string; channel: string }[]): string | undefined {
  const won = valid.find((a) => a.messageId === race.winningAnswerId);
  if (won) return won.channel;
  const versionsOn = new Map<string, Set<string>>();
  for (const a of valid) versionsOn.set(a.channel, (versionsOn.get(a.channel) ?? new Set()).add(a.version));
  return [...versionsOn].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0]?.[0];
}

const round = (x: number) => Math.round(x * 1000) / 1000;
