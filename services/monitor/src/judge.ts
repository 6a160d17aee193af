import type { VersionSummary } from '@ad-race/contracts';
import { comparePaired, compareProportions, MIN_PAIRS, overallVerdict, percentiles, type PairedComparison, type ProportionComparison, type Verdict } from '@ad-race/verdict';
import type { AnswerFact } from './evidence';

/** What is known of one version over a window, as the monitor recorded it. */
export interface VersionEvidence {
  version: string;
  answers: readonly AnswerFact[];
  invalid: number;
  wins: number;
  clicks: number;
  /** Shadow answers made before the answer that was served. */
  wouldHaveWon: number;
}

export interface Judgement {
  a: VersionSummary;
  b: VersionSummary;
  /** b against a, on the needs both answered. */
  latency: PairedComparison;
  fitness: PairedComparison;
  clickThrough: ProportionComparison;
  /** Fitness decides; latency and click-through can make it worse. */
  verdict: Verdict;
  /** The verdict and each metric's, in a sentence. */
  summary: string;
}

/** A latency difference smaller than this is noise: 1 ms, or 10% of the baseline's mean, whichever is larger. */
export function latencyMargin(meanA: number | null): number {
  return Math.max(1, 0.1 * (meanA ?? 0));
}

/** A fitness difference smaller than this does not matter: 1% of the baseline's mean expected value (at least one cent). */
export function fitnessMargin(meanA: number | null): number {
  return Math.max(0.01, 0.01 * Math.abs(meanA ?? 0));
}

/**
 * Judges version b against version a (pure). Latency and fitness are paired
 * per need (both versions answered the same need), so what differs between
 * needs cancels out; click-through compares the ads each served.
 */
export function judge(a: VersionEvidence, b: VersionEvidence): Judgement {
  const byNeed = new Map(a.answers.map((f) => [f.conversationId, f]));
  const latencyPairs: { a: number; b: number }[] = [];
  const fitnessPairs: { a: number; b: number }[] = [];
  for (const fb of b.answers) {
    const fa = byNeed.get(fb.conversationId);
    if (!fa) continue;
    latencyPairs.push({ a: fa.latencyMs, b: fb.latencyMs });
    if (fa.fitness !== null && fb.fitness !== null) fitnessPairs.push({ a: fa.fitness, b: fb.fitness });
  }
  const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);
  const latency = comparePaired(latencyPairs, { higherIsBetter: false, margin: latencyMargin(mean(latencyPairs.map((p) => p.a))) });
  const fitness = comparePaired(fitnessPairs, { higherIsBetter: true, margin: fitnessMargin(mean(fitnessPairs.map((p) => p.a))) });
  const clickThrough = compareProportions({ successes: a.clicks, trials: a.wins }, { successes: b.clicks, trials: b.wins });
  const verdict = overallVerdict(fitness.verdict, [latency.verdict, clickThrough.verdict]);
  return { a: summarise(a), b: summarise(b), latency, fitness, clickThrough, verdict, summary: explain(a.version, b.version, { fitness, latency, clickThrough, verdict }) };
}

function summarise(e: VersionEvidence): VersionSummary {
  const fitnesses = e.answers.flatMap((f) => (f.fitness === null ? [] : [f.fitness]));
  const shadow = e.answers.length > 0 && e.answers.every((f) => f.shadow);
  return {
    version: e.version,
    shadow,
    answers: e.answers.length,
    invalid: e.invalid,
    latencyMs: percentiles(e.answers.map((f) => f.latencyMs)),
    winRate: e.answers.length === 0 ? null : round(e.wins / e.answers.length),
    wins: e.wins,
    wouldHaveWon: e.wouldHaveWon,
    meanFitness: fitnesses.length === 0 ? null : round(fitnesses.reduce((s, x) => s + x, 0) / fitnesses.length),
    clicks: e.clicks,
    clickThrough: e.wins === 0 ? null : round(e.clicks / e.wins),
  };
}

function explain(a: string, b: string, j: Pick<Judgement, 'fitness' | 'latency' | 'clickThrough' | 'verdict'>): string {
  if (j.verdict === 'not enough data') {
    return `not enough data: ${j.fitness.pairs} needs answered by both ${a} and ${b} with a fitness, and a verdict needs at least ${MIN_PAIRS}`;
  }
  const signed = (x: number | null, digits: number) => (x === null ? '?' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`);
  const parts = [
    `fitness ${j.fitness.verdict} (${signed(j.fitness.meanDifference, 2)} € a need)`,
    `latency ${j.latency.verdict} (${signed(j.latency.meanDifference, 1)} ms)`,
    `click-through ${j.clickThrough.verdict}` + (j.clickThrough.difference === null ? '' : ` (${signed(100 * j.clickThrough.difference, 1)} points)`),
  ];
  return `${b} against ${a} on ${j.fitness.pairs} needs both answered: ${parts.join(', ')}; overall ${j.verdict}`;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
