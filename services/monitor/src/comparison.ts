import type { Comparison } from '@ad-race/contracts';
import type { Evidence } from './evidence';
import { judge } from './judge';

/**
 * Version b judged against version a on the needs made in [from, to), with both versions' hourly
 * totals: GET /api/comparison, and the dashboard's verdict (which draws its own series, so it
 * leaves the hourly totals out: over a long window they cost more than the verdict).
 */
export function compareVersions(evidence: Evidence, a: string, b: string, from: number, to: number, options: { hourly: boolean } = { hourly: true }): Comparison {
  const of = (version: string) => ({ version, answers: evidence.answers(version, from, to), ...evidence.outcomes(version, from, to) });
  return {
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    ...evidence.needs(from, to),
    ...judge(of(a), of(b)),
    hourly: options.hourly ? evidence.hourly(from, to).filter((h) => h.version === a || h.version === b) : [],
  };
}
