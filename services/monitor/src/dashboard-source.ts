import { answersNeeds, type Comparison, type DashboardSnapshot, type DashboardWindow } from '@ad-race/contracts';
import { compareVersions } from './comparison';
import { bucketsOf, bucketStarts, fitnessHistogramOf, lastRacesOf, seriesOf, WINDOWS, type Bucket } from './dashboard';
import type { Evidence } from './evidence';
import type { Liveness } from './liveness';

/** A dashboard's question: a window, and the pair whose verdict it shows (chosen for it when not given). */
export interface DashboardRequest {
  window: DashboardWindow;
  a?: string | undefined;
  b?: string | undefined;
}

export interface DashboardSourceOptions {
  /** A bucket over for this long is read no more: answers to its needs have all come (the deadline is far shorter). */
  settleMs?: number;
  /** Races shown as photo finishes. */
  races?: number;
}

/** How long a verdict is kept before it is judged again: judging a day of answers is not for every tick. */
const VERDICT_TTL_MS: Record<DashboardWindow, number> = { '5m': 4_000, '1h': 15_000, '1d': 300_000 };

/** The buckets over (settled) a snapshot reads at most, beyond the open ones: a day's half hours fill in two at a time. */
const FILL_PER_SNAPSHOT: Record<DashboardWindow, number> = { '5m': 30, '1h': 60, '1d': 2 };

/** Bucket starts, in order, cut into runs of consecutive buckets: each run is read with one query. */
export function runsOf(starts: readonly number[], bucketMs: number): number[][] {
  const runs: number[][] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    const run = runs.at(-1);
    if (run && start - run.at(-1)! === bucketMs) run.push(start);
    else runs.push([start]);
  }
  return runs;
}

/**
 * Makes dashboard snapshots from the evidence and the heartbeats, cheaply:
 * each window's buckets that are over are summarised once and kept, so a
 * snapshot reads only the needs of its last bucket or two; a verdict over a
 * long window is kept a while.
 */
export class DashboardSource {
  private readonly buckets = new Map<DashboardWindow, Map<number, Bucket>>();
  private readonly verdicts = new Map<string, { at: number; comparison: Comparison }>();
  private readonly settleMs: number;
  private readonly races: number;

  constructor(
    private readonly evidence: Evidence,
    private readonly liveness: Liveness,
    options: DashboardSourceOptions = {},
  ) {
    this.settleMs = options.settleMs ?? 15_000;
    this.races = options.races ?? 6;
  }

  snapshot(request: DashboardRequest, now: number): DashboardSnapshot {
    const { window } = request;
    const buckets = this.bucketsOf(window, now);
    const series = seriesOf(buckets, WINDOWS[window].bucketMs);
    const versions = this.liveness.versions(now);
    // The versions that answered in the window, and those of the ad service alive that have not yet.
    const candidates = [...series.versions, ...versions.filter((v) => v.alive && answersNeeds(v) && !series.versions.some((s) => s.version === v.version))];
    const pair = defaultPair(candidates, request);
    return {
      at: new Date(now).toISOString(),
      window,
      versions,
      series,
      // The series lists the buckets' versions already: not worked out twice.
      fitness: fitnessHistogramOf(buckets, undefined, series.versions),
      races: lastRacesOf(this.evidence.lastRaces(this.races)),
      comparison: pair ? this.verdict(window, pair.a, pair.b, now) : null,
    };
  }

  /**
   * The window's buckets: those kept; those still open, read again; and the newest of those
   * missing, as many as the window allows a snapshot to read (the rest, empty for now, fill in
   * over the next snapshots, newest first: a day's evidence is not read in one go).
   */
  private bucketsOf(window: DashboardWindow, now: number): Bucket[] {
    const { bucketMs } = WINDOWS[window];
    const starts = bucketStarts(window, now);
    const kept = this.buckets.get(window) ?? new Map<number, Bucket>();
    this.buckets.set(window, kept);
    for (const start of kept.keys()) if (start < starts[0]!) kept.delete(start);
    const settled = (start: number) => start + bucketMs <= now - this.settleMs;
    const open = starts.filter((start) => !settled(start));
    const missing = starts.filter((start) => settled(start) && !kept.has(start)).slice(-FILL_PER_SNAPSHOT[window]);
    const read = new Map<number, Bucket>();
    for (const run of runsOf([...missing, ...open], bucketMs)) {
      for (const bucket of bucketsOf(this.evidence.timeline(run[0]!, run.at(-1)! + bucketMs), run, bucketMs)) read.set(bucket.start, bucket);
    }
    for (const start of missing) kept.set(start, read.get(start)!);
    return starts.map((start) => kept.get(start) ?? read.get(start) ?? { start, versions: new Map() });
  }

  private verdict(window: DashboardWindow, a: string, b: string, now: number): Comparison {
    const key = `${window}/${a}/${b}`;
    const kept = this.verdicts.get(key);
    if (kept && now - kept.at <= VERDICT_TTL_MS[window]) return kept.comparison;
    for (const [k, v] of this.verdicts) if (now - v.at > 5 * 60_000) this.verdicts.delete(k);
    const comparison = compareVersions(this.evidence, a, b, now - WINDOWS[window].spanMs, now, { hourly: false });
    this.verdicts.set(key, { at: now, comparison });
    return comparison;
  }
}

/**
 * The pair to judge when the dashboard names none (or one): the first version that is
 * served as the baseline, and the next one as the candidate, shadow or not.
 */
export function defaultPair(versions: readonly { version: string; shadow: boolean }[], given: { a?: string | undefined; b?: string | undefined } = {}): { a: string; b: string } | null {
  const ordered = [...versions.filter((v) => !v.shadow), ...versions.filter((v) => v.shadow)].map((v) => v.version);
  const a = given.a ?? ordered.find((v) => v !== given.b);
  const b = given.b ?? ordered.find((v) => v !== a);
  return a && b ? { a, b } : null;
}
