/**
 * The statistics of comparing two versions of an ad service, a (the baseline) and b (the candidate),
 * in the manner of Kayenta's canary judge: a verdict per metric, then one overall.
 *
 * - Per-need metrics (fitness, latency) are paired: both versions answered the same need, so we test
 *   the differences b − a with the Wilcoxon signed-rank test (normal approximation, tie correction,
 *   zero differences dropped), which does not assume the differences are normal.
 * - Rates (errors, timeouts...) are compared with the two-proportion z-test.
 * - A significant difference smaller than a margin is not worth a verdict (Kayenta-like tolerance).
 *
 * Distributions come from simple-statistics (errorFunction, probit, quantile, mean, sampleStandardDeviation);
 * only the test statistics are computed here.
 *
 * Non-finite numbers (NaN, ±Infinity) are FILTERED from measurements: percentiles ignores them and
 * comparePaired drops any pair with one on either side (and says how many in `dropped`).
 * Malformed arguments (options out of range, counts that are not counts, non-finite differences given
 * directly to wilcoxonSignedRank) are REJECTED with a RangeError.
 */
import { errorFunction, mean, probit, quantile, sampleStandardDeviation } from 'simple-statistics';

export type Verdict = 'better' | 'worse' | 'no significant difference' | 'not enough data';

/** Fewer paired needs (or trials) than this: 'not enough data'. */
export const MIN_PAIRS = 50;

const DEFAULT_ALPHA = 0.05;

// ---------------------------------------------------------------------------------------------
// The normal distribution, from simple-statistics.

/**
 * Two-sided tail probability of a standard normal: P(|Z| ≥ |z|) = erfc(|z|/√2).
 * simple-statistics' errorFunction is the Numerical Recipes erfc approximation (relative error of the
 * tail below 1.2e-7), so p-values are good to about 7 significant digits. (Its
 * cumulativeStdNormalProbability is a 4-decimal table lookup, too coarse for p-values.)
 */
function twoSidedPValue(z: number): number {
  if (z === 0) return 1;
  const p = 1 - errorFunction(Math.abs(z) / Math.SQRT2);
  return Math.min(1, Math.max(0, p));
}

function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/**
 * The standard normal quantile: simple-statistics' probit, polished by Newton steps on its
 * errorFunction (probit alone is off by about 3e-3 at 0.975: 1.95716 instead of 1.959964).
 */
function normalQuantile(p: number): number {
  let z = probit(p);
  for (let i = 0; i < 3; i++) {
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    z -= (normalCdf(z) - p) / density;
  }
  return z;
}

/** z such that 95% of a standard normal lies within ±z (1.959964). */
export const Z_95 = normalQuantile(0.975);

// ---------------------------------------------------------------------------------------------
// Percentiles.

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * p50, p95 and p99 of the values, by simple-statistics' quantile: linear interpolation between the
 * closest ranks at position (n − 1)·p (Hyndman & Fan type 7, NumPy's and R's default).
 * Non-finite values are ignored; null when no finite value is left.
 */
export function percentiles(values: readonly number[]): Percentiles | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const [p50, p95, p99] = quantile(finite, [0.5, 0.95, 0.99]);
  if (p50 === undefined || p95 === undefined || p99 === undefined) return null;
  return { p50, p95, p99 };
}

// ---------------------------------------------------------------------------------------------
// The Wilcoxon signed-rank test.

export interface SignedRankTest {
  /** Non-zero differences ranked (the n of the test). */
  n: number;
  /** Zero differences, dropped before ranking (Wilcoxon's own convention; SciPy's zero_method='wilcox'). */
  zeros: number;
  /** Sum of the ranks of |d| over the positive differences, and over the negative ones. */
  wPlus: number;
  wMinus: number;
  /** (W+ − n(n+1)/4) / σ, σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over groups of tied |d|; no continuity correction. 0 when n = 0. */
  z: number;
  /** Two-sided p-value of z under the standard normal; 1 when every difference is zero. */
  pValue: number;
}

/**
 * The Wilcoxon signed-rank test of "the differences are symmetric about 0", by the normal
 * approximation with the tie correction, zero differences dropped, no continuity correction
 * (as SciPy's wilcoxon(d, method='approx') and R's wilcox.test(..., exact = FALSE, correct = FALSE)).
 * Positive z: the differences lean positive. O(n log n). Throws a RangeError on a non-finite difference.
 */
