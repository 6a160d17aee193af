import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { RaceReply } from './browser-api';
import { decodeJson, interpretedValidator, type Decoded } from './validators';

// The contract between the monitor and whoever reads it: the dashboard page
// (live, over server-sent events) and scripts (GET /api/versions,
// /api/comparison, /api/dashboard). The page validates everything it receives
// against these, interpreted (no code generated: the page's CSP forbids it).

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Version = Type.String({ minLength: 1, maxLength: 64, description: 'a version of a service, such as v2' });
const Channel = Type.String({ maxLength: 64, description: 'a message version, such as ad.need.v2' });

// --- Versions alive, from their heartbeats -----------------------------------------------------

export const InstanceAlive = Type.Object({
  instance: Type.String(),
  lastSeen: Type.String({ format: 'date-time' }),
  reads: Type.Array(Channel),
  writes: Type.Array(Channel),
});
export type InstanceAlive = Static<typeof InstanceAlive>;

/** A service version as the monitor sees it: alive while at least one of its instances is. */
export const VersionAlive = Type.Object({
  service: Type.String(),
  version: Version,
  shadow: Type.Boolean(),
  alive: Type.Boolean(),
  instances: Type.Array(InstanceAlive),
  /** The message versions its instances read and write. */
  reads: Type.Array(Channel),
  writes: Type.Array(Channel),
  lastSeen: Type.String({ format: 'date-time' }),
});
export type VersionAlive = Static<typeof VersionAlive>;

/** A version of the ad service, from what it says it speaks: it reads needs and answers them (the schema adapter, which reads answers too, is not one). */
export function answersNeeds(v: Pick<VersionAlive, 'reads' | 'writes'>): boolean {
  const speaks = (channels: readonly string[], name: string) => channels.some((c) => c.startsWith(`${name}.`));
  return speaks(v.reads, 'ad.need') && speaks(v.writes, 'ad.solution') && !speaks(v.reads, 'ad.solution');
}

export const VersionsResponse = Type.Object({ versions: Type.Array(VersionAlive) });
export type VersionsResponse = Static<typeof VersionsResponse>;

// --- A comparison of two versions: b judged against a ------------------------------------------

export const VerdictName = Type.Union([Type.Literal('better'), Type.Literal('worse'), Type.Literal('no significant difference'), Type.Literal('not enough data')]);
export type VerdictName = Static<typeof VerdictName>;

export const LatencyPercentiles = Type.Object({ p50: Type.Number(), p95: Type.Number(), p99: Type.Number() });
export type LatencyPercentiles = Static<typeof LatencyPercentiles>;

const Interval = Nullable(Type.Tuple([Type.Number(), Type.Number()]));

export const VersionSummary = Type.Object({
  version: Version,
  shadow: Type.Boolean(),
  answers: Type.Integer({ minimum: 0 }),
  invalid: Type.Integer({ minimum: 0 }),
  latencyMs: Nullable(LatencyPercentiles),
  /** Races won of the races it answered; a shadow version never wins. */
  winRate: Nullable(Type.Number()),
  wins: Type.Integer({ minimum: 0 }),
  /** Shadow answers that came first: it would have won these, had it been served. */
  wouldHaveWon: Type.Integer({ minimum: 0 }),
  meanFitness: Nullable(Type.Number()),
  clicks: Type.Integer({ minimum: 0 }),
  clickThrough: Nullable(Type.Number()),
});
export type VersionSummary = Static<typeof VersionSummary>;

/** One metric measured on the needs both versions answered (Wilcoxon signed-rank test). */
export const PairedComparison = Type.Object({
  pairs: Type.Integer({ minimum: 0 }),
  dropped: Type.Integer({ minimum: 0 }),
  meanA: Nullable(Type.Number()),
  meanB: Nullable(Type.Number()),
  meanDifference: Nullable(Type.Number()),
  ci95: Interval,
  pValue: Nullable(Type.Number()),
  verdict: VerdictName,
});
export type PairedComparison = Static<typeof PairedComparison>;

const Proportion = Type.Object({ successes: Type.Integer({ minimum: 0 }), trials: Type.Integer({ minimum: 0 }), rate: Nullable(Type.Number()) });

/** Two rates (click-through), by the two-proportion z-test. */
export const ProportionComparison = Type.Object({
  a: Proportion,
  b: Proportion,
  difference: Nullable(Type.Number()),
  ci95: Interval,
  z: Nullable(Type.Number()),
  pValue: Nullable(Type.Number()),
  verdict: VerdictName,
});
export type ProportionComparison = Static<typeof ProportionComparison>;

export const HourTotals = Type.Object({
  hour: Type.String({ format: 'date-time' }),
  version: Version,
  answers: Type.Integer({ minimum: 0 }),
  invalid: Type.Integer({ minimum: 0 }),
  meanLatencyMs: Nullable(Type.Number()),
  meanFitness: Nullable(Type.Number()),
  wins: Type.Integer({ minimum: 0 }),
  clicks: Type.Integer({ minimum: 0 }),
});
export type HourTotals = Static<typeof HourTotals>;

