import type { DashboardSeries, FitnessHistogram, VersionSeries } from '@ad-race/contracts';

// The snapshot's series as uPlot draws them (pure): one x array, then one y
// array per line, each the length of x; null where there is nothing to draw.

export type Column = (number | null)[];

export interface Line {
  version: string;
  /** What the line is of the version, such as "p95"; empty when a version has one line. */
  part: string;
}

export interface ChartData {
  x: number[];
  lines: Line[];
  columns: Column[];
}

/** One line per version, of one of its series (win rate, click-through). */
export function perVersion(series: DashboardSeries, pick: (v: VersionSeries) => Column): ChartData {
  return {
    x: series.times,
    lines: series.versions.map((v) => ({ version: v.version, part: '' })),
    columns: series.versions.map(pick),
  };
}

export const PERCENTILES = ['p50', 'p95', 'p99'] as const;

/** Three lines per version: its latency's p50, p95 and p99. */
export function latencyLines(series: DashboardSeries): ChartData {
  const lines: Line[] = [];
  const columns: Column[] = [];
  for (const v of series.versions) {
    for (const p of PERCENTILES) {
      lines.push({ version: v.version, part: p });
      columns.push(v[p]);
    }
  }
  return { x: series.times, lines, columns };
}

/**
 * The fitness histogram as steps: x the bins' edges, y each version's share of its answers in
 * the bin starting there (in %), the last repeated so the last step has a width. A version
 * with no scored answer draws nothing.
 */
export function fitnessSteps(histogram: FitnessHistogram): ChartData {
  const versions = histogram.versions.filter((v) => v.total > 0);
  return {
    x: histogram.edges,
    lines: versions.map((v) => ({ version: v.version, part: '' })),
    columns: versions.map((v) => {
      const shares = v.counts.map((c) => Math.round((1000 * c) / v.total) / 10);
      return [...shares, shares.at(-1) ?? null];
    }),
  };
}

/** A shape of the chart's lines: when it changes, the chart is made again rather than given new data. */
export function shapeOf(data: ChartData): string {
  return data.lines.map((l) => `${l.version}/${l.part}`).join(',');
}