export function wilcoxonSignedRank(differences: readonly number[]): SignedRankTest {
  const nonZero: number[] = [];
  for (const d of differences) {
    if (!Number.isFinite(d)) throw new RangeError(`wilcoxonSignedRank: non-finite difference ${d}`);
    if (d !== 0) nonZero.push(d);
  }
  const n = nonZero.length;
  const zeros = differences.length - n;
  if (n === 0) return { n, zeros, wPlus: 0, wMinus: 0, z: 0, pValue: 1 };

  // Rank the magnitudes: sort |d| of all, and |d| of the positive ones, both with the native numeric
  // sort (O(n log n), no comparator); then walk the groups of equal |d| in step with the positives.
  // Every member of a group gets the group's average rank.
  let positiveCount = 0;
  for (const d of nonZero) if (d > 0) positiveCount++;
  const magnitudes = new Float64Array(n);
  const positiveMagnitudes = new Float64Array(positiveCount);
  for (let i = 0, j = 0; i < n; i++) {
    const d = nonZero[i] as number;
    magnitudes[i] = Math.abs(d);
    if (d > 0) positiveMagnitudes[j++] = d;
  }
  magnitudes.sort();
  positiveMagnitudes.sort();
  let wPlus = 0;
  let ties = 0; // Σ (t³ − t)
  for (let start = 0, p = 0; start < n; ) {
    const magnitude = magnitudes[start] as number;
    let end = start + 1;
    while (end < n && magnitudes[end] === magnitude) end++;
    let positives = 0;
    while (p < positiveCount && positiveMagnitudes[p] === magnitude) {
      positives++;
      p++;
    }
    const t = end - start;
    const averageRank = (start + 1 + end) / 2; // ranks start+1 … end
    wPlus += positives * averageRank;
    if (t > 1) ties += t * t * t - t;
    start = end;
  }
  const total = (n * (n + 1)) / 2;
  const wMinus = total - wPlus;
  const expected = total / 2;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - ties / 48; // > 0 for n ≥ 1
  const z = (wPlus - expected) / Math.sqrt(variance);
  return { n, zeros, wPlus, wMinus, z, pValue: twoSidedPValue(z) };
}

// ---------------------------------------------------------------------------------------------
// Paired comparison of one metric.

export interface PairedComparison {
  /** Pairs used (both sides finite). */
  pairs: number;
  /** Pairs dropped because a or b was NaN or ±Infinity. */
  dropped: number;
  meanA: number | null;
  meanB: number | null;
  /** Mean of b − a, and its 95% confidence interval (normal approximation, fine for n ≥ 50). */
  meanDifference: number | null;
  ci95: [number, number] | null;
  /** Two-sided p-value of the Wilcoxon signed-rank test (normal approximation with tie correction; zero differences dropped, as Wilcoxon did). 1 when every difference is zero. */
  pValue: number | null;
  verdict: Verdict;
}

export interface PairedOptions {
  /** The direction: fitness true, latency false. */
  higherIsBetter: boolean;
  /** The smallest difference of means that matters (≥ 0, in the metric's unit). */
  margin: number;
  /** Significance level, in (0, 1); default 0.05. */
  alpha?: number;
  /** Fewer usable pairs than this: 'not enough data'. Default MIN_PAIRS. */
  minPairs?: number;
}

/**
 * b against a on one metric measured on the same needs. higherIsBetter says the direction (fitness: true; latency: false).
 * margin: the smallest difference of means that matters (practical equivalence, as Kayenta tolerates noise): a significant
 * difference smaller than the margin is 'no significant difference'. alpha default 0.05, minPairs default MIN_PAIRS.
 *
 * The verdict, when there are at least minPairs pairs: 'better' or 'worse' only if the signed-rank test rejects at alpha
 * (p < alpha), the mean difference leans the same way as the ranks (sign of z), and |mean difference| ≥ margin;
 * otherwise 'no significant difference' (this includes the rare case where the ranks and the mean disagree in direction,
 * e.g. most needs slightly better but a few far worse: the evidence does not point one way).
 */
export function comparePaired(pairs: readonly { a: number; b: number }[], options: PairedOptions): PairedComparison {
  const alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
  const minPairs = checkMinimum('minPairs', options.minPairs ?? MIN_PAIRS);
  const margin = options.margin;
  if (!Number.isFinite(margin) || margin < 0) throw new RangeError(`comparePaired: margin must be a finite number ≥ 0, got ${margin}`);

  const as: number[] = [];
  const bs: number[] = [];
  const differences: number[] = [];
  for (const { a, b } of pairs) {
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    as.push(a);
    bs.push(b);
    differences.push(b - a);
  }
  const n = differences.length;
  const dropped = pairs.length - n;
  if (n === 0) {
    return { pairs: 0, dropped, meanA: null, meanB: null, meanDifference: null, ci95: null, pValue: null, verdict: 'not enough data' };
  }

  const meanA = mean(as);
  const meanB = mean(bs);
  const meanDifference = mean(differences);
  let ci95: [number, number] | null = null;
  if (n >= 2) {
    const halfWidth = (Z_95 * sampleStandardDeviation(differences)) / Math.sqrt(n);
    ci95 = [meanDifference - halfWidth, meanDifference + halfWidth];
  }
  const test = wilcoxonSignedRank(differences);

  let verdict: Verdict;
  if (n < minPairs) verdict = 'not enough data';
  else if (!(test.pValue < alpha)) verdict = 'no significant difference';
  else if (Math.sign(meanDifference) !== Math.sign(test.z) || Math.abs(meanDifference) < margin) verdict = 'no significant difference';
  else verdict = meanDifference > 0 === options.higherIsBetter ? 'better' : 'worse';

  return { pairs: n, dropped, meanA, meanB, meanDifference, ci95, pValue: test.pValue, verdict };
}