/** GET /api/comparison: version b judged against version a over a window of needs. */
export const Comparison = Type.Object({
  window: Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) }),
  needs: Type.Integer({ minimum: 0 }),
  houseAds: Type.Integer({ minimum: 0 }),
  a: VersionSummary,
  b: VersionSummary,
  latency: PairedComparison,
  fitness: PairedComparison,
  clickThrough: ProportionComparison,
  /** Fitness decides; latency and click-through can make it worse. */
  verdict: VerdictName,
  summary: Type.String(),
  /** Both versions' totals per hour of the window (empty in the dashboard's snapshot, which draws series of its own). */
  hourly: Type.Array(HourTotals),
});
export type Comparison = Static<typeof Comparison>;

// --- The dashboard ------------------------------------------------------------------------------

/** How far back the dashboard looks: five minutes in 10 s buckets, an hour in minutes, a day in half hours. */
export const DashboardWindow = Type.Union([Type.Literal('5m'), Type.Literal('1h'), Type.Literal('1d')]);
export type DashboardWindow = Static<typeof DashboardWindow>;
export const DASHBOARD_WINDOWS: readonly DashboardWindow[] = ['5m', '1h', '1d'];

/** What a dashboard asks for: a window, and the pair of versions whose verdict it shows (the monitor picks one if not given). */
export const DashboardQuery = Type.Object(
  {
    window: Type.Optional(DashboardWindow),
    a: Type.Optional(Version),
    b: Type.Optional(Version),
  },
  { additionalProperties: false },
);
export type DashboardQuery = Static<typeof DashboardQuery>;

/** One version over the buckets of the window: each array has one value per bucket (null where it had no data). */
export const VersionSeries = Type.Object({
  version: Version,
  shadow: Type.Boolean(),
  /** First-hand valid answers to the needs made in each bucket. */
  answers: Type.Array(Type.Integer({ minimum: 0 })),
  /** Races won of the races answered. */
  winRate: Type.Array(Nullable(Type.Number())),
  p50: Type.Array(Nullable(Type.Number())),
  p95: Type.Array(Nullable(Type.Number())),
  p99: Type.Array(Nullable(Type.Number())),
  clicks: Type.Array(Type.Integer({ minimum: 0 })),
  /** Clicks of the ads it served. */
  clickThrough: Type.Array(Nullable(Type.Number())),
});
export type VersionSeries = Static<typeof VersionSeries>;

export const DashboardSeries = Type.Object({
  bucketSeconds: Type.Integer({ minimum: 1 }),
  /** The start of each bucket, in seconds since the epoch (as uPlot takes its x values). */
  times: Type.Array(Type.Number()),
  versions: Type.Array(VersionSeries),
});
export type DashboardSeries = Static<typeof DashboardSeries>;

/** The fitness (expected value in €) of every answer in the window, in bins: edges has one more entry than each counts. */
export const FitnessHistogram = Type.Object({
  edges: Type.Array(Type.Number()),
  versions: Type.Array(Type.Object({ version: Version, counts: Type.Array(Type.Integer({ minimum: 0 })), total: Type.Integer({ minimum: 0 }), mean: Nullable(Type.Number()) })),
});
export type FitnessHistogram = Static<typeof FitnessHistogram>;

/** One version's answer in a race, as the photo finish shows it: the customer page's race reply, naming a valid version. */
export const RaceAnswer = Type.Object({ ...RaceReply.properties, version: Version });
export type RaceAnswer = Static<typeof RaceAnswer>;

/** A race the web server decided: every version's answer to one need, fastest first. */
export const RaceResult = Type.Object({
  needId: Type.String(),
  at: Type.String({ format: 'date-time' }),
  page: Type.String(),
  /** The need's deadline, from its making; null when only the ad served told of the need. */
  deadlineMs: Nullable(Type.Number()),
  /** The version whose ad was shown; null for the house ad. */
  winner: Nullable(Version),
  replies: Type.Array(RaceAnswer),
  /** Versions answering other races of the window that gave this one no valid answer. */
  noAnswer: Type.Array(Version),
});
export type RaceResult = Static<typeof RaceResult>;

/** GET /api/dashboard, and every event of /api/dashboard/stream: all the dashboard shows, at one moment. */
export const DashboardSnapshot = Type.Object({
  at: Type.String({ format: 'date-time' }),
  window: DashboardWindow,
  versions: Type.Array(VersionAlive),
  series: DashboardSeries,
  fitness: FitnessHistogram,
  races: Type.Array(RaceResult),
  /** The pair judged, b against a, over the window; null until two versions have answered. */
  comparison: Nullable(Comparison),
});
export type DashboardSnapshot = Static<typeof DashboardSnapshot>;

const snapshotInterpreted = interpretedValidator(DashboardSnapshot);

/**
 * For the dashboard page: one snapshot as the monitor sent it (an event of the
 * stream, or the body of GET /api/dashboard), parsed and checked against the
 * contract without generating code. One that breaks it is an error to show, never drawn.
 */
export function decodeDashboardSnapshot(text: string): Decoded<DashboardSnapshot> {
  return decodeJson(snapshotInterpreted, text, 'dashboard snapshot');
}
