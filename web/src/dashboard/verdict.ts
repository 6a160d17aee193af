import type { Comparison, PairedComparison, ProportionComparison, VerdictName } from '@ad-race/contracts';
import { formatMs } from '../photo-finish';

// The verdict table (pure): b judged against a on each metric, with what each
// side measured, the difference and its 95% confidence interval, the p-value,
// and the metric's verdict; "not enough data" where that is the truth.

export interface VerdictRow {
  metric: string;
  /** What the metric was measured on: pairs of answers, or ads served by each. */
  basis: string;
  a: string;
  b: string;
  difference: string;
  /** The 95% confidence interval of the difference, and the p-value. */
  confidence: string;
  verdict: VerdictName;
}

const DASH = '—';
const signed = (x: number, text: (x: number) => string) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${text(Math.abs(x))}`;
const eur = (x: number) => `€${x.toFixed(2)}`;
const points = (x: number) => `${(100 * x).toFixed(1)} pt`;
const percent = (x: number | null) => (x === null ? DASH : `${(100 * x).toFixed(1)}%`);

/** A p-value as people read it: small ones as "< 0.001". */
export function formatP(p: number | null): string {
  if (p === null) return DASH;
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function confidence(ci: [number, number] | null, p: number | null, text: (x: number) => string): string {
  const interval = ci ? `${signed(ci[0], text)} … ${signed(ci[1], text)}` : 'no interval yet';
  return `${interval} · p ${p === null ? DASH : formatP(p).replace(/^(?!<)/, '= ')}`;
}

function paired(metric: string, m: PairedComparison, text: (x: number) => string): VerdictRow {
  return {
    metric,
    basis: `${m.pairs} pairs`,
    a: m.meanA === null ? DASH : text(m.meanA),
    b: m.meanB === null ? DASH : text(m.meanB),
    difference: m.meanDifference === null ? DASH : signed(m.meanDifference, text),
    confidence: confidence(m.ci95, m.pValue, text),
    verdict: m.verdict,
  };
}

function proportion(metric: string, m: ProportionComparison): VerdictRow {
  return {
    metric,
    basis: `${m.a.trials} · ${m.b.trials} ads`,
    a: percent(m.a.rate),
    b: percent(m.b.rate),
    difference: m.difference === null ? DASH : signed(m.difference, points),
    confidence: confidence(m.ci95, m.pValue, points),
    verdict: m.verdict,
  };
}

/** The rows of the verdict table: fitness (which decides), latency, click-through. */
export function verdictRows(c: Comparison): VerdictRow[] {
  return [paired('Fitness', c.fitness, eur), paired('Latency', c.latency, formatMs), proportion('Click-through', c.clickThrough)];
}

/** The overall verdict in words, for the big line above the table. */
export function overallLine(c: Comparison): string {
  const { a, b } = { a: c.a.version, b: c.b.version };
  switch (c.verdict) {
    case 'not enough data':
      return `${b} vs ${a}: not enough data yet`;
    case 'better':
      return `${b} is better than ${a}`;
    case 'worse':
      return `${b} is worse than ${a}`;
    default:
      return `${b} vs ${a}: no significant difference`;
  }
}