// ---------------------------------------------------------------------------------------------
// Two proportions.

export interface ProportionComparison {
  a: { successes: number; trials: number; rate: number | null };
  b: { successes: number; trials: number; rate: number | null };
  /** rateB − rateA. */
  difference: number | null;
  /** Wald interval of the difference (unpooled SE). */
  ci95: [number, number] | null;
  /** The z statistic of the two-proportion test, (rateB − rateA) / pooled SE; 0 when the pooled rate is 0 or 1. */
  z: number | null;
  /** Two-proportion z-test (pooled SE), two-sided. */
  pValue: number | null;
  /** 'not enough data' when either has fewer than minTrials (default MIN_PAIRS) trials; pValue 1 / no difference when both rates are 0 (or both 1). */
  verdict: Verdict;
}

export interface ProportionOptions {
  /** Significance level, in (0, 1); default 0.05. */
  alpha?: number;
  /** Fewer trials than this on either side: 'not enough data'. Default MIN_PAIRS. */
  minTrials?: number;
}

/** b's rate against a's; higher is better (pass the complement for error rates, or read the verdict the other way). */
export function compareProportions(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
  options: ProportionOptions = {},
): ProportionComparison {
  const alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
  const minTrials = checkMinimum('minTrials', options.minTrials ?? MIN_PAIRS);
  checkCounts('a', a);
  checkCounts('b', b);

  const rateA = a.trials > 0 ? a.successes / a.trials : null;
  const rateB = b.trials > 0 ? b.successes / b.trials : null;
  const sides = {
    a: { successes: a.successes, trials: a.trials, rate: rateA },
    b: { successes: b.successes, trials: b.trials, rate: rateB },
  };
  const enough = a.trials >= minTrials && b.trials >= minTrials;
  if (rateA === null || rateB === null) {
    return { ...sides, difference: null, ci95: null, z: null, pValue: null, verdict: 'not enough data' };
  }

  const difference = rateB - rateA;
  const unpooledSe = Math.sqrt((rateA * (1 - rateA)) / a.trials + (rateB * (1 - rateB)) / b.trials);
  const ci95: [number, number] = [difference - Z_95 * unpooledSe, difference + Z_95 * unpooledSe];

  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  // A pooled rate of 0 or 1 means both rates are equal (both 0 or both 1): no evidence of a difference.
  const z = pooledSe > 0 ? difference / pooledSe : 0;
  const pValue = twoSidedPValue(z);

  let verdict: Verdict;
  if (!enough) verdict = 'not enough data';
  else if (!(pValue < alpha)) verdict = 'no significant difference';
  else verdict = difference > 0 ? 'better' : 'worse';

  return { ...sides, difference, ci95, z, pValue, verdict };
}

// ---------------------------------------------------------------------------------------------
// Overall.

/**
 * The overall verdict from the per-metric ones: 'not enough data' if the primary metric (the first one given) has not enough data;
 * otherwise 'worse' if any metric is worse; 'better' if at least one is better and none worse; else 'no significant difference'.
 * (A secondary metric without enough data counts as no evidence either way.)
 */
export function overallVerdict(primary: Verdict, others: readonly Verdict[]): Verdict {
  if (primary === 'not enough data') return 'not enough data';
  const all = [primary, ...others];
  if (all.includes('worse')) return 'worse';
  if (all.includes('better')) return 'better';
  return 'no significant difference';
}

// ---------------------------------------------------------------------------------------------
// Argument checks.

function checkAlpha(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  return alpha;
}

function checkMinimum(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
  return value;
}

function checkCounts(name: string, side: { successes: number; trials: number }): void {
  const { successes, trials } = side;
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(`compareProportions: ${name} must have integer counts with 0 ≤ successes ≤ trials, got ${successes}/${trials}`);
  }
}
